package io.tenure.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.http.ApiResponse;
import io.tenure.http.ProblemMapper;
import io.tenure.json.Json;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A request that meets DynamoDB unreachable, timing out, failing (5xx) or throttling answers 503
 * problem+json with Retry-After, not 500; a DynamoDB refusal (4xx) stays a 500 that reveals nothing.
 */
class DependencyUnavailableTest {

    @Test
    void aDynamoDbThatIsNotListeningAnswers503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Throwable failure;
        try (var dynamo = SdkClients.dynamoDb(b -> b.region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))))) {
            failure = catchThrowable(() -> dynamo.getItem(GetItemRequest.builder().tableName("t")
                    .key(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("b"))).build()));
        }
        assertThat(failure).as("the client gave up").isInstanceOf(SdkClientException.class);

        ApiResponse response = ProblemMapper.toResponse(new IllegalStateException("wrapped by a store", failure), "req-7");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("retry-after", Long.toString(ProblemMapper.UNAVAILABLE_RETRY_AFTER_SECONDS))
                .containsEntry("content-type", "application/problem+json");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("code").asText()).isEqualTo("service_unavailable");
        assertThat(body.path("status").asInt()).isEqualTo(503);
        assertThat(body.path("detail").asText()).contains("req-7").doesNotContain(String.valueOf(closedPort))
                .doesNotContain("Connection refused");
    }

    @Test
    void timeoutsServerErrorsAndThrottlingAreUnavailable() {
        assertThat(status(ApiCallTimeoutException.create(10_000))).isEqualTo(503);
        assertThat(status(SdkClientException.create("refused", new ConnectException("Connection refused")))).isEqualTo(503);
        assertThat(status(serviceError(500, "InternalServerError"))).isEqualTo(503);
        assertThat(status(serviceError(503, "ServiceUnavailable"))).isEqualTo(503);
        assertThat(status(serviceError(400, "ProvisionedThroughputExceededException"))).isEqualTo(503);
        assertThat(status(serviceError(400, "ThrottlingException"))).isEqualTo(503);
        assertThat(status(TransactionCanceledException.builder().statusCode(400)
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("ThrottlingError").build()).build())).isEqualTo(503);
    }

    @Test
    void refusalsAndBugsStayA500ThatRevealsNothing() {
        ApiResponse denied = ProblemMapper.toResponse(serviceError(400, "AccessDeniedException"), "req-8");
        assertThat(denied.status()).isEqualTo(500);
        assertThat(denied.headers()).doesNotContainKey("retry-after");
        assertThat(denied.body()).contains("req-8").doesNotContain("AccessDenied");
        assertThat(status(serviceError(400, "ValidationException"))).isEqualTo(500);
        assertThat(status(SdkClientException.create("Unable to load region"))).isEqualTo(500);
        assertThat(status(TransactionCanceledException.builder().statusCode(400)
                .cancellationReasons(CancellationReason.builder().code("ValidationError").build()).build())).isEqualTo(500);
        assertThat(status(new NullPointerException())).isEqualTo(500);
    }

    private static int status(Throwable failure) {
        return ProblemMapper.toResponse(failure, "r").status();
    }

    private static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .message(code).build();
    }
}
