package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * SnapStart in the local stack (docs/snapstart.md). A function with SnapStart on and a published
 * version (AutoPublishAlias) has its runtime hooks run when it is loaded, as Lambda runs them when
 * it publishes the version: the handler is constructed, then beforeCheckpoint, then afterRestore,
 * in the function's class loader, before the first invocation; a hook that throws fails the load.
 * Then the real functions against the shared stack: every function's priming makes only
 * read-only DynamoDB calls (counted by operation at the SDK call gate), writes no item, sends no
 * email and publishes no event; a primed function answers; and two instances resumed from one
 * snapshot state draw different ids and key secrets once their restore hook has run.
 */
class SnapStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T18:00:00Z"), ZoneOffset.UTC);
    /** What priming may call: DynamoDB reads. */
    private static final Set<String> READS = Set.of("DynamoDb:GetItem", "DynamoDb:BatchGetItem", "DynamoDb:Query");

    @TempDir
    Path folder;

    private static final String PROBE = """
            package probe;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CopyOnWriteArrayList;
            import org.crac.Core;
            import org.crac.Resource;
            public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                static final List<String> EVENTS = new CopyOnWriteArrayList<>();
                private static final List<Resource> HELD = new CopyOnWriteArrayList<>();
                public Probe() {
                    EVENTS.add("init");
                    hook("first");
                    hook("second");
                }
                protected void hook(String name) {
                    Resource resource = new Resource() {
                        public void beforeCheckpoint(org.crac.Context<? extends Resource> c) { EVENTS.add("beforeCheckpoint " + name); }
                        public void afterRestore(org.crac.Context<? extends Resource> c) { EVENTS.add("afterRestore " + name); }
                    };
                    HELD.add(resource); // org.crac holds it weakly
                    Core.getGlobalContext().register(resource);
                }
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    EVENTS.add("invoke");
                    return Map.of("events", List.copyOf(EVENTS));
                }
            }
            """;

    private static final String FAILING = """
            package probe;
            import org.crac.Core;
            import org.crac.Resource;
            public class Failing extends Probe {
                private static final Resource BROKEN = new Resource() {
                    public void beforeCheckpoint(org.crac.Context<? extends Resource> c) { throw new IllegalStateException("priming broke"); }
                    public void afterRestore(org.crac.Context<? extends Resource> c) { }
                };
                public Failing() {
                    Core.getGlobalContext().register(BROKEN);
                }
            }
            """;

    private Path probeJar() throws Exception {
        Path crac = Path.of(org.crac.Core.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = folder.resolve("functions/probe/target/function.jar");
        ProbeFunctionJar.build(folder, jar, Map.of("Probe", PROBE, "Failing", FAILING), List.of(crac));
        return jar;
    }

    private static TemplateModel.FunctionDef probe(String handlerClass, String alias, boolean snapStart) {
        return new TemplateModel.FunctionDef("ProbeFunction", "tenure-dev-probe", "functions/probe/target/function.jar",
                handlerClass, "handleRequest", 10, 512, Map.of(), List.of(), List.of(), List.of(), null, alias, snapStart);
    }

    @Test
    void aSnapStartFunctionsHooksRunWhenItIsLoadedBeforeItsFirstInvocation() throws Exception {
        probeJar();
        try (LoadedFunction function = LoadedFunction.load(probe("probe.Probe", "live", true), folder, Map.of(), CLOCK,
                call -> null)) {
            JsonNode answer = JSON.readTree(function.invoke("{}"));
            // Before the snapshot last registered first; after the restore first registered first.
            assertThat(answer.path("events")).extracting(JsonNode::asText).containsExactly("init",
                    "beforeCheckpoint second", "beforeCheckpoint first", "afterRestore first", "afterRestore second", "invoke");
        }
    }

    @Test
    void withoutSnapStartOrWithoutAPublishedVersionNoHookRuns() throws Exception {
        probeJar();
        for (TemplateModel.FunctionDef definition : List.of(probe("probe.Probe", "live", false), probe("probe.Probe", null, true))) {
            try (LoadedFunction function = LoadedFunction.load(definition, folder, Map.of(), CLOCK, call -> null)) {
                assertThat(definition.snapshotted()).isFalse();
                assertThat(JSON.readTree(function.invoke("{}")).path("events")).extracting(JsonNode::asText)
                        .containsExactly("init", "invoke");
            }
        }
    }

    @Test
    void aHookThatThrowsFailsTheLoadAsItFailsTheVersionsPublication() throws Exception {
        probeJar();
        assertThatThrownBy(() -> LoadedFunction.load(probe("probe.Failing", "live", true), folder, Map.of(), CLOCK, call -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ProbeFunction")
                .hasMessageContaining("SnapStart beforeCheckpoint hook failed")
                .hasMessageContaining("alias live")
                .hasMessageContaining("priming broke");
    }

    /** Every function of template.yaml, loaded again against the shared stack: priming only reads. */
    @Test
    void everyFunctionPrimesWithReadsOnlyAndWritesSendsAndPublishesNothing() throws Exception {
        LocalStack stack = SharedStack.get();
        LocalIam iam = new LocalIam(stack.template().functions());
        int port = URI.create(stack.baseUrl()).getPort();
        long items = itemCount(stack);
        int emails = SesMailbox.emails(stack.sesUrl()).size();
        int events = stack.events().entries().size();

        for (TemplateModel.FunctionDef definition : stack.template().functions()) {
            assertThat(definition.snapshotted()).as("%s has SnapStart on a published version", definition.logicalId()).isTrue();
            assertThat(definition.autoPublishAlias()).isEqualTo("live");
            List<String> calls = new CopyOnWriteArrayList<>();
            Function<Map<String, Object>, Map<String, String>> allowed = iam.decider(definition, "127.0.0.1", port);
            try (LoadedFunction ignored = LoadedFunction.load(definition, templateFolder(), LoadedFunction.lambdaEnvironment(definition),
                    stack.clock(), call -> {
                        calls.add(call.get("service") + ":" + call.get("operation"));
                        return allowed.apply(call);
                    })) {
                assertThat(calls).as("%s's priming reached DynamoDB (it primes the SDK client)", definition.logicalId()).isNotEmpty();
                assertThat(calls).as("%s's priming calls", definition.logicalId()).allMatch(READS::contains);
            }
        }
        assertThat(iam.denials()).as("calls the functions' policies refused while priming").isEmpty();
        assertThat(itemCount(stack)).as("items in the table").isEqualTo(items);
        assertThat(SesMailbox.emails(stack.sesUrl())).as("emails").hasSize(emails);
        assertThat(stack.events().entries()).as("events published").hasSize(events);
    }

    /**
     * Two instances of the orgs function resumed from one snapshot: both start from the same random
     * state. Without the restore hook they draw the same random parts; after it, different ones.
     */
    @Test
    void instancesResumedFromOneSnapshotDrawDifferentIdsAndSecretsAfterTheirRestoreHook() throws Exception {
        LocalStack stack = SharedStack.get();
        TemplateModel.FunctionDef orgs = stack.template().functions().stream()
                .filter(f -> f.logicalId().equals("OrgsFunction")).findFirst().orElseThrow();
        LocalIam iam = new LocalIam(stack.template().functions());
        int port = URI.create(stack.baseUrl()).getPort();

        List<Drawn> replayed = new ArrayList<>();
        List<Drawn> restored = new ArrayList<>();
        for (int instance = 0; instance < 4; instance++) {
            boolean restoreHookRuns = instance >= 2;
            try (LoadedFunction function = LoadedFunction.load(orgs, templateFolder(), LoadedFunction.lambdaEnvironment(orgs),
                    stack.clock(), iam.decider(orgs, "127.0.0.1", port))) {
                ClassLoader loader = loaderOf(function);
                // The state a snapshot resumes in: the same generator state in every instance.
                resumeSnapshotState(loader);
                if (restoreHookRuns) {
                    Class.forName(CracJar.CORE_CLASS, true, loader).getMethod("afterRestore").invoke(null);
                }
                (restoreHookRuns ? restored : replayed).add(draw(function, "snap-" + System.nanoTime() + "-" + instance));
            }
        }
        // The test can see a replay: without the hook, both instances drew the same random bits.
        assertThat(replayed.get(1).orgRandom()).isEqualTo(replayed.get(0).orgRandom());
        // With the hook: ids and the API key's secret differ.
        assertThat(restored.get(1).orgRandom()).isNotEqualTo(restored.get(0).orgRandom());
        assertThat(restored.get(1).projectRandom()).isNotEqualTo(restored.get(0).projectRandom());
        assertThat(restored.get(1).secret()).isNotEqualTo(restored.get(0).secret());
    }

    /** What one instance made: an org, a project and an API key, each answered as a primed handler answers. */
    private record Drawn(String orgRandom, String projectRandom, String secret) {
    }

    private static Drawn draw(LoadedFunction orgs, String who) throws Exception {
        JsonNode org = created(orgs.invoke(event("POST /orgs", "/orgs", Map.of(), who, "{\"name\":\"" + who + "\"}")));
        String orgId = org.path("id").asText();
        JsonNode project = created(orgs.invoke(event("POST /orgs/{orgId}/projects", "/orgs/" + orgId + "/projects",
                Map.of("orgId", orgId), who, "{\"name\":\"Web\",\"platform\":\"web\"}")));
        String projectId = project.path("id").asText();
        JsonNode key = created(orgs.invoke(event("POST /orgs/{orgId}/projects/{projectId}/api-keys",
                "/orgs/" + orgId + "/projects/" + projectId + "/api-keys", Map.of("orgId", orgId, "projectId", projectId), who,
                "{\"name\":\"server\"}")));
        return new Drawn(randomPart(orgId), randomPart(projectId), key.path("secret").asText());
    }

    private static JsonNode created(String responseJson) throws Exception {
        JsonNode response = JSON.readTree(responseJson);
        assertThat(response.path("statusCode").asInt()).as(responseJson).isEqualTo(201);
        return JSON.readTree(response.path("body").asText());
    }

    /** A signed-in HTTP API event, as the local gateway passes it after its JWT authorizer. */
    private static String event(String routeKey, String path, Map<String, String> pathParameters, String who, String body)
            throws Exception {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", Map.of("content-type", "application/json"));
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        event.put("requestContext", Map.of("requestId", "snapstart-test", "routeKey", routeKey,
                "http", Map.of("method", method, "path", path, "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1", "userAgent", "test"),
                "authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", who, "email", who + "@snapstart.example",
                        "email_verified", "true")))));
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return JSON.writeValueAsString(event);
    }

    private static String randomPart(String prefixedId) {
        String ulid = prefixedId.substring(prefixedId.indexOf('_') + 1);
        return ulid.substring(10);
    }

    /** In the function's own class loader: Randomness as one snapshot resumes it, the same in every instance. */
    private static void resumeSnapshotState(ClassLoader loader) throws Exception {
        java.security.SecureRandom replayed = java.security.SecureRandom.getInstance("SHA1PRNG");
        replayed.setSeed(42L);
        java.lang.reflect.Method use = Class.forName("io.tenure.id.Randomness", true, loader)
                .getDeclaredMethod("use", java.security.SecureRandom.class);
        use.setAccessible(true);
        use.invoke(null, replayed);
    }

    private static ClassLoader loaderOf(LoadedFunction function) throws Exception {
        Field loader = LoadedFunction.class.getDeclaredField("loader");
        loader.setAccessible(true);
        return (ClassLoader) loader.get(function);
    }

    private static Path templateFolder() {
        return Optional.ofNullable(System.getProperty("tenure.template")).filter(t -> !t.isBlank())
                .map(t -> Path.of(t).toAbsolutePath().getParent()).orElse(ProjectFiles.root());
    }

    private static long itemCount(LocalStack stack) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1).endpointOverride(URI.create(stack.dynamoDbEndpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            long count = 0;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = dynamo.scan(r -> r.tableName(stack.tableName()).select(Select.COUNT).exclusiveStartKey(from));
                count += page.count();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return count;
        }
    }
}
