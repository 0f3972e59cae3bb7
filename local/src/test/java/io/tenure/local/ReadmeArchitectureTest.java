package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's architecture diagram and route table keep up with template.yaml and openapi.yaml:
 * a function added to the template, or an operation added to the contract, fails here until the
 * README shows it.
 */
class ReadmeArchitectureTest {

    private static String readme() throws IOException {
        return Files.readString(ProjectFiles.root().resolve("README.md"));
    }

    private static String section(String text, String heading) {
        int start = text.indexOf("\n## " + heading + "\n");
        assertThat(start).as("README.md has a section \"## %s\"", heading).isNotNegative();
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    @Test
    void theDiagramShowsEveryFunctionOfTheTemplate() throws IOException {
        String architecture = section(readme(), "Architecture");
        int open = architecture.indexOf("```mermaid\n");
        assertThat(open).as("the Architecture section holds a ```mermaid block").isNotNegative();
        String diagram = architecture.substring(open, architecture.indexOf("```", open + 10));
        List<String> missing = new ArrayList<>();
        for (TemplateModel.FunctionDef function : ProjectFiles.model().functions()) {
            if (!Pattern.compile("\\b" + function.logicalId() + "\\[").matcher(diagram).find()) {
                missing.add(function.logicalId());
            }
        }
        assertThat(missing).as("functions of template.yaml with no node (LogicalId[\"label\"]) in the diagram").isEmpty();
    }

    /**
     * Each operation's link is Redoc's own anchor, {@code /docs/#/<tag>/<operationid>} in lower case
     * (read off the rendered page in chromium: following it scrolls to the operation).
     */
    @Test
    void theRouteTableLinksEveryOperationOfTheReference() throws IOException {
        String routes = section(readme(), "Functions and routes");
        JsonNode paths = new YAMLMapper().readTree(ProjectFiles.root().resolve("openapi.yaml").toFile()).path("paths");
        List<String> ids = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        paths.forEach(path -> path.forEach(operation -> {
            String id = operation.path("operationId").asText("");
            if (id.isEmpty()) {
                return;
            }
            ids.add(id);
            String tag = operation.path("tags").path(0).asText("").toLowerCase(Locale.ROOT);
            String definition = "[`" + id + "`]: http://127.0.0.1:3000/docs/#/" + tag + "/" + id.toLowerCase(Locale.ROOT);
            if (!routes.contains("| [`" + id + "`]") && !routes.contains(", [`" + id + "`]") || !routes.contains(definition + "\n")) {
                missing.add(definition);
            }
        }));
        assertThat(missing).as("operations of openapi.yaml the route table does not link, with the link each needs").isEmpty();
        Matcher link = Pattern.compile("\\[`(\\w+)`]").matcher(routes);
        List<String> unknown = new ArrayList<>();
        while (link.find()) {
            if (!ids.contains(link.group(1))) {
                unknown.add(link.group(1));
            }
        }
        assertThat(unknown).as("operations the route table links that openapi.yaml does not have").isEmpty();
    }
}
