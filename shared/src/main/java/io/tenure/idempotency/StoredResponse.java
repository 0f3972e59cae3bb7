package io.tenure.idempotency;

import java.util.Map;

/** The first response to an idempotent request, kept to answer its repeats. */
public record StoredResponse(int status, Map<String, String> headers, String body) {
}
