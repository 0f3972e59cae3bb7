package io.tenure.store;

import java.util.Objects;
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

    private Write(TransactWriteItem item, Object meaning) {
        this.item = Objects.requireNonNull(item, "item");
        this.meaning = meaning;
    }

    /** For stores: wraps one DynamoDB transaction item. */
    public static Write of(TransactWriteItem item) {
        return new Write(item, null);
    }

    /**
     * This write, whose failed condition means {@code meaning} to the caller (usually a constant
     * of the caller's own enum). A failed write without a meaning reads as "changed meanwhile".
     */
    public Write refusedAs(Object meaning) {
        return new Write(item, Objects.requireNonNull(meaning, "meaning"));
    }

    TransactWriteItem item() {
        return item;
    }

    Object meaning() {
        return meaning;
    }
}
