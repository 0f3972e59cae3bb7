package io.tenure.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin console at {@code /console/}: the files {@code vite build} writes to console/dist
 * ({@link #RELATIVE_PATH}), on the API's own origin so the console needs no CORS. A local-only
 * route, like {@code /docs/}: the stack answers it before any template route. Files are read on
 * each request, so a rebuild shows without a restart; while index.html is missing the answer is 503
 * with the command that builds it.
 *
 * <p>Any path under {@code /console/} whose last segment has no dot and is not a file answers
 * index.html (the app routes in the browser); a path with a dot that is no file is 404. A path
 * that climbs out of the folder, or names a hidden file (dist/.vite/manifest.json), is refused.
 */
final class ConsoleFiles {
    /** Where {@code vite build} writes the console, from the project root. */
    static final String RELATIVE_PATH = "console/dist";
    /** The console's URL path (Vite's {@code base}). */
    static final String PATH = "/console/";
    /** How to build the console, in the 503 answer and the banner. */
    static final String HOW_TO_BUILD = "build it with local/run, or from the project root with"
            + " `mvn -B -DskipTests package`, or with `npm ci && npm run build` in console/ (vite build writes "
            + RELATIVE_PATH + ")";

    /**
     * Only this origin: the built app has no inline script or style, and talks to the API on the same
     * origin. Nothing from another host, no frames, no plugins.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final Path dist;
    private final String contentSecurityPolicy;

    ConsoleFiles(Path dist) {
        this(dist, null);
    }

    /**
     * @param identityProvider the origin of the OpenID provider the console signs in with, which
     *     its policy lets it call (as template.yaml's headers policy does in AWS); null for the
     *     local sign-in, which calls this origin only
     */
    ConsoleFiles(Path dist, String identityProvider) {
        this.dist = dist.toAbsolutePath().normalize();
        this.contentSecurityPolicy = identityProvider == null ? CONTENT_SECURITY_POLICY
                : CONTENT_SECURITY_POLICY.replace("connect-src 'self';", "connect-src 'self' " + identityProvider + ";");
    }

    /** The console of the project at {@code root}; see {@link #ConsoleFiles(Path, String)}. */
    static ConsoleFiles of(Path root, String identityProvider) {
        return new ConsoleFiles(root.resolve(RELATIVE_PATH), identityProvider);
    }

    /** True for the paths the console answers: {@code /console} and everything under {@code /console/}. */
    static boolean serves(String path) {
        return path.equals("/console") || path.startsWith(PATH);
    }

    /** Whether the console has been built. */
    boolean built() {
        return Files.isRegularFile(dist.resolve("index.html"));
    }

    /**
     * Refuses a template whose routes reach under {@code /console}: the local stack would answer them
     * with the console, so they would work in AWS and never here.
     */
    static void refuseRoutesUnderConsole(List<TemplateModel.Route> routes) {
        LocalHttp.refuseRoutesUnder(routes, ConsoleFiles::serves, "the admin console");
    }

    /** Answers one request whose (decoded) path {@link #serves} accepts. */
    void handle(HttpExchange exchange, String path) throws IOException {
        if (LocalHttp.refusedUnlessRead(exchange, "the console")) {
            return;
        }
        if (path.equals("/console")) {
            // Vite builds asset URLs under /console/, and the app reads its routes from there.
            String query = exchange.getRequestURI().getRawQuery();
            exchange.getResponseHeaders().set("Location", PATH + (query == null ? "" : "?" + query));
            LocalHttp.sendText(exchange, 308, "Moved to " + PATH);
            return;
        }
        String relative = path.substring(PATH.length());
        if (!safe(relative)) {
            LocalHttp.sendText(exchange, 400, "Bad Request: a console path may not hold '..', '.', a hidden name, a backslash or a NUL");
            return;
        }
        if (!built()) {
            LocalHttp.sendText(exchange, 503, "The console has not been built (no " + dist.resolve("index.html") + "): " + HOW_TO_BUILD + ".");
            return;
        }
        Path file = relative.isEmpty() ? dist.resolve("index.html") : dist.resolve(relative).normalize();
        if (!file.startsWith(dist)) { // safe() already refused this; a second guard costs nothing
            LocalHttp.sendText(exchange, 400, "Bad Request: outside the console");
            return;
        }
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(dist.toRealPath())) {
            String last = relative.substring(relative.lastIndexOf('/') + 1);
            if (last.contains(".")) {
                LocalHttp.sendText(exchange, 404, "Not Found: the console has no file " + path);
                return;
            }
            file = dist.resolve("index.html"); // a route of the app: the app draws it
        }
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            LocalHttp.sendText(exchange, 503, "The console is being rebuilt (no " + file + "): try again, or " + HOW_TO_BUILD + ".");
            return;
        }
        String name = file.getFileName().toString();
        exchange.getResponseHeaders().set("Content-Type", contentType(name));
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("Content-Security-Policy", contentSecurityPolicy);
        // Vite names assets by content hash, so they never change; index.html names the current ones.
        boolean hashedAsset = dist.relativize(file).startsWith("assets") && !name.equals("index.html");
        exchange.getResponseHeaders().set("Cache-Control", hashedAsset ? "public, max-age=31536000, immutable" : "no-cache");
        LocalHttp.send(exchange, 200, body);
    }

    /** A path under the folder: no '.' or '..' segment, no hidden name, no backslash, no NUL, no leading slash. */
    static boolean safe(String relative) {
        if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0 || relative.startsWith("/")) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
