package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * SDK clients built with no endpoint code, as the functions build theirs, reach the local parts
 * through the system properties the stack sets (aws.endpointUrlSesV2, aws.endpointUrlEventBridge).
 */
class SdkWiringTest {
    private final LocalStack stack = SharedStack.get();

    @Test
    void eventBridgeClientReachesTheFakeEventBridge() {
        try (EventBridgeClient events = EventBridgeClient.create()) {
            PutEventsResponse response = events.putEvents(b -> b.entries(e -> e.source("tenure.sdk-test")
                    .detailType("Probe").detail("{\"n\":1}").eventBusName("tenure-dev")));
            assertThat(response.failedEntryCount()).isZero();
            assertThat(response.entries()).singleElement().satisfies(e -> assertThat(e.eventId()).isNotBlank());
        }
        assertThat(stack.events().entries()).anySatisfy(e -> assertThat(e).containsEntry("Source", "tenure.sdk-test"));
    }

    @Test
    void sesV2ClientReachesTheSesEmulator() {
        try (SesV2Client ses = SesV2Client.create()) {
            ses.sendEmail(b -> b.fromEmailAddress("no-reply@tenure.local")
                    .destination(d -> d.toAddresses("sdk-probe@example.com"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Probe"))
                            .body(body -> body.text(t -> t.data("Hello from the SDK"))))));
        }
        var email = SesMailbox.awaitEmailTo(stack.sesUrl(), "sdk-probe@example.com", Duration.ofSeconds(10));
        assertThat(SesMailbox.text(email)).contains("Hello from the SDK");
    }
}
