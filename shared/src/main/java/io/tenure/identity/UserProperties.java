package io.tenure.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.validation.BodyReader;

/**
 * The body of {@code POST /api/add_user_properties}, its components named as Heap's API names the
 * fields; any other field answers 422 naming it.
 */
public record UserProperties(String app_id, String identity, ObjectNode properties) {
    /** The body, checked; 422 listing every broken rule. */
    public static UserProperties read(ObjectNode body) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(UserProperties.class);
        UserProperties request = new UserProperties(in.text("app_id", 1, 64, true), IdentityService.identity(in),
                IdentityService.properties(in, in.node("properties")));
        in.throwIfInvalid();
        return request;
    }
}
