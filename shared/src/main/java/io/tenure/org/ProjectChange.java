package io.tenure.org;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.validation.BodyReader;
import java.util.Set;

/**
 * The body of {@code PATCH /orgs/{orgId}/projects/{projectId}}; any other field answers 422 naming it.
 *
 * @param name     the new name, or null to keep it
 * @param archived whether the project is archived after the change
 * @param settings the current settings with the body's changes merged in
 */
public record ProjectChange(String name, boolean archived, ProjectSettings settings) {
    /** The body, checked against the project as it is; 422 listing every broken rule. */
    public static ProjectChange read(ObjectNode body, Project current) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(ProjectChange.class);
        String name = in.text("name", 1, 100, false);
        boolean archived = in.bool("archived", current.archived());
        ProjectSettings settings = projectSettings(in, current.settings());
        in.throwIfInvalid();
        return new ProjectChange(name, archived, settings);
    }

    private static ProjectSettings projectSettings(BodyReader in, ProjectSettings current) {
        com.fasterxml.jackson.databind.JsonNode node = in.node("settings");
        if (node == null) {
            return current;
        }
        if (!node.isObject()) {
            in.error("/settings", "must be an object {identityHashing, keylessIdentify}");
            return current;
        }
        String hashing = current.identityHashing();
        boolean keyless = current.keylessIdentify();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equals("identityHashing")) {
                if (!field.getValue().isTextual() || !Set.of("none", ProjectSettings.HMAC).contains(field.getValue().asText())) {
                    in.error("/settings/identityHashing", "must be none or hmac-sha256");
                } else {
                    hashing = field.getValue().asText();
                }
            } else if (field.getKey().equals("keylessIdentify")) {
                if (!field.getValue().isBoolean()) {
                    in.error("/settings/keylessIdentify", "must be true or false");
                } else {
                    keyless = field.getValue().asBoolean();
                }
            } else {
                in.error("/settings/" + field.getKey(), "is not a known project setting");
            }
        }
        return new ProjectSettings(hashing, keyless);
    }
}
