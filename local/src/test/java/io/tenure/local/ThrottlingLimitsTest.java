package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack throttles as AWS does, on a stack of its own with a probe function: a route's
 * throttle (its event's RouteSettings, else the HttpApi's DefaultRouteSettings) refuses requests
 * beyond its burst with API Gateway's 429 until its rate refills the bucket; a function's
 * ReservedConcurrentExecutions refuses an invocation beyond it, which the HTTP API answers with
 * 500; a route with no settings is not throttled.
 */
class ThrottlingLimitsTest {
    @TempDir
    static Path folder;
    private static LocalStack stack;

    /**
     * /hold?latch= counts down the latch "started" and waits on "release", both put by the test in
     * the system properties under that name (the JDK's CountDownLatch is the one class the test and
     * the function's own class loader share); anything else answers at once.
     */
    private static final String HANDLER = """
            package probe;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;
            public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                @SuppressWarnings("unchecked")
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    Map<String, Object> query = (Map<String, Object>) event.getOrDefault("queryStringParameters", Map.of());
                    if (String.valueOf(event.get("rawPath")).equals("/hold")) {
                        String name = String.valueOf(query.get("latch"));
                        try {
                            ((CountDownLatch) System.getProperties().get(name + ".started")).countDown();
                            ((CountDownLatch) System.getProperties().get(name + ".release")).await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException stopped) {
                            return Map.of("statusCode", 500, "body", "stopped");
                        }
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
                Parameters:
                  TightBurst: {Type: Number, Default: 3}
                  Reserved: {Type: Number, Default: 1}
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: probe-table
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                  ProbeApi:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      DefaultRouteSettings: {ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5}
                  ThrottledFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/probe/target/function.jar
                      Handler: probe.Probe::handleRequest
                      Events:
                        Tight:
                          Type: HttpApi
                          Properties:
                            ApiId: !Ref ProbeApi
                            Path: /tight
                            Method: GET
                            RouteSettings: {ThrottlingRateLimit: 1, ThrottlingBurstLimit: !Ref TightBurst}
                        Default: {Type: HttpApi, Properties: {ApiId: !Ref ProbeApi, Path: /default, Method: GET}}
                        Free: {Type: HttpApi, Properties: {Path: /free, Method: GET}}
                  ReservedFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/probe/target/function.jar
                      Handler: probe.Probe::handleRequest
                      Timeout: 20
                      ReservedConcurrentExecutions: !Ref Reserved
                      Events:
                        Hold: {Type: HttpApi, Properties: {Path: /hold, Method: GET}}
                        Quick: {Type: HttpApi, Properties: {Path: /quick, Method: GET}}
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
    void aRouteAnswers429BeyondItsBurstUntilItsRateRefillsIt() {
        // Start full whatever ran before: at 1 a second, 5 s refill a burst of 3.
        stack.clock().advance(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            assertThat(TestHttp.get(stack.baseUrl() + "/tight").status()).as("request %d of the burst", i + 1).isEqualTo(200);
        }
        TestHttp.Response refused = TestHttp.get(stack.baseUrl() + "/tight");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(refused.header("content-type")).isEqualTo("application/json");

        stack.clock().advance(Duration.ofSeconds(1));
        assertThat(TestHttp.get(stack.baseUrl() + "/tight").status()).as("a second later, one more").isEqualTo(200);
    }

    @Test
    void aRouteWithoutItsOwnSettingsHasTheApisDefaultAndOneOnNoApiHasNone() {
        stack.clock().advance(Duration.ofSeconds(5));
        int passed = 0;
        while (passed < 50 && TestHttp.get(stack.baseUrl() + "/default").status() == 200) {
            passed++;
        }
        // The burst of 5 at least, plus what 1 a second refills while the requests run; then a 429.
        assertThat(passed).isBetween(5, 49);

        for (int i = 0; i < 30; i++) {
            assertThat(TestHttp.get(stack.baseUrl() + "/free").status()).isEqualTo(200);
        }
    }

    @Test
    void anInvocationBeyondTheReservedConcurrencyIsRefusedAndAnsweredWith500() throws Exception {
        String latch = "tenure.probe.hold-" + System.nanoTime();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        System.getProperties().put(latch + ".started", started);
        System.getProperties().put(latch + ".release", release);
        CompletableFuture<TestHttp.Response> first = CompletableFuture.supplyAsync(
                () -> TestHttp.get(stack.baseUrl() + "/hold?latch=" + latch));
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the first invocation runs").isTrue();

        TestHttp.Response throttled = TestHttp.get(stack.baseUrl() + "/quick");
        assertThat(throttled.status()).as("a second invocation while the reserved one runs").isEqualTo(500);
        assertThat(throttled.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");

        release.countDown();
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(TestHttp.get(stack.baseUrl() + "/quick").status()).as("once the first has finished").isEqualTo(200);
    }
}
