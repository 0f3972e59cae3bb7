package io.tenure.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/** Writing responses on the JDK HTTP server. */
final class LocalHttp {
    private LocalHttp() {
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** A short plain-text answer of the local stack's own pages (never cached: it says what to do now). */
    static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, status, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Answers 405 unless the method is GET or HEAD, which is all a page of files answers; true when it did. */
    static boolean refusedUnlessRead(HttpExchange exchange, String what) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendText(exchange, 405, "Method Not Allowed: " + what + " answers GET and HEAD");
        return true;
    }

    /**
     * Refuses a template whose routes reach under a path the local stack keeps for its own pages:
     * the stack would answer them with the page, so they would work in AWS and never here.
     */
    static void refuseRoutesUnder(List<TemplateModel.Route> routes, Predicate<String> kept, String keptFor) {
        for (TemplateModel.Route route : routes) {
            if (kept.test(route.path())) {
                throw new IllegalStateException("The template routes " + route.method() + " " + route.path()
                        + ", but the local stack keeps that path for " + keptFor);
            }
        }
    }
}
