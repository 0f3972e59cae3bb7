package io.tenure.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * The timeouts and retry strategies of the clients Services builds (configuration values, not
 * timings), and, against a local server that answers 500, how many attempts each makes.
 */
class SdkClientsTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void everyClientHasTimeoutsWellInsideTheShortestFunctionTimeout() {
        Duration httpFunctionTimeout = Duration.ofSeconds(29);
        for (SdkClients.Timeouts timeouts : List.of(SdkClients.DYNAMODB, SdkClients.SES, SdkClients.EVENTBRIDGE)) {
            assertThat(timeouts.call()).isLessThanOrEqualTo(httpFunctionTimeout.dividedBy(2));
            assertThat(timeouts.attempt()).isLessThan(timeouts.call());
            assertThat(timeouts.socket()).isLessThanOrEqualTo(timeouts.attempt());
            assertThat(timeouts.connect()).isLessThan(timeouts.attempt());
        }
        System.out.println("timeouts: dynamodb " + SdkClients.DYNAMODB + ", ses " + SdkClients.SES + ", eventbridge " + SdkClients.EVENTBRIDGE);
    }

    @Test
    void theBuiltClientsCarryTheirTimeoutsAndRetryStrategies() {
        try (var dynamo = SdkClients.dynamoDb(b -> local(b, "http://127.0.0.1:1"));
             var ses = SdkClients.sesV2(b -> local(b, "http://127.0.0.1:1"));
             var events = SdkClients.eventBridge(b -> local(b, "http://127.0.0.1:1"))) {
            assertConfigured(dynamo.serviceClientConfiguration().overrideConfiguration(), SdkClients.DYNAMODB, SdkClients.DYNAMODB_ATTEMPTS);
            assertConfigured(ses.serviceClientConfiguration().overrideConfiguration(), SdkClients.SES, SdkClients.SES_ATTEMPTS);
            assertConfigured(events.serviceClientConfiguration().overrideConfiguration(), SdkClients.EVENTBRIDGE, SdkClients.EVENTBRIDGE_ATTEMPTS);
        }
    }

    @Test
    void sesRetriesOnlyWhatSesSurelyDidNotTake() {
        RetryStrategy ses = SdkClients.sesRetries();
        assertThat(retries(ses, serviceError(429, "TooManyRequestsException"))).isTrue();
        assertThat(retries(ses, SdkClientException.create("refused", new ConnectException("Connection refused")))).isTrue();
        // SES may have taken the message: a retry could send it twice.
        assertThat(retries(ses, serviceError(500, "InternalFailure"))).isFalse();
        assertThat(retries(ses, serviceError(503, "ServiceUnavailable"))).isFalse();
        assertThat(retries(ses, SdkClientException.create("read", new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(retries(ses, serviceError(400, "MessageRejected"))).isFalse();
    }

    @Test
    void dynamoDbAndEventBridgeRetryTheStandardFailures() {
        for (RetryStrategy strategy : List.of(SdkClients.dynamoDbRetries(), SdkClients.eventBridgeRetries())) {
            assertThat(retries(strategy, serviceError(500, "InternalServerError"))).isTrue();
            assertThat(retries(strategy, serviceError(400, "ThrottlingException"))).isTrue();
            assertThat(retries(strategy, SdkClientException.create("read", new SocketTimeoutException("Read timed out")))).isTrue();
            assertThat(retries(strategy, serviceError(400, "ValidationException"))).isFalse();
        }
        assertThat(retries(SdkClients.dynamoDbRetries(), serviceError(400, "ConditionalCheckFailedException"))).isFalse();
    }

    @Test
    void onA500DynamoDbTriesThreeTimesAndSesOnce() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"__type\":\"InternalFailure\",\"message\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "InternalFailure");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();

        try (var dynamo = SdkClients.dynamoDb(b -> local(b, endpoint))) {
            assertThatThrownBy(() -> dynamo.getItem(GetItemRequest.builder().tableName("t").key(java.util.Map.of()).build()))
                    .isInstanceOf(AwsServiceException.class);
        }
        assertThat(requests.getAndSet(0)).isEqualTo(SdkClients.DYNAMODB_ATTEMPTS);

        try (var ses = SdkClients.sesV2(b -> local(b, endpoint))) {
            assertThatThrownBy(() -> ses.sendEmail(SendEmailRequest.builder().fromEmailAddress("a@b.example").build()))
                    .isInstanceOf(AwsServiceException.class);
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    private static void assertConfigured(ClientOverrideConfiguration configuration, SdkClients.Timeouts timeouts, int attempts) {
        assertThat(configuration.apiCallTimeout()).contains(timeouts.call());
        assertThat(configuration.apiCallAttemptTimeout()).contains(timeouts.attempt());
        assertThat(configuration.retryStrategy()).hasValueSatisfying(strategy -> {
            assertThat(strategy.maxAttempts()).isEqualTo(attempts);
            assertThat(strategy.useClientDefaults()).as("client defaults add retry conditions").isFalse();
        });
    }

    private static boolean retries(RetryStrategy strategy, Throwable failure) {
        RetryToken token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("test")).token();
        try {
            strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
            return true;
        } catch (TokenAcquisitionFailedException refused) {
            return false;
        }
    }

    private static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .message(code).build();
    }

    private static <B extends AwsClientBuilder<B, C>, C extends SdkClient> void local(B builder, String endpoint) {
        builder.region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }
}
