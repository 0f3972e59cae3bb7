package io.tenure.local;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The LocalStack tier of the end-to-end suite (compiled only by {@code mvn -Plocalstack}): one
 * LocalStack container, started by Testcontainers, serves DynamoDB, SES and EventBridge, and the
 * local stack runs every function against it ({@link ExternalServices}). What the template would
 * make there besides the table is made here: the sender identity and the configuration set in SES,
 * and the event bus.
 *
 * <p>LocalStack serves SESv2 only in its licensed image, so the image is
 * {@code localstack/localstack-pro} by default ({@code -Dlocalstack.image=...} to change it) and
 * {@code LOCALSTACK_AUTH_TOKEN} is passed on from the environment.
 */
public final class LocalStackTier implements ExternalTier {
    private static final String DEFAULT_IMAGE = "localstack/localstack-pro:4.5";
    private LocalStackContainer container;

    @Override
    public String unavailableReason() {
        // Testcontainers looks for an engine the way the Docker CLI does (DOCKER_HOST, the socket, its config).
        return DockerClientFactory.instance().isDockerAvailable() ? null : "Testcontainers found no Docker environment";
    }

    @Override
    public LocalStack.Options start(LocalStack.Options options) {
        DockerImageName image = DockerImageName.parse(System.getProperty("localstack.image", DEFAULT_IMAGE))
                .asCompatibleSubstituteFor("localstack/localstack");
        container = new LocalStackContainer(image).withServices(LocalStackContainer.Service.DYNAMODB,
                LocalStackContainer.Service.SES, LocalStackContainer.EnabledService.named("events"));
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
        return options.externalServices(ExternalServices.at(container.getEndpoint()));
    }

    @Override
    public void provision(LocalStack stack) {
        Map<String, String> environment = new LinkedHashMap<>();
        stack.template().functions().forEach(f -> environment.putAll(f.environment()));
        String sender = environment.get("SENDER_EMAIL");
        String configurationSet = environment.get("SES_CONFIGURATION_SET");
        String bus = environment.get("EVENT_BUS_NAME");
        URI endpoint = container.getEndpoint();
        try (SesClient ses = local(SesClient.builder(), endpoint).build();
             SesV2Client sesV2 = local(SesV2Client.builder(), endpoint).build();
             EventBridgeClient events = local(EventBridgeClient.builder(), endpoint).build()) {
            if (sender != null) {
                attempt("verify " + sender, () -> ses.verifyEmailIdentity(b -> b.emailAddress(sender)));
                attempt("create the SESv2 identity " + sender, () -> sesV2.createEmailIdentity(b -> b.emailIdentity(sender)));
            }
            if (configurationSet != null && !configurationSet.isBlank()) {
                attempt("create the configuration set " + configurationSet,
                        () -> ses.createConfigurationSet(b -> b.configurationSet(c -> c.name(configurationSet))));
            }
            if (bus != null && !bus.isBlank() && !bus.equals("default")) {
                attempt("create the event bus " + bus, () -> events.createEventBus(b -> b.name(bus)));
            }
        }
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    /** Runs one set-up call; "already exists" and an operation LocalStack lacks are reported, not fatal. */
    private static void attempt(String what, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            System.out.println("[localstack] could not " + what + ": " + e.getMessage());
        }
    }

    private static <B extends AwsClientBuilder<B, C>, C extends SdkClient> B local(B builder, URI endpoint) {
        // The functions' own credentials: LocalStack puts both in its default account.
        return builder.endpointOverride(endpoint).region(Region.of(TemplateModel.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }
}
