package io.tenure.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local HTTP API: matches a request to a template route, checks the JWT like the HTTP API's
 * authorizer, and invokes the function with an API Gateway payload format 2.0 event; then maps the
 * function's response back to HTTP as API Gateway does.
 */
final class HttpApiGateway {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final String API_ID = "local";
    /** API Gateway HTTP API: the most it waits for an integration. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    /** API Gateway HTTP API: the largest request body it accepts (10 MB). */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** API Gateway HTTP API: the most bytes of request line and header values together (a fixed quota). */
    static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;
    /** Lambda: the largest synchronous invocation event or response (6 MB). */
    static final int LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

    /**
     * A route ready to serve: its template definition, its path split in segments, its function,
     * and its throttle (null when the template sets none).
     */
    private record BoundRoute(TemplateModel.Route route, List<String> segments, LoadedFunction function,
                              TokenBucket throttle) {
        boolean greedy() {
            return !segments.isEmpty() && segments.get(segments.size() - 1).endsWith("+}");
        }

        /** Path parameters when the path matches, else null. */
        Map<String, String> match(List<String> requestSegments) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                boolean isParameter = segment.startsWith("{") && segment.endsWith("}");
                if (isParameter && segment.endsWith("+}") && i == segments.size() - 1) {
                    if (i >= requestSegments.size()) {
                        return null;
                    }
                    parameters.put(segment.substring(1, segment.length() - 2),
                            String.join("/", requestSegments.subList(i, requestSegments.size())));
                    return parameters;
                }
                if (i >= requestSegments.size()) {
                    return null;
                }
                if (isParameter) {
                    if (requestSegments.get(i).isEmpty()) {
                        return null;
                    }
                    parameters.put(segment.substring(1, segment.length() - 1), requestSegments.get(i));
                } else if (!segment.equals(requestSegments.get(i))) {
                    return null;
                }
            }
            return segments.size() == requestSegments.size() ? parameters : null;
        }

        /** Lower sorts first: literal segments beat parameters, which beat a greedy tail. */
        String specificity() {
            StringBuilder key = new StringBuilder();
            for (String segment : segments) {
                key.append(segment.endsWith("+}") ? '2' : segment.startsWith("{") ? '1' : '0');
            }
            return key.append(route.method().equals("ANY") ? '1' : '0').toString();
        }
    }

    private final List<BoundRoute> routes = new ArrayList<>();
    private final LocalAuthorizer authorizer;
    private final Clock clock;
    private final FakeEventBridge bus;

    /** @param bus delivers the events each invocation causes, before its request is answered */
    HttpApiGateway(List<TemplateModel.Route> templateRoutes, Map<String, LoadedFunction> functions,
                   LocalAuthorizer authorizer, Clock clock, FakeEventBridge bus) {
        for (TemplateModel.Route route : templateRoutes) {
            TemplateModel.Throttle throttle = route.throttle();
            routes.add(new BoundRoute(route, segments(route.path()), functions.get(route.functionId()),
                    throttle == null ? null : new TokenBucket(throttle.rateLimit(), throttle.burstLimit(), clock)));
        }
        routes.sort(Comparator.comparing(BoundRoute::specificity));
        this.authorizer = authorizer;
        this.clock = clock;
        this.bus = bus;
    }

    /** The request line ({@code METHOD target HTTP/1.1}) and every header value, in bytes, as the quota counts them. */
    static int requestLineAndHeaderBytes(HttpExchange exchange) {
        int bytes = (exchange.getRequestMethod() + " " + exchange.getRequestURI().toASCIIString() + " "
                + exchange.getProtocol()).getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                bytes += value.getBytes(StandardCharsets.ISO_8859_1).length;
            }
        }
        return bytes;
    }

    /** An id shaped as the HTTP API's are: 10 random bytes, base64 (e.g. {@code NZb1vj8HoAMEVzQ=}). */
    private static String newRequestId() {
        byte[] bytes = new byte[10];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    /** Serves one request to the HTTP API. */
    void handle(HttpExchange exchange) throws IOException {
        // Every answer carries the request's id, as the HTTP API's do; the event's requestContext has the same one.
        String apiRequestId = newRequestId();
        exchange.getResponseHeaders().set("apigw-requestid", apiRequestId);
        int lineAndHeaders = requestLineAndHeaderBytes(exchange);
        if (lineAndHeaders > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
            // Refused before routing, as over any quota of the request itself. AWS does not document
            // the status it answers; 431 is HTTP's own for it, and no function runs either way.
            System.out.println("[gateway] refused a request of " + lineAndHeaders + " bytes of request line and header values"
                    + " (the HTTP API's quota is " + MAX_REQUEST_LINE_AND_HEADER_BYTES + "), answered 431");
            LocalHttp.sendJson(exchange, 431, Json.message("Request Header Fields Too Large"));
            return;
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        List<String> requestSegments = new ArrayList<>();
        for (String segment : segments(rawPath)) {
            requestSegments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        BoundRoute matched = null;
        Map<String, String> pathParameters = null;
        for (BoundRoute candidate : routes) {
            if (!candidate.route().method().equals(method) && !candidate.route().method().equals("ANY")) {
                continue;
            }
            pathParameters = candidate.match(requestSegments);
            if (pathParameters != null) {
                matched = candidate;
                break;
            }
        }
        if (matched == null) {
            LocalHttp.sendJson(exchange, 404, Json.message("Not Found"));
            return;
        }
        // The route's throttle counts every request, before the authorizer, as API Gateway's does.
        if (matched.throttle() != null && !matched.throttle().tryTake()) {
            System.out.println("[gateway] " + matched.route().routeKey() + " throttled: over its route settings ("
                    + matched.route().throttle().rateLimit() + "/s, burst " + matched.route().throttle().burstLimit()
                    + "), answered 429");
            LocalHttp.sendJson(exchange, 429, Json.message("Too Many Requests"));
            return;
        }

        Map<String, String> claims = null;
        if (!matched.route().publicRoute()) {
            Optional<Map<String, String>> valid = authorizer.authorize(
                    exchange.getRequestHeaders().getFirst("Authorization"));
            if (valid.isEmpty()) {
                Headers headers = exchange.getResponseHeaders();
                headers.set("www-authenticate", "Bearer");
                LocalHttp.sendJson(exchange, 401, Json.message("Unauthorized"));
                return;
            }
            claims = valid.get();
        }

        byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            // API Gateway refuses the request itself, in plain text, before any function runs.
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            LocalHttp.send(exchange, 413, ("HTTP content length exceeded " + MAX_REQUEST_BYTES + " bytes.")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String event = Json.write(event(exchange, matched.route(), apiRequestId, pathParameters, claims, body));
        String functionId = matched.route().functionId();
        if (event.getBytes(StandardCharsets.UTF_8).length > LAMBDA_PAYLOAD_BYTES) {
            System.out.println("[" + functionId + "] Lambda refused the invocation: its event exceeds "
                    + LAMBDA_PAYLOAD_BYTES + " bytes");
            LocalHttp.sendJson(exchange, 413, Json.message("Request Too Long"));
            return;
        }
        String result;
        LoadedFunction.Started started = matched.function().begin(event, apiRequestId);
        CompletableFuture<String> invocation = started.result();
        try {
            result = invocation.get(INTEGRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The function runs on until its own Timeout; API Gateway has stopped waiting, and so does the bus.
            bus.deliverWhenDone(started);
            System.out.println("[" + functionId + "] API Gateway integration timeout: no answer within "
                    + INTEGRATION_TIMEOUT.toSeconds() + " s, answered 503");
            LocalHttp.sendJson(exchange, 503, Json.message("Service Unavailable"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bus.deliverWhenDone(started);
            LocalHttp.sendJson(exchange, 503, Json.message("Service Unavailable"));
            return;
        } catch (ExecutionException e) {
            // A failed run still caused what it did before failing (an email sent, an event put).
            bus.deliverAfter(started.invocation());
            Throwable failure = e.getCause();
            if (failure instanceof FunctionTimeoutException timedOut) {
                // Lambda reports the timeout as a function error, which the HTTP API answers with 500.
                System.out.println("[" + functionId + "] " + timedOut.getMessage() + ": API Gateway answered 500");
            } else if (failure instanceof FunctionThrottledException throttled) {
                // Lambda's 429 never reaches the client: API Gateway answers an integration failure with 500.
                System.out.println("[" + functionId + "] " + throttled.getMessage() + ": API Gateway answered 500");
            } else if (failure instanceof InvocationTargetException thrown) {
                System.out.println("[" + functionId + "] handler threw:");
                thrown.getCause().printStackTrace(System.out);
            } else {
                System.out.println("[" + functionId + "] invocation failed:");
                failure.printStackTrace(System.out);
            }
            LocalHttp.sendJson(exchange, 500, Json.message("Internal Server Error"));
            return;
        }
        // The events this request caused reach their targets before it is answered (AWS: seconds later).
        bus.deliverAfter(started.invocation());
        if (result.getBytes(StandardCharsets.UTF_8).length > LAMBDA_PAYLOAD_BYTES) {
            System.out.println("[" + functionId + "] Response payload size exceeded maximum allowed payload size ("
                    + LAMBDA_PAYLOAD_BYTES + " bytes): API Gateway answered 500");
            LocalHttp.sendJson(exchange, 500, Json.message("Internal Server Error"));
            return;
        }
        respond(exchange, result);
    }

    /** The API Gateway HTTP API payload format 2.0 event for this request. */
    private Map<String, Object> event(HttpExchange exchange, TemplateModel.Route route, String apiRequestId,
                                      Map<String, String> pathParameters, Map<String, String> claims, byte[] body) {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = clock.instant();
        String requestId = apiRequestId;

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String value : header.getValue()) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
                continue;
            }
            headers.merge(name, String.join(",", header.getValue()), (a, b) -> a + "," + b);
        }
        String host = headers.getOrDefault("host", "127.0.0.1");
        headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        headers.put("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24));

        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + "," + b);
            }
        }

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", rawPath);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));

        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("accountId", TemplateModel.ACCOUNT_ID);
        requestContext.put("apiId", API_ID);
        if (claims != null) {
            Map<String, Object> jwt = new LinkedHashMap<>();
            jwt.put("claims", claims);
            jwt.put("scopes", null);
            requestContext.put("authorizer", Map.of("jwt", jwt));
        }
        requestContext.put("domainName", host);
        requestContext.put("domainPrefix", host.split("[.:]")[0]);
        requestContext.put("http", http);
        requestContext.put("requestId", requestId);
        requestContext.put("routeKey", route.routeKey());
        requestContext.put("stage", "$default");
        requestContext.put("time", REQUEST_TIME.format(now));
        requestContext.put("timeEpoch", now.toEpochMilli());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", headers);
        if (!query.isEmpty()) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", requestContext);
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        boolean base64 = false;
        if (body.length > 0) {
            String text = textOrNull(headers.get("content-type"), body);
            base64 = text == null;
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : text);
        }
        event.put("isBase64Encoded", base64);
        return event;
    }

    /** The body as text when its content type is textual (or absent) and it is valid UTF-8, else null. */
    private static String textOrNull(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean textual = type.isEmpty() || type.startsWith("text/") || type.contains("json")
                || type.contains("xml") || type.contains("x-www-form-urlencoded") || type.contains("javascript");
        if (!textual) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Maps the function's result to the HTTP response, as API Gateway does for payload format 2.0. */
    private static void respond(HttpExchange exchange, String resultJson) throws IOException {
        Object result = Json.read(resultJson);
        Map<String, Object> response = TemplateModel.map(result);
        if (!(result instanceof Map) || !response.containsKey("statusCode")) {
            // Not a response object: API Gateway answers 200 with the result as a JSON body.
            LocalHttp.sendJson(exchange, 200, resultJson);
            return;
        }
        int status = Integer.parseInt(String.valueOf(response.get("statusCode")));
        Headers out = exchange.getResponseHeaders();
        TemplateModel.map(response.get("multiValueHeaders")).forEach((name, values) -> {
            for (Object value : TemplateModel.list(values)) {
                out.add(name, String.valueOf(value));
            }
        });
        TemplateModel.map(response.get("headers")).forEach((name, value) -> out.set(name, String.valueOf(value)));
        for (Object cookie : TemplateModel.list(response.get("cookies"))) {
            out.add("Set-Cookie", String.valueOf(cookie));
        }
        Object body = response.get("body");
        boolean base64 = Boolean.TRUE.equals(response.get("isBase64Encoded"))
                || Boolean.TRUE.equals(response.get("base64Encoded"));
        byte[] bytes = body == null ? new byte[0]
                : base64 ? Base64.getDecoder().decode(String.valueOf(body))
                : String.valueOf(body).getBytes(StandardCharsets.UTF_8);
        if (!out.containsKey("Content-Type") && bytes.length > 0) {
            out.set("Content-Type", "application/json");
        }
        LocalHttp.send(exchange, status, bytes);
    }

    /** The routes, most specific first, for the banner. */
    List<TemplateModel.Route> routes() {
        return routes.stream().map(BoundRoute::route).toList();
    }
}
