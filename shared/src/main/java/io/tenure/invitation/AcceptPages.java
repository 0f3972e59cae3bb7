package io.tenure.invitation;

import io.tenure.value.OrgRole;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-rendered pages of the accept link (SPEC §5). They load nothing from elsewhere and
 * hold no script; the Accept button posts a plain form back to the page's own URL, so the token
 * stays in the link and never appears in a page, and a mail scanner that opens the link changes
 * nothing. The one inline style sheet is allowed by its hash in a strict Content-Security-Policy.
 */
public final class AcceptPages {
    private static final String CSS = read("page/accept.css");
    private static final Map<String, String> HEADERS = headers();

    private final MustacheFactory mustache = new DefaultMustacheFactory("page");

    /** The one style sheet of Tenure's pages (the check-in pages share it, and so its hash in the headers). */
    public static String css() {
        return CSS;
    }

    /** The security headers every accept page carries. */
    public static Map<String, String> securityHeaders() {
        return HEADERS;
    }

    public String invitation(AcceptPreview preview) {
        Invitation inv = preview.invitation();
        Map<String, Object> model = base(preview.org().name());
        model.put("inviter", preview.inviterEmail());
        model.put("email", inv.email());
        model.put("orgRoleLabel", inv.orgRole() == OrgRole.ADMIN ? "an admin (manages every project)" : "a collaborator");
        model.put("projects", preview.projects());
        model.put("hasProjects", !preview.projects().isEmpty());
        model.put("engagement", inv.note() == null ? null : inv.note().engagement());
        model.put("accessEndsAt", inv.accessEndsAt() == null ? null : io.tenure.email.Dates.human(inv.accessEndsAt()));
        model.put("expiresAt", io.tenure.email.Dates.human(inv.expiresAt()));
        model.put("signIn", io.tenure.org.SignIn.of(preview.org().settings(), inv.emailKey()).instruction());
        return render("invitation.html.mustache", model);
    }

    public String accepted(Accepted accepted) {
        Map<String, Object> model = base(accepted.org().name());
        model.put("email", accepted.member().email());
        io.tenure.org.SignIn signIn = io.tenure.org.SignIn.of(accepted.org().settings(), accepted.member().emailKey());
        model.put("loginUrl", signIn.url());
        model.put("loginMethod", signIn.instruction());
        return render("accepted.html.mustache", model);
    }

    /** The page for a link that cannot be used: which case, and what to do next. */
    public String problem(String heading, String detail) {
        Map<String, Object> model = base(null);
        model.put("heading", heading);
        model.put("detail", detail);
        return render("problem.html.mustache", model);
    }

    private Map<String, Object> base(String orgName) {
        Map<String, Object> model = new HashMap<>();
        model.put("css", CSS);
        model.put("orgName", orgName);
        return model;
    }

    private String render(String template, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        mustache.compile(template).execute(out, model);
        return out.toString();
    }

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", "no-store");
        headers.put("referrer-policy", "no-referrer");
        headers.put("x-robots-tag", "noindex");
        headers.put("x-content-type-options", "nosniff");
        headers.put("x-frame-options", "DENY");
        headers.put("content-security-policy", "default-src 'none'; style-src 'sha256-" + sha256(CSS)
                + "'; img-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        return Map.copyOf(headers);
    }

    private static String sha256(String text) {
        return Base64.getEncoder().encodeToString(io.tenure.id.Hashes.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String read(String resource) {
        try (InputStream in = AcceptPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
