package io.tenure.store;

import java.util.List;

/**
 * Commits writes from several stores as one all-or-nothing DynamoDB transaction. The one way a
 * service writes more than one item at once; the table itself stays inside the stores.
 */
public final class Transactions {
    private final Table table;

    public Transactions(Table table) {
        this.table = table;
    }

    /** Commits all the writes or none; a failed condition comes back by its meaning ({@link Write#refusedAs}). */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }
}
