package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.local.iam.SdkCallGate;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.AccessDeniedException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * The SDK call gate with the real SDK clients: a call the policy allows reaches the service; a call
 * it does not allow never does, and the SDK raises the exception it raises in AWS for an IAM denial
 * (parsed by the SDK's own unmarshaller from the service's error format).
 */
class SdkCallGateTest {
    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private static LocalStack stack;
    private static LocalIam iam;

    @BeforeAll
    static void installGate() {
        stack = SharedStack.get();
        TemplateModel.FunctionDef function = new TemplateModel.FunctionDef("ProbeFunction", "tenure-dev-probe",
                "functions/probe/target/function.jar", "probe.Handler", "handleRequest", 29, 1024, Map.of(), List.of(),
                List.of(), List.of(Map.of("Sid", "ReadOnly", "Effect", "Allow", "Action", List.of("dynamodb:GetItem"),
                        "Resource", TABLE_ARN + stack.tableName())));
        iam = new LocalIam(List.of(function));
        int port = URI.create(stack.baseUrl()).getPort();
        SdkCallGate.install(iam.decider(function, "127.0.0.1", port));
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B local(B builder, String endpoint) {
        return builder.region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new SdkCallGate()));
    }

    @Test
    void dynamoDbGetsWhatThePolicyAllowsAndRefusesTheRest() {
        try (DynamoDbClient dynamo = local(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()),
                stack.dynamoDbEndpoint()).build()) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("GATE#probe"), "sk", AttributeValue.fromS("GATE"));
            assertThat(dynamo.getItem(r -> r.tableName(stack.tableName()).key(key)).hasItem()).isFalse();

            assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(stack.tableName()).item(key)))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/"
                                + "ProbeFunctionRole/tenure-dev-probe is not authorized to perform: dynamodb:PutItem on resource: "
                                + TABLE_ARN + stack.tableName() + " because no identity-based policy allows the dynamodb:PutItem action");
                    });
            assertThat(dynamo.getItem(r -> r.tableName(stack.tableName()).key(key)).hasItem())
                    .as("the refused write never reached the table").isFalse();
            assertThat(iam.denials()).extracting(LocalIam.Denial::action).contains("dynamodb:PutItem");

            assertThatThrownBy(() -> dynamo.query(r -> r.tableName(stack.tableName()).indexName("GSI1")
                    .keyConditionExpression("gsi1pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("x")))))
                    .as("a query of an index the policy does not name").isInstanceOf(DynamoDbException.class)
                    .hasMessageContaining("dynamodb:Query on resource: " + TABLE_ARN + stack.tableName() + "/index/GSI1");
        }
    }

    /**
     * After a call the stack names succeeds, the gate reports it once (it is registered twice in a
     * function) with its request's and response's fields; a refused call is never reported.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aSuccessfulCallTheStackNamesIsReportedOnceWithItsRequestAndResponse() {
        List<Map<String, Object>> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        SdkCallGate.installReporter(java.util.Set.of("DynamoDb:GetItem", "DynamoDb:PutItem"), reports::add);
        try (DynamoDbClient dynamo = local(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()),
                stack.dynamoDbEndpoint()).overrideConfiguration(c -> c.addExecutionInterceptor(new SdkCallGate())).build()) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("GATE#report"), "sk", AttributeValue.fromS("GATE"));
            dynamo.getItem(r -> r.tableName(stack.tableName()).key(key).consistentRead(true));
            assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(stack.tableName()).item(key)))
                    .isInstanceOf(DynamoDbException.class);
        } finally {
            SdkCallGate.installReporter(java.util.Set.of(), null);
        }
        assertThat(reports).as("the GetItem only, once: the PutItem was refused").hasSize(1);
        Map<String, Object> report = reports.get(0);
        assertThat(report).containsEntry("service", "DynamoDb").containsEntry("operation", "GetItem");
        assertThat((Map<String, Object>) report.get("request")).containsEntry("TableName", stack.tableName())
                .containsEntry("ConsistentRead", "true");
        assertThat(report).containsKey("response");
    }

    @Test
    void sesAndEventBridgeRaiseTheirAccessDenied() {
        try (SesV2Client ses = local(SesV2Client.builder().httpClient(UrlConnectionHttpClient.create()), stack.sesUrl()).build();
             EventBridgeClient events = local(EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()),
                     stack.baseUrl() + "/_local/eventbridge").build()) {
            int emailsBefore = SesMailbox.emails(stack.sesUrl()).size();
            assertThatThrownBy(() -> ses.sendEmail(r -> r.fromEmailAddress("no-reply@tenure.local")
                    .destination(d -> d.toAddresses("ana@partner.example"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Hi")).body(b -> b.text(t -> t.data("Hi")))))))
                    .isInstanceOfSatisfying(SesV2Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.getMessage()).contains("ses:SendEmail on resource: "
                                + "arn:aws:ses:us-east-1:000000000000:identity/no-reply@tenure.local");
                    });
            assertThat(SesMailbox.emails(stack.sesUrl())).as("no email reached SES").hasSize(emailsBefore);

            int eventsBefore = stack.events().entries().size();
            assertThatThrownBy(() -> events.putEvents(r -> r.entries(e -> e.eventBusName("tenure-dev").source("tenure")
                    .detailType("probe").detail("{}"))))
                    .isInstanceOf(AccessDeniedException.class)
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThat(stack.events().entries()).hasSize(eventsBefore);
        }
    }
}
