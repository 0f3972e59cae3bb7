package io.tenure.events;

import java.util.List;

/** Sends events to the event bus; returns the ids of the events it could not send. */
public interface EventPublisher {
    List<String> publish(List<OutgoingEvent> events);

    /** One event: its id (the audit event's), detail type (the action) and JSON detail. */
    record OutgoingEvent(String id, String detailType, String detail) {
    }
}
