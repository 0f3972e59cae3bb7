package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConsoleFiles} on a bare JDK server, over a console/dist the test writes: the app's files
 * with their types and caching, the app's routes answered with index.html, and no way out of the
 * folder.
 */
class ConsoleFilesTest {
    private static final String INDEX = "<!doctype html><title>Tenure console</title><script type=module src=/console/assets/index-abc123.js></script>";
    private static final String SECRET = "the secret next to the console";

    @TempDir
    Path root;
    private Path dist;
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void serve() throws IOException {
        dist = root.resolve(ConsoleFiles.RELATIVE_PATH);
        Files.writeString(root.resolve("secret.txt"), SECRET);
        ConsoleFiles console = ConsoleFiles.of(root, null);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try {
                console.handle(exchange, exchange.getRequestURI().getPath());
            } finally {
                exchange.close();
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void build() throws IOException {
        Files.createDirectories(dist.resolve("assets"));
        Files.createDirectories(dist.resolve(".vite"));
        Files.writeString(dist.resolve("index.html"), INDEX);
        Files.writeString(dist.resolve("assets/index-abc123.js"), "console.log('app')");
        Files.writeString(dist.resolve("assets/index-abc123.css"), "body{margin:0}");
        Files.writeString(dist.resolve("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        Files.writeString(dist.resolve(".vite/manifest.json"), "{}");
    }

    @Test
    void anUnbuiltConsoleIs503SayingHowToBuildIt() {
        TestHttp.Response response = TestHttp.get(baseUrl + "/console/");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("content-type")).startsWith("text/plain");
        assertThat(response.body()).contains("not been built").contains("local/run").contains("mvn -B -DskipTests package")
                .contains("npm run build").contains(ConsoleFiles.RELATIVE_PATH);
    }

    @Test
    void theIndexIsHtmlNeverCachedAndAllowsOnlyThisOrigin() throws IOException {
        build();
        for (String path : List.of("/console/", "/console/index.html")) {
            TestHttp.Response response = TestHttp.get(baseUrl + path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).isEqualTo(INDEX);
            assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
            assertThat(response.header("cache-control")).isEqualTo("no-cache");
            assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
            String csp = response.header("content-security-policy");
            assertThat(csp).contains("default-src 'self'").contains("script-src 'self';").contains("connect-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("http");
        }
    }

    @Test
    void consoleWithoutSlashRedirects308() {
        TestHttp.Response response = TestHttp.get(baseUrl + "/console");
        assertThat(response.status()).isEqualTo(308);
        assertThat(response.header("location")).isEqualTo("/console/");
        assertThat(TestHttp.get(baseUrl + "/console?next=orgs").header("location")).isEqualTo("/console/?next=orgs");
    }

    @Test
    void assetsHaveTheirTypesAndHashedOnesAreCachedForGood() throws IOException {
        build();
        TestHttp.Response js = TestHttp.get(baseUrl + "/console/assets/index-abc123.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.body()).isEqualTo("console.log('app')");
        assertThat(js.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.header("cache-control")).isEqualTo("public, max-age=31536000, immutable");
        TestHttp.Response css = TestHttp.get(baseUrl + "/console/assets/index-abc123.css");
        assertThat(css.header("content-type")).isEqualTo("text/css; charset=utf-8");
        TestHttp.Response svg = TestHttp.get(baseUrl + "/console/favicon.svg");
        assertThat(svg.header("content-type")).isEqualTo("image/svg+xml");
        assertThat(svg.header("cache-control")).as("not hashed: may change with a build").isEqualTo("no-cache");
    }

    /** The app routes in the browser: a deep link must load it; a missing file must not. */
    @Test
    void appRoutesAnswerTheIndexAndMissingFilesAre404() throws IOException {
        build();
        for (String path : List.of("/console/orgs/org_01M88YE3E7Z6RRXYWWCPYQH8Q1", "/console/orgs/", "/console/anything/at/all")) {
            TestHttp.Response response = TestHttp.get(baseUrl + path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo(INDEX);
            assertThat(response.header("cache-control")).as(path).isEqualTo("no-cache");
        }
        TestHttp.Response missing = TestHttp.get(baseUrl + "/console/assets/gone-123.js");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("<!doctype html>");
    }

    @Test
    void pathsOutOfTheFolderOrToHiddenFilesAreRefused() throws IOException {
        build();
        // Sent on a socket: an HTTP client would tidy the dots away before they reach the server.
        for (String path : List.of("/console/../secret.txt", "/console/../../secret.txt", "/console/%2e%2e/secret.txt",
                "/console/assets/..%2f..%2f..%2fsecret.txt", "/console/..%5c..%5csecret.txt", "/console/.vite/manifest.json",
                "/console/./index.html", "/console//etc/passwd", "/console/assets/%00.js")) {
            String answer = rawGet(path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").doesNotContain(SECRET).doesNotContain("{}");
        }
    }

    @Test
    void aSymlinkOutOfTheFolderIsNotFollowed() throws IOException {
        build();
        Files.createSymbolicLink(dist.resolve("assets/leak.js"), root.resolve("secret.txt"));
        TestHttp.Response response = TestHttp.get(baseUrl + "/console/assets/leak.js");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain(SECRET);
    }

    @Test
    void writesAre405() throws IOException {
        build();
        TestHttp.Response post = TestHttp.post(baseUrl + "/console/", "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void headAnswersTheHeadersAlone() throws IOException {
        build();
        TestHttp.Response head = TestHttp.send("HEAD", baseUrl + "/console/", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(head.body()).isEmpty();
    }

    /** A template route under /console would work in AWS and never locally: the stack does not start with one. */
    @Test
    void aTemplateRouteUnderConsoleIsRefused() {
        TemplateModel.Route console = new TemplateModel.Route("ConsoleFunction", "Console", "GET", "/console/{page}", true, null);
        TemplateModel.Route orgs = new TemplateModel.Route("OrgsFunction", "Create", "POST", "/orgs", false, null);
        assertThatThrownBy(() -> ConsoleFiles.refuseRoutesUnderConsole(List.of(orgs, console)))
                .hasMessageContaining("GET /console/{page}");
        ConsoleFiles.refuseRoutesUnderConsole(List.of(orgs, new TemplateModel.Route("F", "E", "GET", "/consoles", true, null)));
    }

    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
