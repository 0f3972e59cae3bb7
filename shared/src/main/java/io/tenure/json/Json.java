package io.tenure.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON mapper: ISO-8601 instants, absent fields left out, unknown stored fields ignored.
 * A body with one key twice is refused (400): which value wins would otherwise be the parser's
 * choice, and a check could read one while the store keeps the other. So is a body with anything
 * after its value ({@code {"name":"a"} {"name":"b"}}): the rest was silently ignored. Decimals are
 * read exactly, as BigDecimal: a property value is stored as sent, not rounded to a double's 17
 * digits.
 *
 * <p>Of java.time, only {@link Instant} is in Tenure's JSON: its serializer and deserializer are
 * jackson-datatype-jsr310's own (as JavaTimeModule registers them), without the module's ~50 others
 * for types Tenure never writes, which each cold start loaded (docs/jar-trimming.md). Another
 * java.time type in a body fails loudly (Jackson names the missing module), not silently.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("tenure-instants")
                    .addSerializer(Instant.class, InstantSerializer.INSTANCE)
                    .addDeserializer(Instant.class, InstantDeserializer.INSTANT))
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A decimal keeps every digit sent (a double would round 0.12345678901234567890).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a caller's JSON into {@code type} without coercing scalars: {@code 1} is not {@code true},
     * {@code 7.0} and {@code "7"} are not {@code 7}. A mismatch throws a {@link JsonMappingException}
     * whose path names the field.
     */
    public static <T> T readStrict(JsonNode node, Class<T> type) throws JsonMappingException {
        try {
            return STRICT.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("deprecation")
    private static final ObjectMapper STRICT = ((JsonMapper) MAPPER).rebuild()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Text fields take only JSON strings: the feature above leaves 42 -> "42" allowed.
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, text -> text
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
            .build();

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
