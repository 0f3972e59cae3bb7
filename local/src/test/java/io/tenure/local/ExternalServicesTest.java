package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The plumbing of the LocalStack tier, checked without Docker: a stack given {@link ExternalServices}
 * uses them instead of its own parts. Here the "external" services are a DynamoDB Local and an SES
 * emulator started apart from the stack, and an EventBridge fake that answers PutEvents the way
 * EventBridge does (named as a fake: no EventBridge emulator exists here). The stack creates its
 * table there, relays SES so that stopping it refuses the functions' calls while the service itself
 * stays up, passes PutEvents on and records what was accepted. LocalStack's own email record
 * ({@code GET /_aws/ses}) is read into the emulator's shape.
 */
class ExternalServicesTest {
    private static DynamoDbLocalServer dynamoDb;
    private static SesEmulator emulator;
    private static HttpServer fakeEventBridge;
    private static final List<String> putEventsTargets = new CopyOnWriteArrayList<>();
    private static final AtomicInteger eventIds = new AtomicInteger();
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void startServicesApartAndAStackUsingThem() throws Exception {
        dynamoDb = DynamoDbLocalServer.start(0, null);
        emulator = new SesEmulator(ProjectFiles.root(), 0);
        emulator.start();
        fakeEventBridge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fakeEventBridge.createContext("/", exchange -> {
            try (exchange) {
                putEventsTargets.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")));
                Map<String, Object> request = Json.readObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                List<Map<String, Object>> results = new ArrayList<>();
                TemplateModel.list(request.get("Entries")).forEach(e -> results.add(Map.of("EventId", "fake-" + eventIds.incrementAndGet())));
                byte[] answer = Json.write(Map.of("FailedEntryCount", 0, "Entries", results)).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        fakeEventBridge.start();
        URI bus = URI.create("http://127.0.0.1:" + fakeEventBridge.getAddress().getPort());
        URI ses = URI.create(emulator.url());
        stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .externalServices(new ExternalServices(URI.create(dynamoDb.endpoint()), ses, ses, bus)));

        admin = TestHttp.bearer(stack, "external-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Elsewhere\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
    }

    @AfterAll
    static void stopAll() {
        if (stack != null) {
            stack.close();
        }
        if (fakeEventBridge != null) {
            fakeEventBridge.stop(0);
        }
        if (emulator != null) {
            emulator.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }

    @Test
    void theTableIsMadeThereAndAnInvitationsEmailGoesThroughTheRelay() {
        assertThat(stack.dynamoDbEndpoint()).isEqualTo(dynamoDb.endpoint());
        assertThat(stack.sesUrl()).as("emails are read where SES runs").isEqualTo(emulator.url());
        assertThat(stack.ses().url()).as("the functions reach SES through the stack's own port").isNotEqualTo(emulator.url());

        String invitee = "there-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = invite(invitee);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        assertThat(((Map<?, ?>) invite.json().get("delivery")).get("status")).isEqualTo("sent");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).hasSize(1);

        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(dynamoDb.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            var stored = client.getItem(b -> b.tableName(stack.tableName()).key(Map.of(
                    "pk", AttributeValue.fromS("ORG#" + orgId), "sk", AttributeValue.fromS("INV#" + invite.json().get("id")))));
            assertThat(stored.item()).as("the invitation is in the external table").isNotEmpty();
        }
    }

    @Test
    void stoppingSesClosesTheRelayWhileTheServiceItselfStaysUp() {
        String invitee = "relay-" + UUID.randomUUID() + "@partner.example";
        stack.ses().stop();
        TestHttp.Response invite;
        try {
            assertThat(emulator.isUp()).isTrue();
            invite = invite(invitee);
        } finally {
            stack.ses().start();
        }
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        assertThat(invite.body()).contains("email_not_sent");

        stack.clock().advance(java.time.Duration.ofMinutes(2)); // one send a minute, the failed first send included
        TestHttp.Response resent = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invite.json().get("id") + "/resend", null, admin);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(((Map<?, ?>) resent.json().get("delivery")).get("status")).isEqualTo("sent");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).hasSize(1);
    }

    @Test
    void putEventsArePassedOnAndWhatTheBusAcceptedIsRecorded() {
        String invitee = "event-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) invite(invitee).json().get("id");

        TestHttp.Response run = TestHttp.post(stack.baseUrl() + "/_local/schedules/EventsPublisherSchedule", null);

        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(putEventsTargets).isNotEmpty().allSatisfy(target -> assertThat(target).isEqualTo("AWSEvents.PutEvents"));
        assertThat(stack.events().entries()).anySatisfy(entry -> {
            assertThat(entry.get("DetailType")).isEqualTo("invitation.created");
            assertThat(String.valueOf(entry.get("Detail"))).contains(invitationId);
            assertThat(String.valueOf(entry.get("EventId"))).startsWith("fake-");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void localStacksEmailRecordIsReadInTheEmulatorsShape() throws Exception {
        HttpServer fakeLocalStack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fakeLocalStack.createContext("/_aws/ses", exchange -> {
            try (exchange) {
                byte[] body = ("{\"messages\":[{\"Id\":\"m-1\",\"Region\":\"us-east-1\",\"Source\":\"no-reply@tenure.local\","
                        + "\"Destination\":{\"ToAddresses\":[\"ana@partner.example\"],\"CcAddresses\":[\"pm@acme.example\"]},"
                        + "\"Subject\":\"You are invited\",\"Body\":{\"text_part\":\"Open the link\",\"html_part\":\"<p>Open</p>\"},"
                        + "\"Timestamp\":\"2025-01-01T00:00:00\"}]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        fakeLocalStack.start();
        try {
            List<Map<String, Object>> emails = SesMailbox.localStackEmails("http://127.0.0.1:" + fakeLocalStack.getAddress().getPort());
            assertThat(emails).hasSize(1);
            Map<String, Object> email = emails.get(0);
            assertThat(email).containsEntry("messageId", "m-1").containsEntry("from", "no-reply@tenure.local")
                    .containsEntry("subject", "You are invited");
            assertThat((Map<String, Object>) email.get("destination")).containsEntry("to", List.of("ana@partner.example"))
                    .containsEntry("cc", List.of("pm@acme.example")).containsEntry("bcc", List.of());
            assertThat(SesMailbox.text(email)).isEqualTo("Open the link");
        } finally {
            fakeLocalStack.stop(0);
        }
    }

    private static TestHttp.Response invite(String invitee) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + invitee
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}", admin);
    }
}
