package io.tenure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;

/** JSON request bodies written as text in tests. */
public final class TestJson {
    private TestJson() {
    }

    /** The JSON object {@code text} holds, read with the production mapper. */
    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
