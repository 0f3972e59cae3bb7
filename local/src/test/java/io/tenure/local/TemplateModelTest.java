package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short-form tags and intrinsic functions resolve as the local stack needs them. */
class TemplateModelTest {
    @TempDir
    Path folder;

    @Test
    void resolvesIntrinsicsGlobalsRoutesAndSchedules() throws IOException {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  Stage: {Type: String, Default: dev}
                  Audience: {Type: CommaDelimitedList}
                  Flag: {Type: String, Default: "yes"}
                Conditions:
                  IsOn: !Equals [!Ref Flag, "yes"]
                Globals:
                  Function:
                    Timeout: 29
                    MemorySize: 512
                    Environment:
                      Variables:
                        TABLE_NAME: !Ref Table
                        BUS: !Ref Bus
                        GLOBAL_ONLY: g
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth: {DefaultAuthorizer: Jwt}
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Sub tenure-${Stage}
                  Bus:
                    Type: AWS::Events::EventBus
                    Properties: {Name: !Sub "bus-${AWS::Region}"}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: functions/x/target/function.jar
                      Handler: a.b.Handler::run
                      Timeout: 10
                      Environment:
                        Variables:
                          ARN: !GetAtt Table.Arn
                          SUBBED: !Sub "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:x/${Table.Arn}"
                          JOINED: !Join ["-", [a, !Ref Stage, !Select [1, !Split [",", "x,y,z"]]]]
                          CHOSEN: !If [IsOn, "on", "off"]
                          AUD: !Ref Audience
                          GLOBAL_ONLY: overridden
                      Events:
                        Get: {Type: HttpApi, Properties: {Path: "/things/{id}", Method: get}}
                        Open: {Type: HttpApi, Properties: {Path: "/open", Method: POST, Auth: {Authorizer: NONE}}}
                        Sweep: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour), Input: '{"a":1}'}}
                """);
        TemplateModel model = TemplateModel.load(template, Map.of("Audience", "one,two"));

        assertThat(model.tables()).singleElement().satisfies(t -> assertThat(t.tableName()).isEqualTo("tenure-dev"));
        assertThat(model.defaultAuthorizer()).isEqualTo("Jwt");
        TemplateModel.FunctionDef fn = model.functions().get(0);
        assertThat(fn.handlerClass()).isEqualTo("a.b.Handler");
        assertThat(fn.handlerMethod()).isEqualTo("run");
        assertThat(fn.timeoutSeconds()).isEqualTo(10);
        assertThat(fn.memoryMb()).isEqualTo(512);
        assertThat(fn.environment())
                .containsEntry("TABLE_NAME", "tenure-dev")
                .containsEntry("BUS", "bus-us-east-1")
                .containsEntry("GLOBAL_ONLY", "overridden")
                .containsEntry("ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/tenure-dev")
                .containsEntry("SUBBED", "arn:aws:ses:us-east-1:000000000000:x/arn:aws:dynamodb:us-east-1:000000000000:table/tenure-dev")
                .containsEntry("JOINED", "a-dev-y")
                .containsEntry("CHOSEN", "on")
                .containsEntry("AUD", "one,two");
        assertThat(fn.routes()).extracting(TemplateModel.Route::routeKey, TemplateModel.Route::publicRoute)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /things/{id}", false),
                        org.assertj.core.groups.Tuple.tuple("POST /open", true));
        assertThat(fn.schedules()).singleElement().satisfies(s -> {
            assertThat(s.expression()).isEqualTo("rate(1 hour)");
            assertThat(s.input()).isEqualTo("{\"a\":1}");
        });
    }

    @Test
    void readsTheRealTemplate() {
        TemplateModel model = ProjectFiles.model();
        assertThat(model.tables()).isNotEmpty();
        assertThat(model.functions()).isNotEmpty();
        assertThat(model.functions()).allSatisfy(f -> assertThat(f.environment()).containsKey("TABLE_NAME"));
    }

    @Test
    void routeThrottlesAndReservedConcurrencyAreReadAsSamBuildsThem() throws IOException {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  Reserve: {Type: Number, Default: 0}
                Conditions:
                  Reserves: !Not [!Equals [!Ref Reserve, '0']]
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      DefaultRouteSettings: {ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400}
                      RouteSettings:
                        "GET /keyed": {ThrottlingRateLimit: 5, ThrottlingBurstLimit: 6}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: x.jar
                      Handler: a.B::run
                      ReservedConcurrentExecutions: !If [Reserves, !Ref Reserve, !Ref AWS::NoValue]
                      Events:
                        Own:
                          Type: HttpApi
                          Properties:
                            ApiId: !Ref Api
                            Path: /own
                            Method: POST
                            RouteSettings: {ThrottlingRateLimit: 1.5, ThrottlingBurstLimit: 2}
                        Keyed: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /keyed, Method: GET}}
                        Default: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /default, Method: GET}}
                        Implicit: {Type: HttpApi, Properties: {Path: /implicit, Method: GET}}
                """);
        TemplateModel unreserved = TemplateModel.load(template, Map.of());
        assertThat(unreserved.functions().get(0).reservedConcurrency()).as("0 means AWS::NoValue").isNull();
        assertThat(unreserved.routes()).extracting(TemplateModel.Route::routeKey, TemplateModel.Route::throttle).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST /own", new TemplateModel.Throttle(1.5, 2)),
                org.assertj.core.groups.Tuple.tuple("GET /keyed", new TemplateModel.Throttle(5, 6)),
                org.assertj.core.groups.Tuple.tuple("GET /default", new TemplateModel.Throttle(200, 400)),
                org.assertj.core.groups.Tuple.tuple("GET /implicit", null));
        assertThat(TemplateModel.load(template, Map.of("Reserve", "7")).functions().get(0).reservedConcurrency()).isEqualTo(7);
    }

    @Test
    void theRealTemplateThrottlesThePublicRoutesMoreThanTheRest() {
        Map<String, TemplateModel.Throttle> throttles = new java.util.HashMap<>();
        ProjectFiles.model().routes().forEach(r -> throttles.put(r.routeKey(), r.throttle()));
        assertThat(throttles.get("GET /invitations/accept")).isEqualTo(new TemplateModel.Throttle(10, 20));
        assertThat(throttles.get("POST /invitations/accept")).isEqualTo(new TemplateModel.Throttle(10, 20));
        assertThat(throttles.get("POST /api/v1/identify")).isEqualTo(new TemplateModel.Throttle(100, 200));
        assertThat(throttles.get("DELETE /api/v1/users")).isEqualTo(new TemplateModel.Throttle(100, 200));
        assertThat(throttles.get("POST /orgs")).isEqualTo(new TemplateModel.Throttle(200, 400));
        assertThat(throttles).doesNotContainValue(null);
    }

    /** AWS refuses a type it does not know; the local stack refuses one it has not decided how to treat. */
    @Test
    void aResourceTypeTheLocalStackDoesNotKnowStopsIt() throws IOException {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Files:
                    Type: AWS::S3::Bucket
                  Misspelt:
                    Type: AWS::S3::Bukket
                """);
        assertThatThrownBy(() -> TemplateModel.load(template, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Misspelt").hasMessageContaining("AWS::S3::Bukket").hasMessageContaining("NOT_RUN_TYPES");

        Files.writeString(template, """
                Resources:
                  Files:
                    Type: AWS::S3::Bucket
                """);
        assertThat(TemplateModel.load(template, Map.of()).resourcesNotRun()).containsExactly(Map.entry("Files", "AWS::S3::Bucket"));
    }

    /**
     * AutoPublishAlias and SnapStart come from Globals or the function (the function's own wins),
     * and a function is snapshotted only with both: SnapStart never applies to $LATEST.
     */
    @Test
    void snapStartAndThePublishedAliasAreReadFromGlobalsOrTheFunction() throws IOException {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Globals:
                  Function:
                    Runtime: java21
                    AutoPublishAlias: live
                    SnapStart:
                      ApplyOn: PublishedVersions
                Resources:
                  Snapped:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.A, CodeUri: a.jar}
                  Plain:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.A, CodeUri: a.jar, SnapStart: {ApplyOn: None}}
                  Canary:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.A, CodeUri: a.jar, AutoPublishAlias: canary}
                """);
        Map<String, TemplateModel.FunctionDef> functions = new java.util.HashMap<>();
        TemplateModel.load(template, Map.of()).functions().forEach(f -> functions.put(f.logicalId(), f));

        assertThat(functions.get("Snapped").snapshotted()).isTrue();
        assertThat(functions.get("Snapped").autoPublishAlias()).isEqualTo("live");
        assertThat(functions.get("Plain").snapStart()).isFalse();
        assertThat(functions.get("Plain").snapshotted()).isFalse();
        assertThat(functions.get("Canary").autoPublishAlias()).isEqualTo("canary");
        assertThat(functions.get("Canary").snapshotted()).isTrue();
    }

    /** Every function of the real template is snapshotted, behind the alias live. */
    @Test
    void everyFunctionOfTheRealTemplateIsSnapshottedBehindLive() {
        assertThat(ProjectFiles.model().functions())
                .isNotEmpty()
                .allSatisfy(f -> {
                    assertThat(f.snapshotted()).as(f.logicalId()).isTrue();
                    assertThat(f.autoPublishAlias()).as(f.logicalId()).isEqualTo("live");
                });
    }

    /** What Lambda refuses with SnapStart, the local stack refuses too, naming the function and why. */
    @Test
    void whatLambdaRefusesWithSnapStartStopsTheStack() throws IOException {
        Path template = folder.resolve("template.yaml");
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("SnapStart: {ApplyOn: Always}", "ApplyOn is 'Always'");
        refused.put("Runtime: nodejs22.x", "runtime nodejs22.x");
        refused.put("Runtime: java8.al2", "runtime java8.al2");
        refused.put("EphemeralStorage: {Size: 1024}", "ephemeral storage over 512 MB");
        refused.put("ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}", "provisioned concurrency");
        refused.put("FileSystemConfigs: [{Arn: arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-1, LocalMountPath: /mnt/efs}]",
                "an EFS file system");
        refused.put("AutoPublishAlias: '42'", "AutoPublishAlias '42'");
        for (Map.Entry<String, String> setting : refused.entrySet()) {
            Files.writeString(template, """
                    Globals:
                      Function:
                        Runtime: java21
                        AutoPublishAlias: live
                        SnapStart:
                          ApplyOn: PublishedVersions
                    Resources:
                      Snapped:
                        Type: AWS::Serverless::Function
                        Properties:
                          Handler: a.A
                          CodeUri: a.jar
                          %s
                    """.formatted(setting.getKey()));
            assertThatThrownBy(() -> TemplateModel.load(template, Map.of())).as(setting.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Snapped").hasMessageContaining(setting.getValue());
        }
    }

    /** The console's hosting is known and not run: the local stack starts with it in the template. */
    @Test
    void theRealTemplatesHostingIsKnownButNotRun() {
        Map<String, String> notRun = ProjectFiles.model().resourcesNotRun();
        assertThat(notRun).containsEntry("ConsoleBucket", "AWS::S3::Bucket")
                .containsEntry("ConsoleBucketPolicy", "AWS::S3::BucketPolicy")
                .containsEntry("ConsoleDistribution", "AWS::CloudFront::Distribution")
                .containsEntry("ConsoleOriginAccessControl", "AWS::CloudFront::OriginAccessControl")
                .containsEntry("ConsolePathsFunction", "AWS::CloudFront::Function")
                .containsEntry("ConsoleHeadersPolicy", "AWS::CloudFront::ResponseHeadersPolicy");
        assertThat(notRun.values()).doesNotContainAnyElementsOf(TemplateModel.RUN_TYPES);
        assertThat(TemplateModel.RUN_TYPES).doesNotContainAnyElementsOf(TemplateModel.NOT_RUN_TYPES.keySet());
    }

    /** The console's sign-in settings: local in the local stack, else OIDC with ConsoleClientId or the first audience. */
    @Test
    void theConsoleConfigEnvironmentFollowsTheParameters() throws IOException {
        Map<String, String> base = Map.of("JwtIssuer", "https://issuer.example/", "JwtAudience", "aud-one, aud-two",
                "SenderEmail", "no-reply@tenure.local", "AppBaseUrl", "http://127.0.0.1:3000");
        Map<String, String> deployed = me(TemplateModel.load(ProjectFiles.template(), base)).environment();
        assertThat(deployed).containsEntry("CONSOLE_SIGN_IN", "oidc")
                .containsEntry("CONSOLE_OIDC_ISSUER", "https://issuer.example/")
                .containsEntry("CONSOLE_OIDC_CLIENT_ID", "aud-one");

        Map<String, String> withClient = new java.util.HashMap<>(base);
        withClient.put("ConsoleClientId", "console-spa");
        assertThat(me(TemplateModel.load(ProjectFiles.template(), withClient)).environment())
                .containsEntry("CONSOLE_OIDC_CLIENT_ID", "console-spa");

        Map<String, String> local = new java.util.HashMap<>(base);
        local.put("LocalSignIn", "true");
        assertThat(me(TemplateModel.load(ProjectFiles.template(), local)).environment()).containsEntry("CONSOLE_SIGN_IN", "local");
    }

    private static TemplateModel.FunctionDef me(TemplateModel model) {
        return model.functions().stream().filter(f -> f.logicalId().equals("MeFunction")).findFirst().orElseThrow();
    }

    @Test
    void cronFieldsMatch() {
        assertThat(Schedules.cronFieldMatches("0", 0)).isTrue();
        assertThat(Schedules.cronFieldMatches("*/15", 30)).isTrue();
        assertThat(Schedules.cronFieldMatches("*/15", 31)).isFalse();
        assertThat(Schedules.cronFieldMatches("1,5-7", 6)).isTrue();
    }
}
