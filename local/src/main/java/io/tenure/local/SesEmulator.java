package io.tenure.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SES emulator, the npm package aws-ses-v2-local, run as a child process. It accepts SESv2
 * SendEmail from the functions' SDK, lists the emails on its web page, and answers {@code GET /store}
 * with them as JSON. Tests stop and start it to see what happens when SES is down, and make it hang
 * ({@link #hang()}) or throttle ({@link #throttle()}).
 *
 * <p>With SES elsewhere (LocalStack: {@link #relayTo}), the functions' SES port is a {@link TcpRelay}
 * to it instead of the emulator, and stop, start, hang and throttle act on that port the same way.
 */
public final class SesEmulator implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private final Path executable;
    private final URI upstream;
    private final int port;
    private final Path logFile;
    private TcpRelay relay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private volatile ServerSocket hanging;
    private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ThrottlingSesFake throttling;
    private int throttled;

    SesEmulator(Path projectRoot, int port) throws IOException {
        this.executable = projectRoot.resolve("local/node_modules/.bin/aws-ses-v2-local");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("The SES emulator is not installed at " + executable
                    + ": run (cd local && npm ci) first, or local/run");
        }
        this.upstream = null;
        this.port = port == 0 ? FreePort.find() : port;
        this.logFile = Files.createTempFile("tenure-ses-emulator-", ".log");
    }

    private SesEmulator(URI upstream, int port) {
        this.executable = null;
        this.upstream = upstream;
        this.port = port == 0 ? FreePort.find() : port;
        this.logFile = null;
    }

    /** SES run elsewhere (e.g. LocalStack), reached through a relay on {@code port} (0: a free one). */
    static SesEmulator relayTo(URI upstream, int port) {
        return new SesEmulator(upstream, port);
    }

    /** Where sent emails can be read: the emulator itself, or the SES run elsewhere. */
    public String mailboxUrl() {
        if (upstream == null) {
            return url();
        }
        String text = upstream.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The emulator's base URL; its root page lists every email sent. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the emulator (if it is not running) and waits until {@code GET /store} answers 200. */
    public synchronized void start() {
        stopHanging();
        stopThrottling();
        if (upstream != null) {
            startRelay();
            return;
        }
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(List.of(executable.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the SES emulator " + executable, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!isUp()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The SES emulator exited with " + process.exitValue()
                        + "; its output is in " + logFile);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("The SES emulator did not answer on " + url()
                        + " within " + START_TIMEOUT.toSeconds() + " s; its output is in " + logFile);
            }
            pause();
        }
    }

    private void startRelay() {
        if (relay == null) {
            try {
                relay = new TcpRelay(port, upstream);
            } catch (IOException e) {
                throw new IllegalStateException("Could not relay SES port " + port + " to " + upstream, e);
            }
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!isUp()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("SES at " + upstream + " did not answer through " + url()
                        + " within " + START_TIMEOUT.toSeconds() + " s");
            }
            pause();
        }
    }

    /** Stops the emulator and every process it started (a wrapper and a node child); relaying, closes the relay. */
    public synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
            return;
        }
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        // the node child may outlive the wrapper for a moment: wait until the port stops answering
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (isUp() && System.nanoTime() < deadline) {
            pause();
        }
    }

    /** True when {@code GET /store} answers 200; relaying, when anything answers HTTP through the relay. */
    public boolean isUp() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + (upstream == null ? "/store" : "/")))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return upstream != null || response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Makes SES hang: stops the emulator and, on its port, accepts connections that never get an
     * answer, like an endpoint that is reachable but stuck. {@link #start()} ends it.
     */
    public synchronized void hang() {
        stop();
        stopThrottling();
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            hanging = socket;
        } catch (IOException e) {
            throw new IllegalStateException("Could not hold the SES port " + port + " to make SES hang", e);
        }
        Thread acceptor = new Thread(() -> {
            ServerSocket socket = hanging;
            while (socket != null && !socket.isClosed()) {
                try {
                    held.add(socket.accept()); // read nothing, answer nothing
                } catch (IOException closed) {
                    return;
                }
            }
        }, "ses-hanging");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Makes SES throttle: stops the emulator and, on its port, {@link ThrottlingSesFake} answers
     * every request with SESv2's 429 {@code TooManyRequestsException}. {@link #start()} ends it.
     */
    public synchronized void throttle() {
        stop();
        stopHanging();
        if (throttling != null) {
            return;
        }
        try {
            throttling = new ThrottlingSesFake(port);
        } catch (IOException e) {
            throw new IllegalStateException("Could not hold the SES port " + port + " to make SES throttle", e);
        }
    }

    /** How many SES requests were refused as throttled since this emulator was made. */
    public synchronized int throttledRequests() {
        return throttled + (throttling == null ? 0 : throttling.answered());
    }

    private void stopThrottling() {
        if (throttling != null) {
            throttled += throttling.answered();
            throttling.close();
            throttling = null;
        }
    }

    private void stopHanging() {
        if (hanging == null) {
            return;
        }
        try {
            hanging.close();
            for (Socket socket : held) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        held.clear();
        hanging = null;
    }

    @Override
    public synchronized void close() {
        stop();
        stopHanging();
        stopThrottling();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
