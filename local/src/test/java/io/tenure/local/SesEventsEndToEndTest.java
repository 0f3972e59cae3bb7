package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SES feedback delivered locally as AWS delivers it: an invitation to an SES mailbox simulator
 * address makes SES's event (through the configuration set's event destination to the default
 * bus), which the email-events rule routes to EmailEventsFunction before the invite is answered.
 * No test here calls the email-events function itself, and none waits: delivery is done when the
 * request that caused it is answered.
 */
class SesEventsEndToEndTest {
    private static LocalStack stack;
    /** The email-events function's rule, as the template names it. */
    private static TemplateModel.EventRule feedbackRule;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        feedbackRule = stack.template().eventRules().stream().filter(r -> r.functionId().equals("EmailEventsFunction"))
                .findFirst().orElseThrow(() -> new AssertionError("template.yaml gives EmailEventsFunction no EventBridgeRule"));
    }

    /** An org of a new admin, with one project: admin bearer header, org id, project id, admin email. */
    private record Org(String[] admin, String orgId, String projectId, String adminEmail) {
    }

    private static Org org(String adminEmail) {
        String[] admin = TestHttp.bearer(stack, adminEmail);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Simulator Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin)
                .json().get("id");
        return new Org(admin, orgId, projectId, adminEmail);
    }

    private static TestHttp.Response invite(Org org, String invitee) {
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + org.orgId() + "/invitations", "{\"email\":\""
                + invitee + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + org.projectId()
                + "\",\"role\":\"viewer\"}]}", org.admin());
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        return invite;
    }

    @SuppressWarnings("unchecked")
    private static String messageId(TestHttp.Response invite) {
        return (String) ((Map<String, Object>) invite.json().get("delivery")).get("messageId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> delivery(Org org, String invitationId) {
        return (Map<String, Object>) TestHttp.get(stack.baseUrl() + "/orgs/" + org.orgId() + "/invitations/" + invitationId,
                org.admin()).json().get("delivery");
    }

    /** The routed events SES published for this message, oldest first (read once the request was answered). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> routedFor(String messageId) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/_local/events/routed")
                .json().get("events");
        return events.stream().filter(e -> {
            Map<String, Object> detail = (Map<String, Object>) ((Map<String, Object>) e.get("event")).get("detail");
            Object mail = detail == null ? null : detail.get("mail");
            return mail instanceof Map<?, ?> m && messageId.equals(m.get("messageId"));
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> routed) {
        return (Map<String, Object>) ((Map<String, Object>) routed.get("event")).get("detail");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bounceComplaintAndSuppressionListMarkTheInvitationAndTellTheInviterOnce() {
        String[][] cases = {
            // simulator mailbox, delivery.status, what the inviter is told, event types SES publishes, bounce subtype
            {"bounce", "bounced", "could not be delivered", "Email Bounced", "General"},
            {"complaint", "complained", "as spam", "Email Delivered,Email Complaint Received", null},
            {"suppressionlist", "bounced", "could not be delivered", "Email Bounced", "OnAccountSuppressionList"},
        };
        for (String[] kind : cases) {
            Org org = org("sim-admin-" + UUID.randomUUID() + "@acme.example");
            // A +label, as SES allows: the simulator answers for any label.
            String invitee = kind[0] + "+" + UUID.randomUUID() + "@simulator.amazonses.com";
            TestHttp.Response invite = invite(org, invitee);
            String invitationId = (String) invite.json().get("id");
            String messageId = messageId(invite);

            // Delivered before the invite was answered: no wait.
            assertThat(delivery(org, invitationId)).as(kind[0]).containsEntry("status", kind[1]).containsEntry("messageId", messageId);
            long told = SesMailbox.emailsTo(stack.sesUrl(), org.adminEmail()).stream()
                    .filter(e -> String.valueOf(e.get("subject")).contains(invitee) && String.valueOf(e.get("subject")).contains(kind[2]))
                    .count();
            assertThat(told).as(kind[0] + ": emails telling the inviter").isEqualTo(1);
            assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + org.orgId() + "/audit?action=invitation.delivery_failed&targetId="
                    + invitationId, org.admin()).body()).as(kind[0]).contains("invitation.delivery_failed");

            List<Map<String, Object>> routed = routedFor(messageId);
            assertThat(routed).as(kind[0]).extracting(e -> e.get("detailType")).containsExactly((Object[]) kind[3].split(","));
            for (Map<String, Object> event : routed) {
                assertThat(event).containsEntry("bus", "default").containsEntry("source", "aws.ses");
                assertThat((List<Object>) event.get("matchedRules")).containsExactly(feedbackRule.ruleName());
                List<Map<String, Object>> deliveries = (List<Map<String, Object>>) event.get("deliveries");
                assertThat(deliveries).hasSize(1);
                assertThat(deliveries.get(0)).containsEntry("function", "EmailEventsFunction").containsEntry("outcome", "succeeded");
            }
            Map<String, Object> last = detail(routed.get(routed.size() - 1));
            assertThat((List<Map<String, Object>>) routed.get(routed.size() - 1).get("deliveries"))
                    .as("the event that marked it").extracting(d -> d.get("result")).containsExactly(Map.of("result", "recorded"));
            if (kind[4] != null) {
                Map<String, Object> bounce = (Map<String, Object>) last.get("bounce");
                assertThat(bounce).containsEntry("bounceType", "Permanent").containsEntry("bounceSubType", kind[4]);
                assertThat((List<Map<String, Object>>) bounce.get("bouncedRecipients"))
                        .extracting(r -> r.get("emailAddress")).containsExactly(invitee);
            } else {
                Map<String, Object> complaint = (Map<String, Object>) last.get("complaint");
                assertThat(complaint).containsEntry("complaintFeedbackType", "abuse");
                assertThat((List<Map<String, Object>>) complaint.get("complainedRecipients"))
                        .extracting(r -> r.get("emailAddress")).containsExactly(invitee);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeliveryToTheSuccessMailboxReachesTheEmailEventsFunctionInSesShape() {
        Org org = org("sim-success-admin-" + UUID.randomUUID() + "@acme.example");
        String invitee = "success+" + UUID.randomUUID() + "@simulator.amazonses.com";
        TestHttp.Response invite = invite(org, invitee);
        String messageId = messageId(invite);

        List<Map<String, Object>> routed = routedFor(messageId);
        assertThat(routed).hasSize(1);
        Map<String, Object> record = routed.get(0);
        assertThat(record).containsEntry("detailType", "Email Delivered").containsEntry("bus", feedbackRule.eventBusName());
        assertThat((List<Object>) record.get("matchedRules")).containsExactly(feedbackRule.ruleName());
        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) record.get("deliveries");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0)).containsEntry("function", "EmailEventsFunction").containsEntry("outcome", "succeeded");

        // The event as SES puts it on EventBridge.
        Map<String, Object> event = (Map<String, Object>) record.get("event");
        String configurationSet = stack.template().sesEventDestinations().get(0).configurationSetName();
        assertThat(event).containsEntry("version", "0").containsEntry("detail-type", "Email Delivered")
                .containsEntry("source", "aws.ses").containsEntry("account", TemplateModel.ACCOUNT_ID)
                .containsEntry("region", TemplateModel.REGION).containsKeys("id", "time")
                .containsEntry("resources", List.of("arn:aws:ses:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID
                        + ":configuration-set/" + configurationSet));
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        assertThat(detail).containsEntry("eventType", "Delivery");
        Map<String, Object> mail = (Map<String, Object>) detail.get("mail");
        assertThat(mail).containsEntry("messageId", messageId).containsEntry("sendingAccountId", TemplateModel.ACCOUNT_ID)
                .containsEntry("destination", List.of(invitee)).containsKeys("timestamp", "source");
        assertThat((Map<String, Object>) mail.get("tags")).containsEntry("ses:configuration-set", List.of(configurationSet));
        Map<String, Object> delivered = (Map<String, Object>) detail.get("delivery");
        assertThat(delivered).containsEntry("recipients", List.of(invitee))
                .containsKeys("timestamp", "processingTimeMillis", "smtpResponse", "reportingMTA");

        // The invitation shows it delivered, at the time SES says the receiving server took it.
        String url = stack.baseUrl() + "/orgs/" + org.orgId() + "/invitations/" + invite.json().get("id");
        Map<String, Object> shown = (Map<String, Object>) TestHttp.get(url, org.admin()).json().get("delivery");
        assertThat(shown).containsEntry("status", "delivered").containsEntry("since", delivered.get("timestamp"));
        // Still pending 72 hours later: the inviter's nudge says it reached the mail server, so look in spam.
        stack.clock().advance(java.time.Duration.ofHours(73));
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null).status()).isEqualTo(200);
        List<String> nudges = SesMailbox.emailsTo(stack.sesUrl(), org.adminEmail()).stream()
                .filter(e -> String.valueOf(e.get("subject")).contains(invitee)).map(SesMailbox::text).toList();
        assertThat(nudges).hasSize(1);
        assertThat(nudges.get(0)).contains("reached their mail server").contains("spam or junk folder");
    }

    @Test
    void anOrdinaryAddressProducesNoSesEvent() {
        Org org = org("sim-plain-admin-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response invite = invite(org, "plain-" + UUID.randomUUID() + "@partner.example");
        assertThat(routedFor(messageId(invite))).as("no mail server answers locally for other addresses").isEmpty();
    }

    /**
     * {@code POST /_local/invoke} answers once the events its run caused were delivered, and those
     * deliveries' own events in turn: the bounce tells an inviter whose address is the success
     * mailbox, whose Delivery reaches the email-events function again.
     */
    @Test
    @SuppressWarnings("unchecked")
    void invokeDeliversTheEventsItsRunCausedAndTheirsBeforeItAnswers() throws Exception {
        String inviter = "success+inviter-" + UUID.randomUUID() + "@simulator.amazonses.com";
        Org org = org(inviter);
        TestHttp.Response invite = invite(org, "invoke-bounce-" + UUID.randomUUID() + "@partner.example");
        String bounce = Files.readString(ProjectFiles.root().resolve("events/email/bounce.json"))
                .replace("0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000", messageId(invite));

        TestHttp.Response ran = TestHttp.post(stack.baseUrl() + "/_local/invoke/EmailEventsFunction", bounce);
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.json()).containsEntry("result", "recorded");

        Map<String, Object> notice = SesMailbox.emailsTo(stack.sesUrl(), inviter).stream()
                .filter(e -> String.valueOf(e.get("subject")).contains("could not be delivered")).findFirst()
                .orElseThrow(() -> new AssertionError("the inviter was not told"));
        List<Map<String, Object>> routed = routedFor(String.valueOf(notice.get("messageId")));
        assertThat(routed).as("the notice to the success mailbox, delivered before /_local/invoke answered").hasSize(1);
        assertThat(routed.get(0)).containsEntry("detailType", "Email Delivered");
        assertThat((List<Map<String, Object>>) routed.get(0).get("deliveries"))
                .extracting(d -> d.get("function"), d -> d.get("outcome"))
                .containsExactly(tuple("EmailEventsFunction", "succeeded"));
    }

    /** An event put from outside the functions (e.g. with the AWS CLI) is routed before PutEvents is answered. */
    @Test
    @SuppressWarnings("unchecked")
    void anEventPutFromOutsideIsRoutedBeforeTheAnswer() {
        String marker = "outside-" + UUID.randomUUID();
        String detail = Json.write(Map.of("eventType", "Bounce", "mail", Map.of("messageId", marker),
                "bounce", Map.of("bounceType", "Permanent", "bounceSubType", "General")));
        String detailOther = Json.write(Map.of("marker", marker));
        TestHttp.Response put = TestHttp.send("POST", stack.baseUrl() + "/_local/eventbridge",
                Json.write(Map.of("Entries", List.of(
                        Map.of("Source", "aws.ses", "DetailType", "Email Bounced", "Detail", detail),
                        Map.of("Source", "io.tenure", "DetailType", "Email Bounced", "Detail", detailOther,
                                "EventBusName", "default")))),
                "X-Amz-Target", "AWSEvents.PutEvents", "Content-Type", "application/x-amz-json-1.1");
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        List<Map<String, Object>> routed = routedFor(marker);
        assertThat(routed).hasSize(1);
        assertThat((List<Object>) routed.get(0).get("matchedRules")).containsExactly(feedbackRule.ruleName());
        assertThat((List<Map<String, Object>>) routed.get(0).get("deliveries"))
                .extracting(d -> d.get("outcome"), d -> d.get("result"))
                .containsExactly(tuple("succeeded", Map.of("result", "ignored")));
        List<Map<String, Object>> other = ((List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/_local/events/routed")
                .json().get("events")).stream()
                .filter(e -> marker.equals(((Map<String, Object>) ((Map<String, Object>) e.get("event")).get("detail")).get("marker")))
                .toList();
        assertThat(other).as("source io.tenure is not the rule's").hasSize(1);
        assertThat((List<Object>) other.get(0).get("matchedRules")).isEmpty();
    }

    /**
     * What EventBridge refuses, the local bus refuses: an entry without Source, DetailType or a
     * JSON-object Detail fails on its own (the others are taken), and a request of more than 10
     * entries or 256 KB is refused whole with ValidationException.
     */
    @Test
    @SuppressWarnings("unchecked")
    void entriesAndRequestsEventBridgeRefusesAreRefused() {
        String marker = "refused-" + UUID.randomUUID();
        String good = Json.write(Map.of("marker", marker));
        TestHttp.Response put = putEvents(List.of(
                Map.of("Source", "io.tenure", "DetailType", "probe", "Detail", good),
                Map.of("DetailType", "probe", "Detail", good),
                Map.of("Source", "io.tenure", "DetailType", "probe", "Detail", "[\"" + marker + "\"]"),
                Map.of("Source", "io.tenure", "DetailType", "probe", "Detail", "null")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json()).containsEntry("FailedEntryCount", 3);
        List<Map<String, Object>> results = (List<Map<String, Object>>) put.json().get("Entries");
        assertThat(results).hasSize(4);
        assertThat(results.get(0)).containsKey("EventId");
        assertThat(results.subList(1, 4)).extracting(r -> r.get("ErrorCode"))
                .containsExactly("InvalidArgument", "MalformedDetail", "MalformedDetail");
        long recorded = ((List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/_local/events").json().get("entries")).stream()
                .filter(e -> String.valueOf(e.get("Detail")).contains(marker)).count();
        assertThat(recorded).as("only the entry EventBridge took is on the bus").isEqualTo(1);

        java.util.List<Map<String, Object>> eleven = java.util.Collections.nCopies(11, Map.of("Source", "io.tenure", "DetailType", "probe",
                "Detail", good));
        TestHttp.Response tooMany = putEvents(eleven);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("ValidationException");
        TestHttp.Response tooBig = putEvents(List.of(Map.of("Source", "io.tenure", "DetailType", "probe",
                "Detail", Json.write(Map.of("marker", marker, "pad", "x".repeat(256 * 1024))))));
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body()).contains("ValidationException").contains("over the limit");
    }

    private static TestHttp.Response putEvents(List<Map<String, Object>> entries) {
        return TestHttp.send("POST", stack.baseUrl() + "/_local/eventbridge", Json.write(Map.of("Entries", entries)),
                "X-Amz-Target", "AWSEvents.PutEvents", "Content-Type", "application/x-amz-json-1.1");
    }
}
