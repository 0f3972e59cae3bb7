package io.tenure.http;

import io.tenure.error.ValidationFailedException;

/** The {@code limit} (1–100, default 50) and opaque {@code cursor} every list takes (SPEC §3). */
public record ListParameters(int limit, String cursor) {
    public static ListParameters from(ApiRequest request) {
        String raw = request.query("limit").orElse(null);
        int limit = 50;
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ValidationFailedException.of("/limit", "must be a whole number from 1 to 100");
            }
        }
        return new ListParameters(limit, request.query("cursor").orElse(null));
    }
}
