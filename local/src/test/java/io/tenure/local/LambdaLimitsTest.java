package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambda's and API Gateway's limits, on a stack of its own with a probe function: a run past the
 * function's Timeout is stopped and answered as AWS answers it (500 from the HTTP API for a Lambda
 * timeout; 503 when API Gateway's 30 s integration timeout comes first); bodies past API Gateway's
 * 10 MB or Lambda's 6 MB are refused; a response past 6 MB is a 500. Times are printed, not asserted.
 */
class LambdaLimitsTest {
    @TempDir
    static Path folder;
    private static LocalStack stack;

    private static final String HANDLER = """
            package probe;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;
            public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                @SuppressWarnings("unchecked")
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    String path = String.valueOf(event.get("rawPath"));
                    Map<String, Object> query = (Map<String, Object>) event.getOrDefault("queryStringParameters", Map.of());
                    if (path.equals("/big")) {
                        return Map.of("statusCode", 200, "body", "x".repeat(7 * 1024 * 1024));
                    }
                    if (path.equals("/echo")) {
                        Object body = event.get("body");
                        return Map.of("statusCode", 200, "body", String.valueOf(body == null ? 0 : body.toString().length()));
                    }
                    try {
                        Thread.sleep(Long.parseLong(String.valueOf(query.getOrDefault("ms", "0"))));
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                    return Map.of("statusCode", 200, "body", "done");
                }
            }
            """;

    @BeforeAll
    static void startStack() throws Exception {
        ProbeFunctionJar.build(folder, folder.resolve("functions/probe/target/function.jar"), Map.of("Probe", HANDLER));
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: probe-table
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                  QuickFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/probe/target/function.jar
                      Handler: probe.Probe::handleRequest
                      Timeout: 2
                      Events:
                        Quick: {Type: HttpApi, Properties: {Path: /quick, Method: GET}}
                        Echo: {Type: HttpApi, Properties: {Path: /echo, Method: POST}}
                        Big: {Type: HttpApi, Properties: {Path: /big, Method: GET}}
                  PatientFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/probe/target/function.jar
                      Handler: probe.Probe::handleRequest
                      Timeout: 45
                      Events:
                        Patient: {Type: HttpApi, Properties: {Path: /patient, Method: GET}}
                """);
        stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .root(ProjectFiles.root()).template(template));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRunPastTheFunctionTimeoutIsStoppedAndAnsweredWith500() {
        assertThat(TestHttp.get(stack.baseUrl() + "/quick?ms=10").body()).as("inside its Timeout").isEqualTo("done");

        long started = System.nanoTime();
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/quick?ms=20000");
        System.out.printf("[limits] a 20 s run of a 2 s function was answered after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void apiGatewayStopsWaitingAfter30Seconds() {
        long started = System.nanoTime();
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/patient?ms=40000");
        System.out.printf("[limits] a 40 s run of a 45 s function was answered after %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void payloadsPastApiGatewayAndLambdaLimitsAreRefused() {
        assertThat(TestHttp.post(stack.baseUrl() + "/echo", "y".repeat(1024 * 1024)).body()).isEqualTo("1048576");

        TestHttp.Response overLambda = TestHttp.post(stack.baseUrl() + "/echo", "y".repeat(7 * 1024 * 1024));
        assertThat(overLambda.status()).as("over Lambda's 6 MB event").isEqualTo(413);
        assertThat(overLambda.body()).isEqualTo("{\"message\":\"Request Too Long\"}");

        TestHttp.Response overGateway = TestHttp.post(stack.baseUrl() + "/echo", "y".repeat(10 * 1024 * 1024 + 1));
        assertThat(overGateway.status()).as("over API Gateway's 10 MB").isEqualTo(413);
        assertThat(overGateway.body()).isEqualTo("HTTP content length exceeded 10485760 bytes.");

        TestHttp.Response bigAnswer = TestHttp.get(stack.baseUrl() + "/big");
        assertThat(bigAnswer.status()).as("a response over Lambda's 6 MB").isEqualTo(500);
        assertThat(bigAnswer.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    /**
     * API Gateway's quota on the request line and header values together, 10,240 bytes: a request
     * over it is refused before any function runs, whether the bytes are in the URL or a header.
     */
    @Test
    void aRequestLineAndHeadersPastTheHttpApiQuotaAreRefused() {
        assertThat(TestHttp.get(stack.baseUrl() + "/quick?ms=1&pad=" + "p".repeat(8_000), "X-Pad", "h".repeat(1_500)).body())
                .as("inside the quota").isEqualTo("done");

        TestHttp.Response longUrl = TestHttp.get(stack.baseUrl() + "/quick?ms=1&pad=" + "p".repeat(10_300));
        assertThat(longUrl.status()).as("a URL over the quota").isEqualTo(431);
        assertThat(longUrl.body()).isEqualTo("{\"message\":\"Request Header Fields Too Large\"}");

        TestHttp.Response bigHeaders = TestHttp.get(stack.baseUrl() + "/quick?ms=1", "X-Pad-1", "h".repeat(6_000), "X-Pad-2", "h".repeat(4_500));
        assertThat(bigHeaders.status()).as("headers over the quota together").isEqualTo(431);
    }
}
