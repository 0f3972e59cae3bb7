package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus's routing with event-ruler, AWS's own pattern library: the template's real email-events
 * rule, a synthetic rule using prefix, anything-but, exists and numeric, and a pattern EventBridge
 * refuses, which stops the template's load and the stack. Then what SES publishes for the mailbox
 * simulator, through the template's real event destination. No stack runs here.
 */
class EventRoutingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T09:00:00.123Z"), ZoneOffset.UTC);

    @TempDir
    Path folder;

    private static String event(String bus, String source, String detailType, Map<String, Object> detail) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", TemplateModel.ACCOUNT_ID);
        event.put("time", "2026-11-24T09:00:05Z");
        event.put("region", TemplateModel.REGION);
        event.put("resources", List.of());
        event.put("detail", detail);
        return Json.write(event);
    }

    private static FakeEventBridge bus(List<TemplateModel.EventRule> rules) {
        return new FakeEventBridge(CLOCK, rules, Map.of(), List.of());
    }

    @Test
    void theTemplatesEmailEventsRuleTakesSesFeedbackOnly() throws IOException {
        TemplateModel model = ProjectFiles.model();
        List<TemplateModel.EventRule> rules = model.eventRules();
        TemplateModel.EventRule feedback = rules.stream().filter(r -> r.functionId().equals("EmailEventsFunction"))
                .findFirst().orElseThrow();
        assertThat(feedback.eventBusName()).as("no EventBusName: the default bus").isEqualTo("default");
        assertThat(feedback.ruleName()).isNotBlank();
        FakeEventBridge bus = bus(rules);

        String bounce = Files.readString(ProjectFiles.root().resolve("events/email/bounce.json"));
        assertThat(bus.matchingRules("default", bounce)).containsExactly(feedback);
        assertThat(bus.matchingRules("default", event("default", "aws.ses", "Email Delivered", Map.of())))
                .containsExactly(feedback);
        assertThat(bus.matchingRules("default", event("default", "io.tenure", "Email Bounced", Map.of())))
                .as("source io.tenure").isEmpty();
        assertThat(bus.matchingRules("default", event("default", "aws.ses", "Email Opened", Map.of())))
                .as("detail-type Email Opened").isEmpty();
        String customBus = model.functions().stream().map(f -> f.environment().get("EVENT_BUS_NAME"))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        assertThat(bus.matchingRules(customBus, bounce)).as("the rule is on the default bus, not " + customBus).isEmpty();
    }

    @Test
    void prefixAnythingButExistsAndNumericHaveEventBridgesMeaning() {
        String pattern = """
                {"source": [{"prefix": "io.tenure"}],
                 "detail-type": [{"anything-but": ["member.removed", "member.access_ended"]}],
                 "detail": {"orgId": [{"exists": true}],
                            "actor": [{"exists": false}],
                            "seats": [{"numeric": [">", 10, "<=", 20]}]}}""";
        TemplateModel.EventRule rule = new TemplateModel.EventRule("ProbeFunction", "Probe", "probe-rule", "tenure-dev",
                pattern, true);
        FakeEventBridge bus = bus(List.of(rule));
        Map<String, Object> detail = Map.of("orgId", "o1", "seats", 15);

        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure.invites", "invitation.created", detail)))
                .containsExactly(rule);
        assertThat(bus.matchingRules("default", event("default", "io.tenure.invites", "invitation.created", detail)))
                .as("another bus").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "tenure", "invitation.created", detail)))
                .as("prefix").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "member.removed", detail)))
                .as("anything-but").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "x", Map.of("seats", 15))))
                .as("exists: true").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "x",
                Map.of("orgId", "o1", "seats", 15, "actor", "a")))).as("exists: false").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "x", Map.of("orgId", "o1", "seats", 20))))
                .as("numeric <= 20").containsExactly(rule);
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "x", Map.of("orgId", "o1", "seats", 10))))
                .as("numeric > 10").isEmpty();
        assertThat(bus.matchingRules("tenure-dev", event("tenure-dev", "io.tenure", "x", Map.of("orgId", "o1", "seats", "15"))))
                .as("numeric matches numbers, not strings").isEmpty();

        TemplateModel.EventRule disabled = new TemplateModel.EventRule("ProbeFunction", "Off", "off-rule", "tenure-dev",
                pattern, false);
        assertThat(bus(List.of(disabled)).matchingRules("tenure-dev",
                event("tenure-dev", "io.tenure.invites", "invitation.created", detail))).as("a disabled rule").isEmpty();
    }

    @Test
    void aPatternEventBridgeRefusesStopsTheTemplatesLoadAndTheStack() throws Exception {
        String text = TemplateCopies.text();
        String rulePattern = """
                            Pattern:
                              source:
                                - aws.ses
                """;
        assertThat(text).as("template.yaml's SesFeedback pattern as this test changes it").contains(rulePattern);
        // A numeric comparison EventBridge does not know.
        String refused = text.replace(rulePattern, """
                            Pattern:
                              detail:
                                seats:
                                  - numeric: ["~", 3]
                              source:
                                - aws.ses
                """);
        Path template = TemplateCopies.write(folder, refused);
        assertThatThrownBy(() -> TemplateModel.load(template, Map.of("JwtIssuer", "https://issuer.example/",
                "JwtAudience", "tenure-local", "SenderEmail", "no-reply@tenure.local", "AppBaseUrl", "http://127.0.0.1:3000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EmailEventsFunction.Events.SesFeedback")
                .hasMessageContaining("EventBridge would refuse");
        assertThatThrownBy(() -> LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .root(ProjectFiles.root()).template(template)))
                .hasMessageContaining("EmailEventsFunction.Events.SesFeedback").hasMessageContaining("EventBridge would refuse");

        TemplateModel.EventRule notAnArray = new TemplateModel.EventRule("ProbeFunction", "Probe", "probe-rule", "default",
                "{\"source\": \"aws.ses\"}", true);
        assertThatThrownBy(() -> bus(List.of(notAnArray))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ProbeFunction.Events.Probe").hasMessageContaining("EventBridge would refuse");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMailboxSimulatorPublishesThroughTheTemplatesEventDestination() {
        TemplateModel model = ProjectFiles.model();
        List<TemplateModel.SesEventDestination> destinations = model.sesEventDestinations();
        assertThat(destinations).hasSize(1);
        TemplateModel.SesEventDestination destination = destinations.get(0);
        assertThat(destination.enabled()).isTrue();
        assertThat(destination.eventBusName()).isEqualTo("default");
        String configurationSet = destination.configurationSetName();
        SesEventPublishing ses = new SesEventPublishing(destinations, CLOCK);

        Map<String, Object> request = new LinkedHashMap<>();
        request.put("FromEmailAddress", "no-reply@tenure.local");
        request.put("Destination", Map.of("ToAddresses", List.of("bounce+ana@simulator.amazonses.com",
                "Ana <complaint@simulator.amazonses.com>", "ana@partner.example"),
                "CcAddresses", List.of("suppressionlist@simulator.amazonses.com"),
                "BccAddresses", List.of("success@simulator.amazonses.com")));
        request.put("ConfigurationSetName", configurationSet);
        Map<String, Object> response = Map.of("MessageId", "m-1");

        List<FakeEventBridge.BusEvent> events = ses.eventsFor(request, response);
        assertThat(events).extracting(e -> e.event().get("detail-type")).containsExactly("Email Bounced", "Email Delivered",
                "Email Complaint Received", "Email Bounced", "Email Delivered");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.bus()).isEqualTo("default");
            assertThat(e.event()).containsEntry("source", "aws.ses").containsEntry("version", "0")
                    .containsEntry("time", "2026-11-24T09:00:00Z")
                    .containsEntry("resources", List.of("arn:aws:ses:us-east-1:000000000000:configuration-set/" + configurationSet));
            Map<String, Object> mail = (Map<String, Object>) ((Map<String, Object>) e.event().get("detail")).get("mail");
            assertThat(mail).containsEntry("messageId", "m-1").containsEntry("timestamp", "2026-11-24T09:00:00.123Z")
                    .containsEntry("source", "no-reply@tenure.local").containsEntry("sendingAccountId", "000000000000");
            assertThat((List<Object>) mail.get("destination")).hasSize(5);
            assertThat((Map<String, Object>) mail.get("tags")).containsEntry("ses:configuration-set", List.of(configurationSet));
        });
        Map<String, Object> bounce = (Map<String, Object>) ((Map<String, Object>) events.get(0).event().get("detail")).get("bounce");
        assertThat(bounce).containsEntry("bounceType", "Permanent").containsEntry("bounceSubType", "General")
                .containsEntry("timestamp", "2026-11-24T09:00:00.123Z").containsKeys("feedbackId", "reportingMTA");
        assertThat((List<Map<String, Object>>) bounce.get("bouncedRecipients")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("emailAddress", "bounce+ana@simulator.amazonses.com").containsEntry("action", "failed")
                .containsKeys("status", "diagnosticCode"));
        Map<String, Object> complaint = (Map<String, Object>) ((Map<String, Object>) events.get(2).event().get("detail")).get("complaint");
        assertThat(complaint).containsEntry("complaintFeedbackType", "abuse")
                .containsEntry("complainedRecipients", List.of(Map.of("emailAddress", "complaint@simulator.amazonses.com")));
        Map<String, Object> suppressed = (Map<String, Object>) ((Map<String, Object>) events.get(3).event().get("detail")).get("bounce");
        assertThat(suppressed).containsEntry("bounceSubType", "OnAccountSuppressionList");
        Map<String, Object> delivery = (Map<String, Object>) ((Map<String, Object>) events.get(4).event().get("detail")).get("delivery");
        assertThat(delivery).containsEntry("recipients", List.of("success@simulator.amazonses.com"))
                .containsEntry("processingTimeMillis", 0L).containsKeys("smtpResponse", "reportingMTA");

        Map<String, Object> noSet = new LinkedHashMap<>(request);
        noSet.remove("ConfigurationSetName");
        assertThat(ses.eventsFor(noSet, response)).as("no configuration set, no event destination").isEmpty();
        Map<String, Object> otherSet = new LinkedHashMap<>(request);
        otherSet.put("ConfigurationSetName", configurationSet + "-other");
        assertThat(ses.eventsFor(otherSet, response)).as("another configuration set").isEmpty();

        TemplateModel.SesEventDestination off = new TemplateModel.SesEventDestination("Off", configurationSet, "off", false,
                destination.matchingEventTypes(), "default");
        assertThat(new SesEventPublishing(List.of(off), CLOCK).eventsFor(request, response)).as("a disabled destination").isEmpty();
        TemplateModel.SesEventDestination bouncesOnly = new TemplateModel.SesEventDestination("Bounces", configurationSet, "bounces",
                true, List.of("BOUNCE"), "feedback");
        assertThat(new SesEventPublishing(List.of(bouncesOnly), CLOCK).eventsFor(request, response))
                .as("only the destination's MatchingEventTypes, to its bus")
                .extracting(e -> e.event().get("detail-type"), FakeEventBridge.BusEvent::bus)
                .containsExactly(tuple("Email Bounced", "feedback"),
                        tuple("Email Bounced", "feedback"));
    }
}
