package io.tenure.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.validation.BodyReader;
import java.time.Instant;

/**
 * The body of {@code POST /api/v1/identify}, its components named as Heap's API names the fields;
 * any other field answers 422 naming it.
 *
 * @param timestamp when it happened; the time of the request when the body has none
 */
public record Identify(String app_id, String identity, Long user_id, Instant timestamp) {
    /** The body, checked; 422 listing every broken rule. */
    public static Identify read(ObjectNode body, Instant now) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(Identify.class);
        Identify request = new Identify(in.text("app_id", 1, 64, true), IdentityService.identity(in),
                IdentityService.userId(in, body.get("user_id")), IdentityService.timestamp(in, now));
        in.throwIfInvalid();
        return request;
    }
}
