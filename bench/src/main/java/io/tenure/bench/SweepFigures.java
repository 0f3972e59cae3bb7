package io.tenure.bench;

/**
 * One run of the sweep benchmark.
 *
 * @param run what ran: the expiry sweep, the reminders, or the Scan baseline
 * @param tableItems the entities seeded (invitations and members)
 * @param due the due items the run found (for the baseline: the items its filter kept)
 * @param itemsRead items DynamoDB read for the run (Query/Scan ScannedCount, BatchGetItem responses, GetItems that found an item)
 * @param wallMs the run's wall time
 * @param readsByCall the items read split by call (Query, GetItem, ...)
 */
record SweepFigures(String run, int tableItems, int due, long itemsRead, double wallMs, String readsByCall) {
    double readPerDue() {
        return due == 0 ? Double.NaN : (double) itemsRead / due;
    }
}
