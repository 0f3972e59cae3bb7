package io.tenure.local;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (Developer Guide, "Item sizes and formats"): each attribute
 * name's UTF-8 bytes plus its value's; a string its UTF-8 bytes; a number 1 byte plus 1 per two
 * significant digits; a boolean or null 1 byte; a list or map 3 bytes plus 1 per element and the
 * elements. DynamoDB Local's consumed-capacity figures are wrong, so tests count from the item.
 */
final class ItemSize {
    private ItemSize() {
    }

    static int bytes(Map<String, AttributeValue> item) {
        int total = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            total += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return total;
    }

    /** Each attribute with its bytes, largest first: what to trim when an item grows. */
    static String breakdown(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder();
        item.entrySet().stream()
                .sorted((a, b) -> Integer.compare(utf8(b.getKey()) + value(b.getValue()), utf8(a.getKey()) + value(a.getValue())))
                .forEach(e -> out.append(e.getKey()).append('=').append(utf8(e.getKey()) + value(e.getValue())).append(' '));
        return out.toString().trim();
    }

    private static int value(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return number(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToInt(ItemSize::utf8).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToInt(ItemSize::number).sum();
        }
        if (value.hasBs()) {
            return value.bs().stream().map(SdkBytes::asByteArray).mapToInt(b -> b.length).sum();
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToInt(element -> 1 + value(element)).sum();
        }
        if (value.hasM()) {
            return 3 + value.m().entrySet().stream().mapToInt(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
        }
        throw new IllegalArgumentException("An attribute value of no known type: " + value);
    }

    private static int number(String text) {
        String digits = new BigDecimal(text).stripTrailingZeros().unscaledValue().abs().toString();
        return 1 + (digits.length() + 1) / 2;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
