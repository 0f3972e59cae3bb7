package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collaborator workflow from end to end in the admin console, in Debian's chromium driven by
 * playwright-core ({@code console/e2e/workflow.e2e.mjs}) against the shared local stack, with
 * axe-core checking each screen. A missing chromium, console build or package fails the test with how
 * to get it; it is never skipped.
 */
class ConsoleWorkflowEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private static LocalStack stack;

    @BeforeAll
    static void stackAndTools() {
        stack = SharedStack.get();
        BrowserScripts.requireTools(true);
    }

    /**
     * Everything through the console (and the emailed link), nothing made through the API first:
     * <ol>
     * <li>an admin signs in with the local sign-in form and creates an org and a project;</li>
     * <li>invites a collaborator with a note (engagement, reference, justification), an access end date
     * and a stakeholder, and sees the invitation pending on Invitations;</li>
     * <li>resends it: refused within the minute (429, the wait in words), sent once the stack clock has
     * moved a minute, the send count going to 2;</li>
     * <li>the collaborator opens the newest link emailed through the SES emulator in a second browser
     * context: opening it leaves the invitation pending and makes no member (checked through the API and
     * on Invitations); pressing Accept makes the invitation accepted and the collaborator a member;</li>
     * <li>the admin sees the member on Members and on the member page, with the end date and the
     * stakeholders;</li>
     * <li>extends the access on the member page with a justification;</li>
     * <li>the stack clock moves until 10 days of access are left, and the Overview lists the member under
     * access ending within 14 days;</li>
     * <li>removes the member with a reason;</li>
     * <li>Audit shows org.created, project.created, invitation.created, invitation.resent (once),
     * invitation.accepted, member.updated and member.removed, and its CSV download parses into a row for
     * each, the justification and the reason intact.</li>
     * </ol>
     * The script reads the stack's clock for every date (other tests move it too) and never prints the
     * emailed token.
     */
    @Test
    void anAdminInvitesAndACollaboratorAcceptsIsExtendedAndRemovedInChromium() {
        ToolRun run = BrowserScripts.run("console-e2e", List.of("e2e/workflow.e2e.mjs"),
                Map.of("TENURE_URL", stack.baseUrl(), "SES_URL", stack.sesUrl()), RUN_TIMEOUT);
        assertThat(run.output()).as("the script printed an accept token").doesNotContainPattern("accept\\?token=[A-Za-z0-9_-]{43}");
        BrowserScripts.assertPassed(run, "e2e/workflow.e2e.mjs");
    }
}
