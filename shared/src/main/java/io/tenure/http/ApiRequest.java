package io.tenure.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.MalformedJsonException;
import io.tenure.error.PayloadTooLargeException;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The person behind the request, from the verified JWT claims; 401 when they name nobody. */
    public io.tenure.access.Caller caller() {
        return io.tenure.access.Caller.fromClaims(claims);
    }

    /** Where the request came from, as the audit records it. */
    public io.tenure.audit.RequestOrigin origin() {
        return new io.tenure.audit.RequestOrigin(requestId, sourceIp, userAgent);
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

    /** Whether the body is an HTML form ({@code application/x-www-form-urlencoded}). */
    public boolean isForm() {
        return header("content-type").map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded"))
                .orElse(false);
    }

    /** One field of a form body, URL-decoded; empty when absent or the body is too large. */
    public Optional<String> formField(String name) {
        if (body == null || body.length() > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        Optional<String> found = Optional.empty();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                if (found.isPresent()) {
                    // Which of two values was meant cannot be known: refused, not guessed.
                    throw ValidationFailedException.of("/" + name, "is given more than once");
                }
                found = Optional.of(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return found;
    }

    /** As {@link #jsonObject}, with no body read as {@code {}} (for actions whose fields are all optional). */
    public ObjectNode jsonObjectOrEmpty() {
        return body == null || body.isBlank() ? Json.object() : jsonObject();
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
            throw duplicateKey(e).<MalformedJsonException>map(MalformedJsonException::new).orElseGet(MalformedJsonException::new);
        }
        if (node == null || !node.isObject()) {
            throw ValidationFailedException.of("", "The body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'");

    /** Names the key sent twice, with where it is, when that is why the body was refused. */
    private static Optional<String> duplicateKey(java.io.IOException e) {
        if (!(e instanceof JsonProcessingException parse)) {
            return Optional.empty();
        }
        Matcher m = DUPLICATE.matcher(parse.getOriginalMessage() == null ? "" : parse.getOriginalMessage());
        if (!m.find()) {
            return Optional.empty();
        }
        String at = "";
        if (parse.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                && parser.getParsingContext().getParent() != null) {
            at = parser.getParsingContext().getParent().pathAsPointer().toString();
        }
        return Optional.of("The request body has the key \"" + m.group(1) + "\" twice in the object at "
                + (at.isEmpty() ? "the top level" : at) + "; send each key once.");
    }
}
