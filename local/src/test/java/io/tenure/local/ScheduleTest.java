package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules and Map handlers, on a stack of its own: the real template has no schedule yet, so this
 * builds a throwaway function jar (a Map-in, Map-out handler plus aws-lambda-java-core) and a test
 * template with two ScheduleV2 events and a public route.
 */
class ScheduleTest {
    @TempDir
    static Path folder;
    private static LocalStack stack;

    private static final String HANDLER = """
            package probe;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;
            public class SweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    context.getLogger().log("swept for " + context.getFunctionName());
                    return Map.of("swept", 3, "event", event, "remainingPositive", context.getRemainingTimeInMillis() > 0);
                }
            }
            """;

    @BeforeAll
    static void startStack() throws Exception {
        Path jar = folder.resolve("functions/probe/target/function.jar");
        ProbeFunctionJar.build(folder, jar, Map.of("SweepHandler", HANDLER));
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth: {DefaultAuthorizer: Jwt}
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: probe-table
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                  SweepFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/probe/target/function.jar
                      Handler: probe.SweepHandler::handleRequest
                      Events:
                        ExpirySweepSchedule:
                          Type: ScheduleV2
                          Properties: {ScheduleExpression: rate(15 minutes)}
                        HourlySchedule:
                          Type: ScheduleV2
                          Properties: {ScheduleExpression: "cron(0 * * * ? *)", Input: '{"kind":"hourly"}'}
                        Open:
                          Type: HttpApi
                          Properties: {Path: "/open/{proxy+}", Method: ANY, Auth: {Authorizer: NONE}}
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
    @SuppressWarnings("unchecked")
    void runsAScheduleNowWithASchedulerEvent() {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/schedules/ExpirySweepSchedule", null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> result = response.json();
        assertThat(result).containsEntry("swept", 3).containsEntry("remainingPositive", true);
        Map<String, Object> event = (Map<String, Object>) result.get("event");
        assertThat(event).containsEntry("source", "aws.scheduler").containsEntry("detail-type", "Scheduled Event")
                .containsEntry("account", "000000000000").containsEntry("detail", "{}");
        assertThat((List<Object>) event.get("resources")).containsExactly(
                "arn:aws:scheduler:us-east-1:000000000000:schedule/default/ExpirySweepSchedule");
    }

    @Test
    @SuppressWarnings("unchecked")
    void usesTheTemplateInputAndFindsASceduleByItsFunction() {
        Map<String, Object> hourly = TestHttp.post(stack.baseUrl() + "/_local/schedules/HourlySchedule", null).json();
        assertThat((Map<String, Object>) hourly.get("event")).isEqualTo(Map.of("kind", "hourly"));
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/SweepFunction", null).status()).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void publicRouteNeedsNoTokenAndGetsAPayload2Event() {
        TestHttp.Response response = TestHttp.send("PUT", stack.baseUrl() + "/open/a/b?x=1&x=2", "{\"k\":\"v\"}",
                "Cookie", "c1=v1; c2=v2", "X-Multi", "one");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> event = (Map<String, Object>) response.json().get("event");
        assertThat(event).containsEntry("version", "2.0").containsEntry("routeKey", "ANY /open/{proxy+}")
                .containsEntry("rawPath", "/open/a/b").containsEntry("rawQueryString", "x=1&x=2")
                .containsEntry("body", "{\"k\":\"v\"}").containsEntry("isBase64Encoded", false)
                .containsEntry("pathParameters", Map.of("proxy", "a/b"))
                .containsEntry("queryStringParameters", Map.of("x", "1,2"))
                .containsEntry("cookies", List.of("c1=v1", "c2=v2"));
        assertThat((Map<String, Object>) event.get("headers")).containsEntry("x-multi", "one").doesNotContainKey("cookie");
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        assertThat(context).containsEntry("stage", "$default").containsEntry("routeKey", "ANY /open/{proxy+}")
                .doesNotContainKey("authorizer");
        assertThat((Map<String, Object>) context.get("http")).containsEntry("method", "PUT")
                .containsEntry("path", "/open/a/b");
    }

}
