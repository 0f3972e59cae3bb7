package io.tenure.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for EventBridge: no EventBridge emulator exists here, so this answers the SDK's
 * PutEvents (JSON 1.1 protocol) at {@code POST /_local/eventbridge}, records every entry, and lists
 * them at {@code GET /_local/events}. It routes nothing anywhere. With an EventBridge run elsewhere
 * (the LocalStack tier) it answers nothing: the stack passes each call on, and this only records
 * what that bus accepted ({@link #recordAccepted}).
 */
public final class FakeEventBridge {
    private final List<Map<String, Object>> entries = new ArrayList<>();
    private final java.time.Clock clock;

    FakeEventBridge(java.time.Clock clock) {
        this.clock = clock;
    }

    /** The answer to one PutEvents call, as the SDK expects it. */
    String putEvents(String requestBody) {
        Map<String, Object> request = Json.readObject(requestBody);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Object entry : TemplateModel.list(request.get("Entries"))) {
            String eventId = UUID.randomUUID().toString();
            Map<String, Object> recorded = new LinkedHashMap<>(TemplateModel.map(entry));
            recorded.put("EventId", eventId);
            recorded.put("ReceivedAt", clock.instant().toString());
            synchronized (entries) {
                entries.add(recorded);
            }
            results.add(Map.of("EventId", eventId));
        }
        return Json.write(Map.of("FailedEntryCount", 0, "Entries", results));
    }

    /** Records the entries of a PutEvents request that the real bus accepted, with the EventIds of its answer. */
    void recordAccepted(String requestBody, String answerBody) {
        List<Object> sent = TemplateModel.list(Json.readObject(requestBody).get("Entries"));
        List<Object> results = TemplateModel.list(Json.readObject(answerBody).get("Entries"));
        for (int i = 0; i < sent.size() && i < results.size(); i++) {
            Object eventId = TemplateModel.map(results.get(i)).get("EventId");
            if (eventId == null) {
                continue; // this entry failed: the publisher keeps it for its next run
            }
            Map<String, Object> recorded = new LinkedHashMap<>(TemplateModel.map(sent.get(i)));
            recorded.put("EventId", String.valueOf(eventId));
            recorded.put("ReceivedAt", clock.instant().toString());
            synchronized (entries) {
                entries.add(recorded);
            }
        }
    }

    /** Every entry put so far, oldest first, each with its EventId. */
    public List<Map<String, Object>> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }
}
