package io.tenure.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The rendered API reference at {@code /docs/}: the static page Redocly CLI's {@code build-docs}
 * makes from openapi.yaml in the build ({@link #RELATIVE_PATH}). A local-only route, like
 * {@code /_local/*}: the stack answers it before any template route. The file is read on each
 * request, so a rebuilt page shows without a restart; while it is missing the answer is 503 with
 * the command that builds it.
 */
final class ApiReferencePage {
    /** Where the build writes the page, from the project root. */
    static final String RELATIVE_PATH = "local/target/api-reference/index.html";
    /** The page's URL path. */
    static final String PATH = "/docs/";
    /** How to build the page, in the 503 answer and the banner. */
    static final String HOW_TO_BUILD = "build it with local/run, or from the project root with"
            + " `mvn -B -DskipTests package` (Redocly CLI's build-docs writes " + RELATIVE_PATH + " from openapi.yaml)";

    /**
     * Nothing from another host: Redoc's script and styles are inline, and the Redocly logo its
     * footer fetches from cdn.redoc.ly at run time is refused (the page works offline and tells no one
     * it was opened). Checked in chromium: the page renders and deep links scroll under this policy.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline' blob:;"
            + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
            + " worker-src 'self' blob:; connect-src 'self' blob: data:; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private final Path file;

    ApiReferencePage(Path file) {
        this.file = file;
    }

    /** The page of the project at {@code root}. */
    static ApiReferencePage of(Path root) {
        return new ApiReferencePage(root.resolve(RELATIVE_PATH));
    }

    /** True for the paths this page answers: {@code /docs} and everything under {@code /docs/}. */
    static boolean serves(String path) {
        return path.equals("/docs") || path.startsWith(PATH);
    }

    /** Whether the page has been built. */
    boolean built() {
        return Files.isRegularFile(file);
    }

    /**
     * Refuses a template whose routes reach under {@code /docs}: the local stack would answer them
     * with the page, so they would work in AWS and never here.
     */
    static void refuseRoutesUnderDocs(List<TemplateModel.Route> routes) {
        LocalHttp.refuseRoutesUnder(routes, ApiReferencePage::serves, "the API reference page");
    }

    /** Answers one request whose path {@link #serves} accepts. */
    void handle(HttpExchange exchange, String path) throws IOException {
        if (LocalHttp.refusedUnlessRead(exchange, "the API reference")) {
            return;
        }
        if (path.equals("/docs")) {
            // Relative links in a page resolve against its folder: the page lives at /docs/, not /docs.
            exchange.getResponseHeaders().set("Location", PATH);
            LocalHttp.sendText(exchange, 308, "Moved to " + PATH);
        } else if (!path.equals(PATH) && !path.equals(PATH + "index.html")) {
            LocalHttp.sendText(exchange, 404, "Not Found: the API reference is at " + PATH);
        } else {
            byte[] page;
            try {
                page = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                LocalHttp.sendText(exchange, 503, "The API reference has not been built (no " + file + "): " + HOW_TO_BUILD + ".");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            // Rebuilt by every build: the browser asks again instead of showing an old contract.
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            LocalHttp.send(exchange, 200, page);
        }
    }
}
