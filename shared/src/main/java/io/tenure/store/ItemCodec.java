package io.tenure.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Converts between JSON trees and DynamoDB items, so entities are stored as their own JSON shape. */
public final class ItemCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ItemCodec() {
    }

    public static Map<String, AttributeValue> toItem(ObjectNode node) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                item.put(e.getKey(), toAttribute(e.getValue()));
            }
        });
        return item;
    }

    public static AttributeValue toAttribute(JsonNode node) {
        if (node.isTextual()) {
            return AttributeValue.fromS(node.asText());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(node.decimalValue().toPlainString());
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.asBoolean());
        }
        if (node.isArray()) {
            List<AttributeValue> list = new ArrayList<>();
            node.forEach(n -> list.add(toAttribute(n)));
            return AttributeValue.fromL(list);
        }
        if (node.isObject()) {
            return AttributeValue.fromM(toItem((ObjectNode) node));
        }
        return AttributeValue.fromNul(true);
    }

    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((k, v) -> node.set(k, toJson(v)));
        return node;
    }

    private static JsonNode toJson(AttributeValue value) {
        if (value.s() != null) {
            return NODES.textNode(value.s());
        }
        if (value.n() != null) {
            BigDecimal number = new BigDecimal(value.n());
            return number.scale() <= 0 ? NODES.numberNode(number.toBigIntegerExact()) : NODES.numberNode(number);
        }
        if (value.bool() != null) {
            return NODES.booleanNode(value.bool());
        }
        if (value.hasL()) {
            ArrayNode array = NODES.arrayNode();
            value.l().forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value.hasM()) {
            return toJson(value.m());
        }
        if (value.hasSs()) {
            ArrayNode array = NODES.arrayNode();
            value.ss().forEach(array::add);
            return array;
        }
        return NODES.nullNode();
    }
}
