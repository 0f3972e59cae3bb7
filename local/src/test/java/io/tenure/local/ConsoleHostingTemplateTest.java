package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's hosting in template.yaml (issue 11): a private bucket that only this CloudFront
 * distribution reads (origin access control), and a distribution that sends every HttpApi route's
 * path to the HTTP API, uncached, and the console's paths to the bucket. The routes are read from
 * the template itself, so a route added without its behaviour fails here. Jackson's YAML reader
 * reads a short-form tag as its text ({@code !GetAtt A.Id} is "A.Id", {@code !Sub s} is "s").
 */
class ConsoleHostingTemplateTest {
    static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    static final String CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    static final String ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
    static final Set<String> ALL_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE");

    @Test
    void theBucketIsPrivateEncryptedOwnerEnforcedAndTlsOnly() throws IOException {
        JsonNode resources = template().path("Resources");
        JsonNode bucket = resources.path("ConsoleBucket");
        assertThat(bucket.path("Type").asText()).isEqualTo("AWS::S3::Bucket");
        JsonNode block = bucket.path("Properties").path("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(setting).asBoolean(false)).as("ConsoleBucket %s", setting).isTrue();
        }
        assertThat(bucket.path("Properties").path("OwnershipControls").path("Rules").findValuesAsText("ObjectOwnership"))
                .containsExactly("BucketOwnerEnforced");
        assertThat(bucket.path("Properties").path("BucketEncryption").findValuesAsText("SSEAlgorithm")).isNotEmpty();
        assertThat(bucket.path("Properties").has("WebsiteConfiguration")).as("a website endpoint is public").isFalse();
        assertThat(bucket.path("Properties").has("AccessControl")).as("a canned ACL").isFalse();

        List<JsonNode> statements = bucketPolicyStatements(resources);
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Deny");
            assertThat(s.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
            assertThat(texts(s.path("Resource"))).contains("ConsoleBucket.Arn", "${ConsoleBucket.Arn}/*");
        });
        // Nobody but the distribution is allowed anything.
        for (JsonNode statement : statements) {
            if (statement.path("Effect").asText().equals("Allow")) {
                assertThat(statement.path("Principal").path("Service").asText()).as(statement.toString())
                        .isEqualTo("cloudfront.amazonaws.com");
            }
        }
    }

    @Test
    void onlyThisDistributionReadsTheBucketThroughOriginAccessControl() throws IOException {
        JsonNode resources = template().path("Resources");
        JsonNode oac = resources.path("ConsoleOriginAccessControl");
        assertThat(oac.path("Type").asText()).isEqualTo("AWS::CloudFront::OriginAccessControl");
        JsonNode config = oac.path("Properties").path("OriginAccessControlConfig");
        assertThat(config.path("OriginAccessControlOriginType").asText()).isEqualTo("s3");
        assertThat(config.path("SigningBehavior").asText()).isEqualTo("always");
        assertThat(config.path("SigningProtocol").asText()).isEqualTo("sigv4");

        JsonNode s3Origin = origin(resources, "ConsoleFiles");
        assertThat(s3Origin.path("DomainName").asText()).isEqualTo("ConsoleBucket.RegionalDomainName");
        assertThat(s3Origin.path("OriginAccessControlId").asText()).isEqualTo("ConsoleOriginAccessControl.Id");
        assertThat(s3Origin.path("S3OriginConfig").path("OriginAccessIdentity").asText("x")).as("no legacy OAI").isEmpty();

        List<JsonNode> allows = bucketPolicyStatements(resources).stream()
                .filter(s -> s.path("Effect").asText().equals("Allow")).toList();
        assertThat(allows).singleElement().satisfies(allow -> {
            assertThat(texts(allow.path("Action"))).containsExactly("s3:GetObject");
            assertThat(texts(allow.path("Resource"))).containsExactlyInAnyOrder(
                    "${ConsoleBucket.Arn}/console/*", "${ConsoleBucket.Arn}/docs/*");
            assertThat(allow.path("Condition").path("StringEquals").path("AWS:SourceArn").asText())
                    .isEqualTo("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${ConsoleDistribution}");
        });
    }

    /** Each HttpApi route's path, with a value in each {parameter}, is sent to the API by the first behaviour matching it. */
    @Test
    void everyRouteOfTheHttpApiHasAnUncachedBehaviourToTheApi() throws IOException {
        JsonNode template = template();
        List<String> routes = routePaths(template);
        assertThat(routes).as("routes read from the template").hasSize(ProjectFiles.model().routes().size());
        assertThat(problems(template)).as("HttpApi routes CloudFront does not send to the HTTP API as it should").isEmpty();

        JsonNode api = origin(template.path("Resources"), "HttpApi");
        assertThat(api.path("DomainName").asText()).isEqualTo("${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}");
        assertThat(api.path("CustomOriginConfig").path("OriginProtocolPolicy").asText()).isEqualTo("https-only");
    }

    /** The check above can fail: a route added without a behaviour, or a behaviour that caches, is named. */
    @Test
    void aRouteWithoutItsBehaviourIsNamed() throws IOException {
        ObjectNode added = (ObjectNode) template().deepCopy();
        ObjectNode event = added.withObject("/Resources/MeFunction/Properties/Events").putObject("Widgets");
        event.put("Type", "HttpApi");
        event.putObject("Properties").put("Path", "/widgets/{widgetId}").put("Method", "GET");
        assertThat(problems(added)).singleElement().asString().contains("/widgets/{widgetId}").contains("console files");

        ObjectNode cached = (ObjectNode) template().deepCopy();
        for (JsonNode behaviour : cached.at("/Resources/ConsoleDistribution/Properties/DistributionConfig/CacheBehaviors")) {
            if (behaviour.path("PathPattern").asText().equals("/me")) {
                ((ObjectNode) behaviour).put("CachePolicyId", CACHING_OPTIMIZED);
            }
        }
        assertThat(problems(cached)).singleElement().asString().contains("/me").contains("CachePolicyId");
    }

    /** The console's paths and the API reference come from the bucket, through the path function. */
    @Test
    void theConsoleAndTheReferenceComeFromTheBucket() throws IOException {
        JsonNode template = template();
        for (String path : List.of("/", "/console", "/console/", "/console/orgs/org_1/members", "/console/assets/index-3f2a.js",
                "/docs/", "/docs/index.html", "/favicon.ico")) {
            JsonNode behaviour = behaviourFor(template, path);
            assertThat(behaviour.path("TargetOriginId").asText()).as(path).isEqualTo("ConsoleFiles");
            assertThat(behaviour.path("ViewerProtocolPolicy").asText()).as(path).isEqualTo("redirect-to-https");
            assertThat(behaviour.path("CachePolicyId").asText()).as(path).isEqualTo(CACHING_OPTIMIZED);
            assertThat(texts(behaviour.path("AllowedMethods"))).as(path).containsExactlyInAnyOrder("GET", "HEAD");
            assertThat(behaviour.path("FunctionAssociations").findValuesAsText("FunctionARN")).as(path)
                    .containsExactly("ConsolePathsFunction.FunctionARN");
            assertThat(behaviour.path("ResponseHeadersPolicyId").asText()).as(path)
                    .isEqualTo(path.startsWith("/docs/") ? "ApiReferenceHeadersPolicy" : "ConsoleHeadersPolicy");
        }
        JsonNode config = template.at("/Resources/ConsoleDistribution/Properties/DistributionConfig");
        assertThat(config.path("HttpVersion").asText()).isEqualTo("http2and3");
        // Error pages would turn the API's 403 and 404 problems into the console's page.
        assertThat(config.has("CustomErrorResponses")).isFalse();
    }

    @Test
    void theConsolesHeadersAreStrictAndItsScriptTalksOnlyToThisOriginAndTheIssuer() throws IOException {
        JsonNode headers = template().at("/Resources/ConsoleHeadersPolicy/Properties/ResponseHeadersPolicyConfig/SecurityHeadersConfig");
        assertThat(headers.path("StrictTransportSecurity").path("AccessControlMaxAgeSec").asInt()).isGreaterThanOrEqualTo(31_536_000);
        assertThat(headers.path("ContentTypeOptions").path("Override").asBoolean()).isTrue();
        assertThat(headers.path("FrameOptions").path("FrameOption").asText()).isEqualTo("DENY");
        JsonNode sub = headers.path("ContentSecurityPolicy").path("ContentSecurityPolicy"); // !Sub [text, variables]
        String csp = sub.isArray() ? sub.path(0).asText() : sub.asText();
        assertThat(sub.path(1).path("IssuerOrigin").toString()).as("the issuer's origin comes from JwtIssuer").contains("JwtIssuer");
        assertThat(csp).startsWith("default-src 'self';")
                .contains("connect-src 'self' ${IssuerOrigin} ${ConsoleConnectOrigins};")
                .contains("frame-ancestors 'none'").contains("object-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain(" * ").doesNotContain("https:;");
    }

    // ------------------------------------------------------------------ the route check

    /** What is wrong with how CloudFront sends each HttpApi route of {@code template}. */
    static List<String> problems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        for (String route : routePaths(template)) {
            String path = route.replaceAll("\\{[^}/]+}", "x1");
            JsonNode behaviour = behaviourFor(template, path);
            String pattern = behaviour.path("PathPattern").asText("the default behaviour");
            if (!behaviour.path("TargetOriginId").asText().equals("HttpApi")) {
                problems.add(route + " goes to the console files (" + pattern + "): give its path prefix a behaviour to HttpApi");
                continue;
            }
            if (!behaviour.path("CachePolicyId").asText().equals(CACHING_DISABLED)) {
                problems.add(route + " (" + pattern + "): CachePolicyId must be CachingDisabled");
            }
            if (!behaviour.path("OriginRequestPolicyId").asText().equals(ALL_VIEWER_EXCEPT_HOST_HEADER)) {
                problems.add(route + " (" + pattern + "): OriginRequestPolicyId must be AllViewerExceptHostHeader");
            }
            if (!new TreeSet<>(texts(behaviour.path("AllowedMethods"))).equals(new TreeSet<>(ALL_METHODS))) {
                problems.add(route + " (" + pattern + "): AllowedMethods must be all seven");
            }
            if (!behaviour.path("ViewerProtocolPolicy").asText().equals("redirect-to-https")) {
                problems.add(route + " (" + pattern + "): ViewerProtocolPolicy must be redirect-to-https");
            }
        }
        return problems;
    }

    /** The Path of every HttpApi event of every function in {@code template}. */
    static List<String> routePaths(JsonNode template) {
        List<String> paths = new ArrayList<>();
        template.path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                resource.path("Properties").path("Events").forEach(event -> {
                    if (event.path("Type").asText().equals("HttpApi")) {
                        paths.add(event.path("Properties").path("Path").asText());
                    }
                });
            }
        });
        return paths;
    }

    /** The behaviour CloudFront picks for a path: the first cache behaviour whose pattern matches, else the default. */
    static JsonNode behaviourFor(JsonNode template, String path) {
        JsonNode config = template.at("/Resources/ConsoleDistribution/Properties/DistributionConfig");
        for (JsonNode behaviour : config.path("CacheBehaviors")) {
            if (matches(behaviour.path("PathPattern").asText(), path)) {
                return behaviour;
            }
        }
        return config.path("DefaultCacheBehavior");
    }

    /** CloudFront's path patterns: case-sensitive, {@code *} any characters (none too), {@code ?} exactly one. */
    static boolean matches(String pattern, String path) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return path.matches(regex.toString());
    }

    @Test
    void pathPatternsMatchAsCloudFrontMatchesThem() {
        assertThat(matches("/orgs", "/orgs")).isTrue();
        assertThat(matches("/orgs", "/orgs/x1")).isFalse();
        assertThat(matches("/orgs/*", "/orgs/x1/members")).isTrue();
        assertThat(matches("/orgs/*", "/orgs")).isFalse();
        assertThat(matches("/api/*", "/API/v1/identify")).isFalse();
        assertThat(matches("/me?", "/me2")).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode origin(JsonNode resources, String id) {
        for (JsonNode origin : resources.at("/ConsoleDistribution/Properties/DistributionConfig/Origins")) {
            if (origin.path("Id").asText().equals(id)) {
                return origin;
            }
        }
        throw new AssertionError("ConsoleDistribution has no origin " + id);
    }

    private static List<JsonNode> bucketPolicyStatements(JsonNode resources) {
        JsonNode policy = resources.path("ConsoleBucketPolicy");
        assertThat(policy.path("Type").asText()).isEqualTo("AWS::S3::BucketPolicy");
        assertThat(policy.path("Properties").path("Bucket").asText()).isEqualTo("ConsoleBucket");
        List<JsonNode> statements = new ArrayList<>();
        policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
        return statements;
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }

    private static JsonNode template() throws IOException {
        return new YAMLMapper().readTree(ProjectFiles.template().toFile());
    }
}
