package io.tenure.http;

import io.tenure.error.ValidationFailedException;

/** Reads {@code If-Match: <version>} (quotes and a weak prefix allowed); null when absent. */
public final class IfMatch {
    private IfMatch() {
    }

    public static Long version(ApiRequest request) {
        String raw = request.header("if-match").orElse(null);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ValidationFailedException.of("/If-Match", "must be the resource's version number");
        }
    }
}
