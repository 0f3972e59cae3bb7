package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered API reference at {@code /docs/} of the running stack: the page Redocly CLI's
 * build-docs made from openapi.yaml in this build, with every operation, and nothing loaded from
 * another host, so it works offline.
 *
 * <p>What build-docs writes: the info section and the menu's tags are prerendered as HTML; the
 * operations are drawn in the browser by Redoc from the description embedded in the page
 * ({@code const __redoc_definition = {...}} handed to {@code hydrate(...)}). So the operations are
 * checked in that embedded description, and the tags in the markup.
 */
class ApiReferenceEndToEndTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** The description Redoc draws the page from, as build-docs' template writes it. */
    private static final Pattern EMBEDDED_DEFINITION = Pattern.compile(
            "const __redoc_definition = (\\{.*?\\});\\s*const __redoc_options", Pattern.DOTALL);
    /** A script, stylesheet, preload, frame or media element that fetches from a host ({@code <a>} links do not). */
    private static final Pattern EXTERNAL_ELEMENT = Pattern.compile(
            "<(?:script|link|img|iframe|frame|embed|object|source|audio|video|track)\\b[^>]*?\\s"
                    + "(?:src|href|srcset|data|poster)\\s*=\\s*[\"']?\\s*(?:https?:)?//[^\\s\"'>]*",
            Pattern.CASE_INSENSITIVE);
    /** A JavaScript module imported from a host, statically or dynamically. */
    private static final Pattern EXTERNAL_IMPORT = Pattern.compile(
            "\\bimport\\s*(?:[\\w$*{},\\s]+?\\s*from\\s*)?\\(?\\s*[\"'](?:https?:)?//[^\"']*");
    /** CSS that fetches from a host: {@code @import} or {@code url(...)} (fonts, images). */
    private static final Pattern EXTERNAL_CSS = Pattern.compile(
            "(?:@import\\s+(?:url\\()?|url\\()\\s*[\"']?(?:https?:)?//[^\"')\\s]*", Pattern.CASE_INSENSITIVE);

    private static LocalStack stack;
    private static JsonNode openApi;

    @BeforeAll
    static void readContract() {
        stack = SharedStack.get();
        try {
            openApi = new YAMLMapper().readTree(ProjectFiles.root().resolve("openapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void docsAnswersTheReferenceAsHtmlTitledLikeTheContract() {
        TestHttp.Response page = page();
        assertThat(page.header("content-type")).isEqualToIgnoringCase("text/html; charset=utf-8");
        assertThat(page.body()).startsWith("<!DOCTYPE html>");
        assertThat(page.body()).contains("<title>" + openApi.path("info").path("title").asText() + "</title>");
        System.out.println("[api-reference] " + ApiReferencePage.RELATIVE_PATH + ": "
                + page.body().getBytes(StandardCharsets.UTF_8).length + " bytes");
    }

    /** Every operation of openapi.yaml, with its operationId and summary, is in the description the page draws. */
    @Test
    void thePageCarriesEveryOperationOfOpenApiYaml() {
        String html = page().body();
        assertThat(html).as("the page hands the embedded description to Redoc").contains("hydrate(__redoc_definition");
        JsonNode embedded = embeddedDefinition(html);
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!HTTP_METHODS.contains(method.getKey())) {
                    continue;
                }
                operations++;
                JsonNode expected = method.getValue();
                JsonNode shown = embedded.path("paths").path(path.getKey()).path(method.getKey());
                if (!shown.path("operationId").equals(expected.path("operationId"))
                        || !shown.path("summary").equals(expected.path("summary"))) {
                    missing.add(method.getKey().toUpperCase() + " " + path.getKey() + " " + expected.path("operationId").asText()
                            + " \"" + expected.path("summary").asText() + "\"");
                }
            }
        }
        assertThat(operations).as("operations in openapi.yaml").isPositive();
        assertThat(missing).as("operations of openapi.yaml the page does not show (rebuild it: %s)", ApiReferencePage.HOW_TO_BUILD)
                .isEmpty();
        System.out.println("[api-reference] the page shows all " + operations + " operations of openapi.yaml");
    }

    /** The tags (the menu's groups) are in the prerendered markup, before any script runs. */
    @Test
    void theMenuIsPrerenderedWithEveryTag() {
        String html = page().body();
        String markup = html.substring(0, html.indexOf("<script type=\"module\">"));
        List<String> tags = new ArrayList<>();
        openApi.path("tags").forEach(tag -> tags.add(tag.path("name").asText()));
        assertThat(tags).as("tags in openapi.yaml").isNotEmpty();
        for (String tag : tags) {
            assertThat(markup).as("prerendered markup names tag %s", tag).contains(">" + tag + "<");
        }
    }

    @Test
    void thePageLoadsNothingFromAnotherHost() {
        TestHttp.Response page = page();
        assertThat(externalResources(page.body())).as("scripts, stylesheets and other resources from another host").isEmpty();
        // Redoc's footer fetches the Redocly logo from its CDN when it runs; the policy makes the browser refuse it.
        assertThat(page.header("content-security-policy")).as("the page's Content-Security-Policy")
                .contains("default-src 'none'", "img-src 'self' data: blob:").doesNotContain("https:", "*");
    }

    /**
     * What build-docs writes without {@code --inlineBundle} (Redoc from its CDN) is caught by the
     * check above, so an empty answer there means something.
     */
    @Test
    void theCheckFindsRedocLoadedFromItsCdn() {
        String cdnPage = """
                <link rel="modulepreload" href="https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js" crossorigin="anonymous" />
                <script type="module">
                  import { hydrate } from "https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js";
                </script>
                <script src="//cdn.example/redoc.js"></script>
                <style>@import url("https://fonts.example/css?family=Roboto");</style>
                <p>See <a href="https://example.com/guide">the guide</a>.</p>
                """;
        assertThat(externalResources(cdnPage)).hasSize(4).noneMatch(found -> found.contains("example.com/guide"));
    }

    @Test
    void docsWithoutTheSlashRedirectsToThePage() {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/docs");
        assertThat(response.status()).isIn(301, 308);
        assertThat(response.header("location")).isEqualTo("/docs/");
    }

    @Test
    void theStartUpBannerListsThePage() {
        assertThat(stack.banner()).contains("API reference  " + stack.baseUrl() + "/docs/").doesNotContain("not built");
    }

    private static TestHttp.Response page() {
        TestHttp.Response page = TestHttp.get(stack.baseUrl() + "/docs/");
        assertThat(page.status()).as("GET /docs/ answered: %s", page.body().length() > 500 ? "" : page.body()).isEqualTo(200);
        return page;
    }

    private static JsonNode embeddedDefinition(String html) {
        Matcher definition = EMBEDDED_DEFINITION.matcher(html);
        if (!definition.find()) {
            return fail("no `const __redoc_definition = {...}` in the page: has build-docs' template changed?");
        }
        try {
            return new ObjectMapper().readTree(definition.group(1));
        } catch (IOException e) {
            return fail("the embedded description is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> externalResources(String html) {
        List<String> found = new ArrayList<>();
        for (Pattern pattern : List.of(EXTERNAL_ELEMENT, EXTERNAL_IMPORT, EXTERNAL_CSS)) {
            Matcher matcher = pattern.matcher(html);
            while (matcher.find()) {
                found.add(matcher.group());
            }
        }
        return found;
    }
}
