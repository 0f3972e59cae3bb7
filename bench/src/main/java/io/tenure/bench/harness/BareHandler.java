package io.tenure.bench.harness;

import java.util.Map;

/** The bare floor: a handler that returns at once, run by the same harness (a JVM, the serializer, one call). */
public final class BareHandler {
    public Map<String, Object> handleRequest(Map<String, Object> event) {
        return Map.of("statusCode", 200);
    }
}
