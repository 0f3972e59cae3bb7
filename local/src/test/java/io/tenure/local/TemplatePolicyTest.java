package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No IAM policy statement in template.yaml (function Policies, roles, queue, topic, key and
 * bucket policies: any {@code Statement} anywhere) grants on {@code Resource: '*'}, except where AWS
 * offers no narrower resource and the template says why in
 * {@code Metadata.Tenure.WildcardResources.<Sid>}: actions AWS gives no resource-level permission
 * for, and KMS key policies, where {@code '*'} means the key itself.
 */
class TemplatePolicyTest {
    /** Actions that only accept Resource '*' (the Service Authorization Reference lists no resource type for them). */
    static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL = Set.of(
            "cloudwatch:putmetricdata",
            "xray:puttracesegments",
            "xray:puttelemetryrecords",
            "xray:getsamplingrules",
            "xray:getsamplingtargets",
            "ec2:describenetworkinterfaces");

    /** One policy statement and where it is. */
    record Statement(String path, String resourceId, String resourceType, boolean inKeyPolicy, JsonNode node) {
        String sid() {
            return node.path("Sid").asText("");
        }

        List<String> actions() {
            return texts(node.get("Action"));
        }

        boolean wildcardResource() {
            return texts(node.get("Resource")).contains("*") || texts(node.get("NotResource")).contains("*");
        }
    }

    @Test
    void noStatementGrantsOnEveryResourceWithoutAReason() throws IOException {
        JsonNode template = template();
        List<Statement> statements = statements(template);
        // The walk finds the statements it is meant to check: function policies, the queue, topic, key and bucket policies.
        assertThat(statements).extracting(Statement::resourceType)
                .contains("AWS::Serverless::Function", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::KMS::Key",
                        "AWS::S3::BucketPolicy");
        assertThat(statements).filteredOn(s -> "EventsPublisherFunction".equals(s.resourceId())).isNotEmpty();

        List<String> problems = problems(template);
        assertThat(problems).as("IAM statements with Resource '*' in template.yaml").isEmpty();
    }

    /** A reason that names no wildcard statement is stale: the statement went or was narrowed. */
    @Test
    void everyWildcardReasonNamesAWildcardStatement() throws IOException {
        JsonNode template = template();
        Set<String> wildcardSids = new TreeSet<>();
        statements(template).stream().filter(Statement::wildcardResource).forEach(s -> wildcardSids.add(s.sid()));
        template.path("Metadata").path("Tenure").path("WildcardResources").properties().stream().map(Map.Entry::getKey)
                .forEach(sid -> assertThat(wildcardSids)
                        .as("Metadata.Tenure.WildcardResources.%s: no statement with that Sid has Resource '*'", sid)
                        .contains(sid));
    }

    /** The check is not vacuous: a statement with Resource '*' injected into a copy of the template fails it. */
    @Test
    void anInjectedWildcardStatementFails() throws IOException {
        ObjectNode copy = (ObjectNode) template().deepCopy();
        orgsStatements(copy).add(statement("Injected", "dynamodb:Scan", "*"));
        assertThat(problems(copy)).singleElement().asString().contains("Injected").contains("OrgsFunction");

        // A wildcard on a queue or role policy is found as well, with Resource as a one-item list.
        ObjectNode queuePolicy = (ObjectNode) template().deepCopy();
        ObjectNode injected = statement("InjectedOnQueue", "sqs:SendMessage", null);
        injected.putArray("Resource").add("*");
        queuePolicy.withObject("/Resources/AsyncFailureQueuePolicy/Properties/PolicyDocument").withArray("Statement").add(injected);
        assertThat(problems(queuePolicy)).singleElement().asString().contains("InjectedOnQueue");

        // An action AWS allows only on '*' still needs its reason in Metadata ...
        ObjectNode metrics = (ObjectNode) template().deepCopy();
        orgsStatements(metrics).add(statement("PutMetrics", "cloudwatch:PutMetricData", "*"));
        assertThat(problems(metrics)).singleElement().asString().contains("PutMetrics").contains("no reason");
        // ... and passes with one.
        metrics.withObject("/Metadata/Tenure/WildcardResources").put("PutMetrics", "CloudWatch has no resource-level permission for PutMetricData.");
        assertThat(problems(metrics)).isEmpty();
        // A reason does not excuse an action that can be narrowed.
        orgsStatements(metrics).add(statement("PutMetrics", "dynamodb:GetItem", "*"));
        assertThat(problems(metrics)).singleElement().asString().contains("dynamodb:GetItem");
    }

    // ------------------------------------------------------------------ the check

    static List<String> problems(JsonNode template) {
        JsonNode reasons = template.path("Metadata").path("Tenure").path("WildcardResources");
        List<String> problems = new ArrayList<>();
        for (Statement statement : statements(template)) {
            if (!statement.wildcardResource()) {
                continue;
            }
            String where = statement.path() + (statement.sid().isEmpty() ? "" : " (Sid " + statement.sid() + ")");
            List<String> narrowable = statement.actions().stream()
                    .filter(a -> !ACTIONS_WITHOUT_RESOURCE_LEVEL.contains(a.toLowerCase(Locale.ROOT))).toList();
            if (!statement.inKeyPolicy() && !narrowable.isEmpty()) {
                problems.add(where + " grants " + narrowable + " on Resource '*'; name the resources (ARNs) instead");
            } else if (statement.sid().isEmpty() || reasons.path(statement.sid()).asText("").isBlank()) {
                problems.add(where + " has Resource '*' and no reason: give it a Sid and say why at "
                        + "Metadata.Tenure.WildcardResources.<Sid>");
            }
        }
        return problems;
    }

    /** Every policy statement in the template: any object with Effect inside a {@code Statement}. */
    static List<Statement> statements(JsonNode template) {
        List<Statement> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> resource : template.path("Resources").properties()) {
            String type = resource.getValue().path("Type").asText();
            walk(resource.getValue(), "Resources." + resource.getKey(), resource.getKey(), type, false, found);
        }
        return found;
    }

    private static void walk(JsonNode node, String path, String resourceId, String type, boolean inKeyPolicy, List<Statement> found) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String childPath = path + "." + field.getKey();
                boolean keyPolicy = inKeyPolicy || ("AWS::KMS::Key".equals(type) && "KeyPolicy".equals(field.getKey()));
                if ("Statement".equals(field.getKey())) {
                    JsonNode value = field.getValue();
                    List<JsonNode> items = new ArrayList<>();
                    if (value.isArray()) {
                        value.forEach(items::add);
                    } else {
                        items.add(value);
                    }
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i).has("Effect")) {
                            found.add(new Statement(childPath + "[" + i + "]", resourceId, type, keyPolicy, items.get(i)));
                        }
                    }
                } else {
                    walk(field.getValue(), childPath, resourceId, type, keyPolicy, found);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", resourceId, type, inKeyPolicy, found);
            }
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    /** The statements of the orgs function's first inline policy, in a copy of the template. */
    private static ArrayNode orgsStatements(ObjectNode template) {
        return ((ObjectNode) template.withObject("/Resources/OrgsFunction/Properties").withArray("Policies").get(0))
                .withArray("Statement");
    }

    private static ObjectNode statement(String sid, String action, String resource) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", action);
        if (resource != null) {
            statement.put("Resource", resource);
        }
        return statement;
    }

    /** Jackson's YAML reader reads a short-form tag as its value: {@code !Ref X} is "X", {@code Resource: '*'} is "*". */
    private static JsonNode template() throws IOException {
        return new YAMLMapper().readTree(ProjectFiles.template().toFile());
    }
}
