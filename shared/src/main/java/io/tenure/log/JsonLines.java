package io.tenure.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tenure.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one JSON object on one line: {@code timestamp} (ISO-8601 UTC), {@code level},
 * {@code message}, {@code function}, {@code requestId} (from the MDC, inside an invocation), then
 * the event's key/value pairs with their JSON types. Exceptions are never written (their messages
 * can hold data); callers name the exception class in a field. Jackson is in every function already,
 * so this costs fewer classes at cold start than a JSON encoder library (README, libraries).
 */
public final class JsonLines extends EncoderBase<ILoggingEvent> {
    private static final Set<String> OWN = Set.of("timestamp", "level", "message", "function", Log.REQUEST_ID);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("message", event.getFormattedMessage());
            String function = Log.function();
            if (function != null) {
                json.writeStringField("function", function);
            }
            String requestId = event.getMDCPropertyMap().get(Log.REQUEST_ID);
            if (requestId != null) {
                json.writeStringField(Log.REQUEST_ID, requestId);
            }
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    if (pair.value != null && !OWN.contains(pair.key)) {
                        json.writeFieldName(pair.key);
                        json.writeObject(pair.value);
                    }
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
