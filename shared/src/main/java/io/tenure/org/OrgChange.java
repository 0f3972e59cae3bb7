package io.tenure.org;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.ValidationFailedException;
import io.tenure.validation.BodyReader;

/**
 * The body of {@code PATCH /orgs/{orgId}}; any other field answers 422 naming it.
 *
 * @param name     the new name, or null to keep it
 * @param settings the current settings with the body's changes merged in
 */
public record OrgChange(String name, OrgSettings settings) {
    /** The body, checked against the current settings; 422 listing every broken rule. */
    public static OrgChange read(ObjectNode body, OrgSettings current) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(OrgChange.class);
        String name = in.text("name", 1, 100, false);
        OrgSettings settings = current;
        try {
            settings = current.with(in.node("settings"), "/settings");
        } catch (ValidationFailedException e) {
            e.errors().forEach(err -> in.error(err.pointer(), err.message()));
        }
        in.throwIfInvalid();
        return new OrgChange(name, settings);
    }
}
