package io.tenure.member;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import io.tenure.email.Dates;
import io.tenure.invitation.AcceptPages;
import io.tenure.value.CheckinAnswer;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages of a check-in link: what it asks, with a button whose form posts back to the page's
 * own URL (no script, so a mail scanner that opens the link answers nothing), and what was done.
 * They share the accept pages' style sheet and security headers ({@link AcceptPages}).
 */
public final class CheckinPages {
    private final MustacheFactory mustache = new DefaultMustacheFactory("page");
    private final AcceptPages problems = new AcceptPages();

    public String checkin(CheckinPreview preview) {
        Map<String, Object> model = base(preview.org().name(), preview.member().email(), preview.answer());
        model.put("acceptedAt", preview.member().acceptedAt() == null ? "an earlier date" : Dates.human(preview.member().acceptedAt()));
        model.put("lastActiveAt", preview.member().lastActiveAt() == null ? null : Dates.human(preview.member().lastActiveAt()));
        model.put("accessEndsAt", preview.member().accessEndsAt() == null ? null : Dates.human(preview.member().accessEndsAt()));
        model.put("expiresAt", Dates.human(preview.checkin().expiresAt()));
        return render("checkin.html.mustache", model);
    }

    public String answered(CheckinAnswered answered) {
        return render("checkin-answered.html.mustache", base(answered.org().name(), answered.member().email(), answered.answer()));
    }

    /** The page for a link that cannot act: which case, and what to do next (the accept pages' own). */
    public String problem(String heading, String detail) {
        return problems.problem(heading, detail);
    }

    private static Map<String, Object> base(String orgName, String memberEmail, CheckinAnswer answer) {
        Map<String, Object> model = new HashMap<>();
        model.put("css", AcceptPages.css());
        model.put("orgName", orgName);
        model.put("memberEmail", memberEmail);
        model.put("keep", answer == CheckinAnswer.KEEP);
        return model;
    }

    private String render(String template, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        mustache.compile(template).execute(out, model);
        return out.toString();
    }
}
