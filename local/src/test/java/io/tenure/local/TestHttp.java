package io.tenure.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A tiny HTTP client for tests: JSON in, status, headers and body out. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestHttp() {
    }

    /** A response: status, headers (lower-case names) and body text. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        /** The body read as a JSON object. */
        public Map<String, Object> json() {
            try {
                return MAPPER.readValue(body, new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException("Not a JSON object: " + body, e);
            }
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** GET with optional headers given as name, value, name, value... */
    public static Response get(String url, String... headers) {
        return send("GET", url, null, headers);
    }

    /** POST a JSON body (null: no body) with optional headers. */
    public static Response post(String url, String jsonBody, String... headers) {
        return send("POST", url, jsonBody, headers);
    }

    /** Any method, with a JSON body (null: no body) and headers given as name, value pairs. */
    public static Response send(String method, String url, String jsonBody, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            checkContract(method, built.uri(), built.headers().map(),
                    jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8),
                    response.statusCode(), response.headers().map(), response.body().getBytes(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails the calling test when an exchange with an operation of openapi.yaml breaks the contract: an answer
     * that does not match the documented responses, or a request outside the contract that was not refused
     * with a 4xx (tests send such requests on purpose; the API must turn them away).
     * Exchanges with no operation (the stack's {@code /_local} routes, the SES emulator, throwaway test routes)
     * are not the contract's.
     */
    static void checkContract(String method, URI uri, Map<String, List<String>> requestHeaders, byte[] requestBody,
                              int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {
        OpenApiValidation.Exchange exchange = new OpenApiValidation.Exchange(method, uri, requestHeaders, requestBody,
                status, responseHeaders, responseBody);
        List<String> problems = OpenApiValidation.get().check(exchange);
        if (!problems.isEmpty()) {
            throw new AssertionError("openapi.yaml and the answer to " + method + " " + uri + " disagree:\n  "
                    + String.join("\n  ", problems) + "\n  answer: " + status + " "
                    + new String(responseBody, StandardCharsets.UTF_8));
        }
    }

    /** A token from the stack's local authorizer for {@code email}. */
    public static String token(LocalStack stack, String email) {
        Response response = post(stack.baseUrl() + "/_local/token", "{\"email\":\"" + email + "\"}");
        if (response.status() != 200) {
            throw new IllegalStateException("No token: " + response);
        }
        return String.valueOf(response.json().get("token"));
    }

    /** {@code Authorization: Bearer <token>} for {@code email}, as header name and value. */
    public static String[] bearer(LocalStack stack, String email) {
        return new String[] {"Authorization", "Bearer " + token(stack, email)};
    }
}
