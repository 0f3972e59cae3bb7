package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml, the published contract of the HTTP API, describes exactly the routes template.yaml
 * deploys (same {@code METHOD path} set), in OpenAPI 3.1, and says who may call each one the way
 * the template's authorizer settings do.
 */
class OpenApiContractTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void declaresOpenApi31() {
        assertThat(openApi().path("openapi").asText())
                .as("the `openapi` version of openapi.yaml")
                .matches("3\\.1\\.\\d+");
    }

    @Test
    void describesExactlyTheRoutesOfTheTemplate() {
        Set<String> deployed = ProjectFiles.model().routes().stream()
                .map(TemplateModel.Route::routeKey).collect(Collectors.toCollection(TreeSet::new));
        Set<String> described = operations(openApi()).keySet();
        assertThat(deployed).as("template.yaml has HttpApi routes").isNotEmpty();
        String difference = difference(deployed, described);
        assertThat(difference).as("routes of template.yaml and openapi.yaml differ:%n%s", difference).isEmpty();
    }

    /**
     * The template's JWT authorizer guards every route that does not opt out; openapi.yaml must
     * ask for the JWT (bearerAuth) on exactly those, and never on a route the gateway lets through.
     */
    @Test
    void asksForTheJwtExactlyWhereTheGatewayChecksIt() {
        Map<String, JsonNode> operations = operations(openApi());
        JsonNode globalSecurity = openApi().path("security");
        TreeSet<String> wrong = new TreeSet<>();
        for (TemplateModel.Route route : ProjectFiles.model().routes()) {
            JsonNode operation = operations.get(route.routeKey());
            if (operation == null) {
                continue; // reported by describesExactlyTheRoutesOfTheTemplate
            }
            JsonNode security = operation.has("security") ? operation.get("security") : globalSecurity;
            boolean asksForJwt = false;
            for (JsonNode requirement : security) {
                asksForJwt |= requirement.has("bearerAuth");
            }
            if (asksForJwt == route.publicRoute()) {
                wrong.add(route.routeKey() + (route.publicRoute()
                        ? ": public in template.yaml (Authorizer: NONE) but openapi.yaml asks for bearerAuth"
                        : ": behind the JWT authorizer in template.yaml but openapi.yaml does not ask for bearerAuth"));
            }
        }
        assertThat(wrong).as("security of openapi.yaml against template.yaml's authorizers").isEmpty();
    }

    /** The check above reports what is missing on either side, so a failure says what to fix. */
    @Test
    void aDifferenceNamesTheRouteAndTheFileThatLacksIt() {
        String difference = difference(Set.of("GET /me", "POST /orgs"), Set.of("GET /me", "GET /orgs"));
        assertThat(difference)
                .contains("in template.yaml only: POST /orgs")
                .contains("in openapi.yaml only: GET /orgs")
                .doesNotContain("GET /me");
        assertThat(difference(Set.of("GET /me"), Set.of("GET /me"))).isEmpty();
    }

    /** Route keys ({@code METHOD path}) of every operation in openapi.yaml, with the operation. */
    static Map<String, JsonNode> operations(JsonNode openApi) {
        Map<String, JsonNode> operations = new TreeMap<>();
        openApi.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (HTTP_METHODS.contains(entry.getKey())) {
                operations.put(entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), entry.getValue());
            }
        }));
        return operations;
    }

    static String difference(Set<String> template, Set<String> openApi) {
        StringBuilder out = new StringBuilder();
        new TreeSet<>(template).stream().filter(r -> !openApi.contains(r))
                .forEach(r -> out.append("in template.yaml only: ").append(r).append('\n'));
        new TreeSet<>(openApi).stream().filter(r -> !template.contains(r))
                .forEach(r -> out.append("in openapi.yaml only: ").append(r).append('\n'));
        return out.toString();
    }

    static JsonNode openApi() {
        Path file = ProjectFiles.root().resolve("openapi.yaml");
        if (!Files.isRegularFile(file)) {
            return fail("openapi.yaml is missing at " + file + ": it is the HTTP API's contract and must describe"
                    + " every route of template.yaml");
        }
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            return fail("openapi.yaml is not readable YAML: " + e.getMessage(), e);
        }
    }
}
