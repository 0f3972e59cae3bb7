package io.tenure.schedule;

/**
 * What one scheduled run did: steps found due, done, skipped (another run had them, or they no
 * longer applied), failed (left for the next run), emails sent, and whether it stopped early to
 * stay inside the function's time limit.
 */
public record RunSummary(String queue, int found, int done, int skipped, int failed, int emailsSent,
                         boolean stoppedEarly, long durationMs) {
}
