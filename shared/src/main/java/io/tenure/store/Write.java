package io.tenure.store;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One write of a transaction, made by a store. Services put writes from several stores together
 * and commit them through a store's {@code commit} (one {@link Table#transact}), without seeing a DynamoDB type. A write whose
 * condition the caller expects to fail says what that failure means ({@link #refusedAs}); the
 * {@link WriteOutcome} then names the meanings of the conditions that failed, never positions.
 */
public final class Write {
    private final TransactWriteItem item;
    private final Object meaning;
    private final Link link;

    private Write(TransactWriteItem item, Object meaning, Link link) {
        this.item = item;
        this.meaning = meaning;
        this.link = link;
        if ((item == null) == (link == null)) {
            throw new IllegalArgumentException("A write is either one transaction item or one link of a chain");
        }
    }

    /** For stores: wraps one DynamoDB transaction item. */
    public static Write of(TransactWriteItem item) {
        return new Write(Objects.requireNonNull(item, "item"), null, null);
    }

    /**
     * For stores: a new item (a Put, on the condition that no item has its key) that is the next
     * link of the {@link HashChain} whose head is at {@code headPk}/{@code headSk}. {@link
     * Table#transact} gives it {@code seq}, {@code prevHash} and {@code hash} when it commits, and
     * moves the head in the same transaction; {@code unhashed} names the attributes the hash leaves
     * out (keys, expiry, and bookkeeping changed later).
     */
    public static Write linked(String headPk, String headSk, Map<String, AttributeValue> item, Set<String> unhashed) {
        return new Write(null, null, new Link(headPk, headSk, Map.copyOf(item), Set.copyOf(unhashed)));
    }

    /** A link of a hash chain, to be finished at commit. */
    record Link(String headPk, String headSk, Map<String, AttributeValue> item, Set<String> unhashed) {
        String headId() {
            return Found.id(headPk, headSk);
        }
    }

    /**
     * This write, whose failed condition means {@code meaning} to the caller (usually a constant
     * of the caller's own enum). A failed write without a meaning reads as "changed meanwhile".
     */
    public Write refusedAs(Object meaning) {
        return new Write(item, Objects.requireNonNull(meaning, "meaning"), link);
    }

    /** The transaction item; null for a {@link #link}, which {@link Table#transact} finishes. */
    TransactWriteItem item() {
        return item;
    }

    Link link() {
        return link;
    }

    Object meaning() {
        return meaning;
    }
}
