package io.tenure.store;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item to read by key, made by a store: the key, and how that store turns the item into a
 * value. Services put reads from several stores together and run them through a store's
 * {@code read} ({@link Table#read}: one request however many items, up to 100), without seeing a
 * DynamoDB type; {@link Found} hands each value back. This is how an operation keeps to its
 * request budget (docs/performance.md).
 *
 * @param <T> what the store makes of the item
 */
public final class Read<T> {
    private final String pk;
    private final String sk;
    private final Function<Map<String, AttributeValue>, T> decode;
    private final String chainHeadPk;
    private final String chainHeadSk;

    private Read(String pk, String sk, Function<Map<String, AttributeValue>, T> decode, String chainHeadPk, String chainHeadSk) {
        this.pk = Objects.requireNonNull(pk, "pk");
        this.sk = Objects.requireNonNull(sk, "sk");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.chainHeadPk = chainHeadPk;
        this.chainHeadSk = chainHeadSk;
    }

    /** For stores: the item at {@code pk}/{@code sk}, decoded by {@code decode} when it exists. */
    public static <T> Read<T> of(String pk, String sk, Function<Map<String, AttributeValue>, T> decode) {
        return new Read<>(pk, sk, decode, null, null);
    }

    /**
     * This read, bringing along the head of the {@link HashChain} at {@code headPk}/{@code headSk} in
     * the same request, so that a transaction that links to that chain afterwards needs no read of
     * its own (the org's read brings its audit chain's head).
     */
    public Read<T> withChainHead(String headPk, String headSk) {
        return new Read<>(pk, sk, decode, Objects.requireNonNull(headPk, "headPk"), Objects.requireNonNull(headSk, "headSk"));
    }

    String chainHeadPk() {
        return chainHeadPk;
    }

    String chainHeadSk() {
        return chainHeadSk;
    }

    String pk() {
        return pk;
    }

    String sk() {
        return sk;
    }

    T decode(Map<String, AttributeValue> item) {
        return decode.apply(item);
    }
}
