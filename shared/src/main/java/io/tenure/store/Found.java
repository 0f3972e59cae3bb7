package io.tenure.store;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What one {@link Table#read} found: each {@link Read}'s value, or empty where no item exists. */
public final class Found {
    private final Map<String, Map<String, AttributeValue>> items;

    Found(Map<String, Map<String, AttributeValue>> items) {
        this.items = items;
    }

    /** The value of {@code read}, if its item exists (a decoder may still answer empty). */
    public <T> Optional<T> get(Read<T> read) {
        Map<String, AttributeValue> item = items.get(Found.id(read.pk(), read.sk()));
        return item == null ? Optional.empty() : Optional.ofNullable(read.decode(item));
    }

    /** One string per key: pk and sk, apart. */
    static String id(String pk, String sk) {
        return pk + '\u0000' + sk;
    }
}
