package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * template.yaml is valid SAM (against the SAM JSON schema, draft-04), every function's handler has
 * its source, and every HTTP route has a sample event in events/.
 */
class TemplateTest {
    private final Path root = ProjectFiles.root();

    @Test
    void templateIsValidAgainstTheSamSchema() throws IOException {
        // Never skipped: without the schema, template.yaml would go unchecked and the build would still pass.
        Path schemaPath = samSchema();
        String fromEnv = System.getenv("SAM_SCHEMA");
        assertThat(schemaPath)
                .as("The AWS SAM JSON schema is needed to validate template.yaml. Put it at "
                        + root.resolve("../shared/schemas/sam.schema.json").normalize()
                        + " (shared/schemas/sam.schema.json beside the project folder), or set $SAM_SCHEMA to its path"
                        + (fromEnv == null || fromEnv.isBlank() ? "" : " ($SAM_SCHEMA is set to " + fromEnv + ", which is not a file)"))
                .isNotNull();

        // Jackson's YAML reader reads short-form tags as their value (!Ref X -> "X"), which the schema accepts.
        JsonNode template = new YAMLMapper().readTree(ProjectFiles.template().toFile());
        JsonSchema schema = samSchema(schemaPath);
        Set<ValidationMessage> messages = schema.validate(template);
        messages.forEach(message -> System.out.println("[sam-schema] " + message));
        assertThat(messages).as("SAM schema validation messages").isEmpty();

        // The check is not vacuous: a misspelt function property fails it.
        ObjectNode misspelt = template.deepCopy();
        misspelt.withObject("/Resources").properties().stream()
                .filter(r -> "AWS::Serverless::Function".equals(r.getValue().path("Type").asText()))
                .findFirst().ifPresent(r -> ((ObjectNode) r.getValue().get("Properties")).put("Handlr", "x.Y::z"));
        assertThat(schema.validate(misspelt)).as("messages for a misspelt property").isNotEmpty();
    }

    private static JsonSchema samSchema(Path schemaPath) throws IOException {
        try (InputStream in = Files.newInputStream(schemaPath)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void everyHandlerClassHasItsSource() {
        List<TemplateModel.FunctionDef> functions = ProjectFiles.model().functions();
        assertThat(functions).isNotEmpty();
        for (TemplateModel.FunctionDef function : functions) {
            assertThat(function.codeUri()).as(function.logicalId() + " CodeUri")
                    .matches("functions/[^/]+/target/function\\.jar");
            String folder = function.codeUri().split("/")[1];
            Path source = root.resolve("functions").resolve(folder).resolve("src/main/java")
                    .resolve(function.handlerClass().replace('.', '/') + ".java");
            assertThat(source).as(function.logicalId() + " handler source").isRegularFile();
        }
    }

    @Test
    void everyRouteHasASampleEvent() throws IOException {
        List<String> routeKeys = new ArrayList<>();
        Path events = root.resolve("events");
        if (Files.isDirectory(events)) {
            try (Stream<Path> files = Files.walk(events)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    JsonNode event = new ObjectMapper().readTree(file.toFile());
                    if (event.hasNonNull("routeKey")) {
                        routeKeys.add(event.get("routeKey").asText());
                    }
                }
            }
        }
        for (TemplateModel.Route route : ProjectFiles.model().routes()) {
            assertThat(routeKeys).as("a sample event in events/ for " + route.routeKey()).contains(route.routeKey());
        }
    }

    private Path samSchema() {
        String fromEnv = System.getenv("SAM_SCHEMA");
        if (fromEnv != null && !fromEnv.isBlank() && Files.isRegularFile(Path.of(fromEnv))) {
            return Path.of(fromEnv);
        }
        Path beside = root.resolve("../shared/schemas/sam.schema.json").normalize();
        return Files.isRegularFile(beside) ? beside : null;
    }
}
