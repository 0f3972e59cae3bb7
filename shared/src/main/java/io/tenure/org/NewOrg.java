package io.tenure.org;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.ValidationFailedException;
import io.tenure.validation.BodyReader;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /orgs}; any other field answers 422 naming it. Without a slug, one is
 * made from the name.
 */
public record NewOrg(String name, String slug, OrgSettings settings) {
    static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$");

    /** The body, checked; 422 listing every broken rule. */
    public static NewOrg read(ObjectNode body) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(NewOrg.class);
        String name = in.text("name", 1, 100, true);
        String slug = in.text("slug", 2, 40, false);
        if (slug == null && name != null && !in.hasErrors()) {
            slug = OrgService.slugOf(name);
        }
        if (slug != null && !SLUG.matcher(slug).matches()) {
            in.error("/slug", "must be 2 to 40 lower-case letters, digits or hyphens, not starting or ending with a hyphen");
        }
        OrgSettings settings = OrgSettings.defaults();
        try {
            settings = settings.with(in.node("settings"), "/settings");
        } catch (ValidationFailedException e) {
            e.errors().forEach(err -> in.error(err.pointer(), err.message()));
        }
        in.throwIfInvalid();
        return new NewOrg(name, slug, settings);
    }
}
