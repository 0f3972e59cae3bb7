package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApiReferencePage} on a bare JDK server, with a page file the test controls: what a
 * developer sees before the page is built, after, and what the stack refuses.
 */
class ApiReferencePageTest {
    @TempDir
    Path root;
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void serve() throws IOException {
        ApiReferencePage page = ApiReferencePage.of(root);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try {
                page.handle(exchange, exchange.getRequestURI().getPath());
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

    @Test
    void anUnbuiltPageIs503SayingHowToBuildIt() {
        TestHttp.Response response = TestHttp.get(baseUrl + "/docs/");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("content-type")).startsWith("text/plain");
        assertThat(response.body()).contains("not been built").contains("local/run").contains("mvn -B -DskipTests package")
                .contains(ApiReferencePage.RELATIVE_PATH);
    }

    /** The file is read per request: a page built while the stack runs shows without a restart. */
    @Test
    void aPageBuiltLaterIsServedAtOnce() throws IOException {
        assertThat(TestHttp.get(baseUrl + "/docs/").status()).isEqualTo(503);
        Path file = root.resolve(ApiReferencePage.RELATIVE_PATH);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "<!DOCTYPE html><title>Tenure API – reference</title>");
        TestHttp.Response response = TestHttp.get(baseUrl + "/docs/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.body()).isEqualTo("<!DOCTYPE html><title>Tenure API – reference</title>");
    }

    @Test
    void otherPathsUnderDocsAre404AndWritesAre405() {
        assertThat(TestHttp.get(baseUrl + "/docs/nothing.js").status()).isEqualTo(404);
        TestHttp.Response post = TestHttp.post(baseUrl + "/docs/", "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    }

    /** A template route under /docs would work in AWS and never locally: the stack does not start with one. */
    @Test
    void aTemplateRouteUnderDocsIsRefused() {
        TemplateModel.Route docs = new TemplateModel.Route("DocsFunction", "Docs", "GET", "/docs/{page}", true, null);
        TemplateModel.Route orgs = new TemplateModel.Route("OrgsFunction", "Create", "POST", "/orgs", false, null);
        assertThatThrownBy(() -> ApiReferencePage.refuseRoutesUnderDocs(List.of(orgs, docs)))
                .hasMessageContaining("GET /docs/{page}");
        ApiReferencePage.refuseRoutesUnderDocs(List.of(orgs, new TemplateModel.Route("F", "E", "GET", "/documents", true, null)));
    }
}
