package io.tenure.runtime;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/**
 * The SDK clients of a function, each with timeouts well inside the shortest function timeout
 * (29 s for HTTP functions) and a retry strategy chosen for what a repeated call does:
 *
 * <ul>
 *   <li>DynamoDB: the SDK's standard retries (throttling, 5xx, I/O), three attempts. Transactions
 *       carry a ClientRequestToken, so a retried transaction whose answer was lost is the same
 *       transaction; reads are safe; Tenure's plain conditional writes stay correct when repeated
 *       after a lost answer (see {@link #dynamoDbRetries()}).
 *   <li>SESv2: SendEmail has no idempotency key, so a retry after a timeout or 5xx could send the
 *       email twice. Only failures where SES surely did not take the message are retried:
 *       throttling, and a connection that was never made.
 *   <li>EventBridge: standard retries; a duplicate event is tolerable (detail carries eventId).
 * </ul>
 *
 * Region, credentials and endpoints still come from the SDK's own settings. The strategies do not
 * take the SDK's client defaults, so what is configured here is all that runs.
 */
public final class SdkClients {
    /**
     * Timeouts of one client: making the TCP connection, waiting for bytes on it, one attempt, and
     * the whole call with its retries and back-off.
     */
    public record Timeouts(Duration connect, Duration socket, Duration attempt, Duration call) {
    }

    /** DynamoDB answers in milliseconds; an attempt of 5 s is lost, and a call ends well before 29 s. */
    public static final Timeouts DYNAMODB = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    /** SES takes a message in well under a second; a stuck send gives up with time left to record it. */
    public static final Timeouts SES = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(12));
    /** EventBridge PutEvents of up to 10 entries; the publisher runs for up to 120 s and stops 10 s early. */
    public static final Timeouts EVENTBRIDGE = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(12));

    /** Attempts per call (first try included). */
    public static final int DYNAMODB_ATTEMPTS = 3;
    public static final int SES_ATTEMPTS = 3;
    public static final int EVENTBRIDGE_ATTEMPTS = 3;

    private SdkClients() {
    }

    public static DynamoDbClient dynamoDb() {
        return dynamoDb(builder -> { });
    }

    public static SesV2Client sesV2() {
        return sesV2(builder -> { });
    }

    public static EventBridgeClient eventBridge() {
        return eventBridge(builder -> { });
    }

    /** As {@link #dynamoDb()}, with {@code where} setting region, endpoint or credentials (tests). */
    static DynamoDbClient dynamoDb(Consumer<DynamoDbClientBuilder> where) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        where.accept(builder);
        return builder.httpClient(http(DYNAMODB)).overrideConfiguration(overrides(DYNAMODB, dynamoDbRetries())).build();
    }

    static SesV2Client sesV2(Consumer<SesV2ClientBuilder> where) {
        SesV2ClientBuilder builder = SesV2Client.builder();
        where.accept(builder);
        return builder.httpClient(http(SES)).overrideConfiguration(overrides(SES, sesRetries())).build();
    }

    static EventBridgeClient eventBridge(Consumer<EventBridgeClientBuilder> where) {
        EventBridgeClientBuilder builder = EventBridgeClient.builder();
        where.accept(builder);
        return builder.httpClient(http(EVENTBRIDGE)).overrideConfiguration(overrides(EVENTBRIDGE, eventBridgeRetries())).build();
    }

    /**
     * Standard retries with DynamoDB's short back-off (25 ms base). A plain conditional write
     * repeated after its first attempt was applied but answered late fails its condition: Tenure's
     * single-item writes either keep their condition true after their own success (the
     * idempotency record, a delivery of the same send) or are claims, where a wrong "not claimed"
     * only leaves the work to the next run once the claim lapses.
     */
    static RetryStrategy dynamoDbRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(DYNAMODB_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofSeconds(1)))
                .useClientDefaults(false)
                .build();
    }

    /** Retries only what SES surely did not accept: throttling, or no connection at all. */
    static RetryStrategy sesRetries() {
        return StandardRetryStrategy.builder()
                .maxAttempts(SES_ATTEMPTS)
                .retryOnException(SdkClients::notAccepted)
                .treatAsThrottling(SdkClients::throttled)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(4)))
                .circuitBreakerEnabled(true)
                .useClientDefaults(false)
                .build();
    }

    static RetryStrategy eventBridgeRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(EVENTBRIDGE_ATTEMPTS)
                .useClientDefaults(false)
                .build();
    }

    /** A failure after which SES cannot have taken the message. */
    static boolean notAccepted(Throwable failure) {
        if (throttled(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return true; // the request never left this machine
            }
        }
        return false;
    }

    /**
     * Whether a failure, after the client's own retries, means the service could not be reached
     * (no connection, no answer in time) or was briefly unable to answer (5xx, throttling), so the
     * same request may succeed later. A service that answered with a refusal (4xx: a bad request,
     * access denied, a failed condition) is not unavailable: retrying would fail the same way.
     */
    public static boolean unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
            if (cause instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
                return cancelled.cancellationReasons().stream().anyMatch(r -> "ThrottlingError".equals(r.code()));
            }
            if (cause instanceof SdkServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            if (cause instanceof SdkClientException && ioFailure(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ioFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean throttled(Throwable failure) {
        return failure instanceof SdkException sdk && RetryUtils.isThrottlingException(sdk);
    }

    private static SdkHttpClient http(Timeouts timeouts) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.socket())
                .build();
    }

    private static ClientOverrideConfiguration overrides(Timeouts timeouts, RetryStrategy retries) {
        return ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(timeouts.attempt())
                .apiCallTimeout(timeouts.call())
                .retryStrategy(retries)
                .build();
    }
}
