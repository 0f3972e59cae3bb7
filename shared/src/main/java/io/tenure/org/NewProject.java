package io.tenure.org;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.validation.BodyReader;
import java.util.Set;

/** The body of {@code POST /orgs/{orgId}/projects}; any other field answers 422 naming it. */
public record NewProject(String name, String environment, String platform) {
    static final Set<String> ENVIRONMENTS = Set.of("production", "staging", "development");
    static final Set<String> PLATFORMS = Set.of("web", "ios", "android", "server");

    /** The body, checked; 422 listing every broken rule. */
    public static NewProject read(ObjectNode body) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(NewProject.class);
        NewProject project = new NewProject(in.text("name", 1, 100, true),
                in.oneOf("environment", ENVIRONMENTS, "production"), in.oneOf("platform", PLATFORMS, "web"));
        in.throwIfInvalid();
        return project;
    }
}
