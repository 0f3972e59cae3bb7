package io.tenure.events;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Publishes on the bus {@code EVENT_BUS_NAME} with source {@code tenure} (SPEC §10). */
public final class EventBridgePublisher implements EventPublisher {
    private final EventBridgeClient client;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    @Override
    public List<String> publish(List<OutgoingEvent> events) {
        List<PutEventsRequestEntry> entries = events.stream().map(e -> PutEventsRequestEntry.builder()
                .eventBusName(busName).source("tenure").detailType(e.detailType()).detail(e.detail()).build()).toList();
        PutEventsResponse response = client.putEvents(PutEventsRequest.builder().entries(entries).build());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (i >= response.entries().size() || response.entries().get(i).errorCode() != null) {
                failed.add(events.get(i).id());
            }
        }
        return failed;
    }
}
