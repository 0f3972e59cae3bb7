package io.tenure.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of SES throttling at the HTTP level: on the SES port it answers every request the way
 * SESv2 answers a caller over its sending rate, {@code 429} with {@code x-amzn-ErrorType:
 * TooManyRequestsException} and a JSON message (rest-json), so the SDK raises its own
 * {@code TooManyRequestsException} and applies its throttling retries. It takes nothing: no email
 * reaches the emulator while it runs. {@link SesEmulator#throttle()} starts it.
 */
final class ThrottlingSesFake implements AutoCloseable {
    static final int STATUS = 429;
    static final String ERROR_TYPE = "TooManyRequestsException";
    static final String MESSAGE = "Maximum sending rate exceeded.";

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger answered = new AtomicInteger();

    ThrottlingSesFake(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        threads = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "ses-throttling-fake");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = Json.write(java.util.Map.of("__type", ERROR_TYPE, "message", MESSAGE))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("x-amzn-ErrorType", ERROR_TYPE);
                exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
                exchange.sendResponseHeaders(STATUS, body.length);
                exchange.getResponseBody().write(body);
                answered.incrementAndGet();
            }
        });
        server.start();
    }

    /** How many requests it has refused. */
    int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
