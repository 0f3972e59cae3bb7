package io.tenure.schedule;

/**
 * What one scheduled run did: steps found due, done, skipped (another run had them, or they no
 * longer applied), failed (left for the next run), emails sent, and whether it stopped early to
 * stay inside the function's time limit.
 */
public record RunSummary(String queue, int found, int done, int skipped, int failed, int emailsSent,
                         boolean stoppedEarly, long durationMs) {

    /** The summary as a scheduled function returns it, written to the log as one JSON line too. */
    public java.util.Map<String, Object> reported() {
        java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("queue", queue);
        result.put("found", found);
        result.put("done", done);
        result.put("skipped", skipped);
        result.put("failed", failed);
        result.put("emailsSent", emailsSent);
        result.put("stoppedEarly", stoppedEarly);
        result.put("durationMs", durationMs);
        io.tenure.log.Log.info("scheduled run", "summary", result);
        return result;
    }
}
