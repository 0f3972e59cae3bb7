package io.tenure.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.MalformedJsonException;
import io.tenure.error.PayloadTooLargeException;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the services see it: plain Java, no AWS types.
 *
 * @param routeKey    e.g. {@code POST /orgs/{orgId}/invitations}
 * @param headers     lower-cased names
 * @param claims      the JWT claims the authorizer verified, empty for public routes
 */
public record ApiRequest(
        String routeKey,
        String path,
        Map<String, String> pathParameters,
        Map<String, String> queryParameters,
        Map<String, String> headers,
        String body,
        Map<String, String> claims,
        String requestId,
        String sourceIp,
        String userAgent) {

    /** Request bodies over this many bytes answer 413 (SPEC §3). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The body as a JSON object: 413 when too large, 400 when not JSON, 422 when not an object. */
    public ObjectNode jsonObject() {
        String text = body == null ? "" : body;
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new PayloadTooLargeException();
        }
        if (text.isBlank()) {
            throw new MalformedJsonException("The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new MalformedJsonException();
        }
        if (node == null || !node.isObject()) {
            throw ValidationFailedException.of("", "The body must be a JSON object.");
        }
        return (ObjectNode) node;
    }
}
