package io.tenure.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.validation.BodyReader;

/** The body of {@code POST /orgs/{orgId}/projects/{projectId}/api-keys}; any other field answers 422 naming it. */
public record NewApiKey(String name) {
    /** The body, checked; 422 when the name is missing or too long. */
    public static NewApiKey read(ObjectNode body) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(NewApiKey.class);
        NewApiKey key = new NewApiKey(in.text("name", 1, 100, true));
        in.throwIfInvalid();
        return key;
    }
}
