package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of README.md's "Integrate" section, taken from the README itself (the code
 * fence after each {@code <!-- example: NAME -->}), against the shared local stack, and checks what
 * the integrator would see: the invitation can be read back and its email reached the invitee, or
 * the identify's link is found by a lookup. curl examples run in bash; TypeScript examples are
 * type-checked and compiled by console/'s tsc against the generated API types, then run by node;
 * Java examples are compiled in-process for Java 17 and run in a JVM of their own with Jackson. So
 * the README cannot drift from what works.
 */
class ReadmeIntegrateExamplesTest {
    private static final Pattern MARKER = Pattern.compile("<!-- example: ([a-z0-9-]+) -->");
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: ([a-z0-9-]+) -->\\n```(\\w+)\\n(.*?)\\n```\\n",
            Pattern.DOTALL);
    private static final Pattern JAVA_CLASS = Pattern.compile("public class (\\w+)");
    private static final List<String> RUN_HERE = List.of("invite-curl", "invite-typescript", "invite-java",
            "identify-curl", "identify-typescript", "identify-java");
    private static final String NODE = "install Node.js 20.19 or newer with npm, then run (cd console && npm ci)"
            + " (mvn -B verify does it): console/package.json pins TypeScript and openapi-fetch";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TSC_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static Map<String, Example> examples;
    private final Path root = ProjectFiles.root();

    @TempDir
    Path folder;

    /** A code block of the README: its marker's name, the fence's language and the code. */
    record Example(String name, String language, String code) {
    }

    @BeforeAll
    static void startStackAndReadReadme() throws IOException {
        stack = SharedStack.get();
        examples = examples(Files.readString(ProjectFiles.root().resolve("README.md")));
    }

    /** Each marker is followed by its code block, and every example of the README is run by a test below. */
    @Test
    void everyExampleOfTheReadmeIsRunHere() throws IOException {
        List<String> markers = MARKER.matcher(Files.readString(root.resolve("README.md"))).results()
                .map(m -> m.group(1)).toList();
        assertThat(markers).as("example markers in README.md").doesNotHaveDuplicates();
        assertThat(examples.keySet()).as("markers in README.md followed directly by a ``` code block").containsExactlyElementsOf(markers);
        assertThat(markers).as("README examples; each needs a test in ReadmeIntegrateExamplesTest")
                .containsExactlyInAnyOrderElementsOf(RUN_HERE);
    }

    @Test
    void inviteWithCurl() {
        Org org = org("curl");
        inviteArrived(org, curl(example("invite-curl", "sh"), org.inviteEnv()));
    }

    @Test
    void inviteWithTypeScript() {
        Org org = org("typescript");
        inviteArrived(org, typeScript(example("invite-typescript", "ts"), org.inviteEnv()));
    }

    @Test
    void inviteWithJava() {
        Org org = org("java");
        inviteArrived(org, java(example("invite-java", "java"), org.inviteEnv()));
    }

    /**
     * The README read in order: after the Quickstart invited its collaborator, the three invite
     * examples run one after another in that org. Found by following the README from a fresh clone:
     * they all invited the Quickstart's address, so each answered 409.
     */
    @Test
    void theInviteExamplesRunOneAfterAnotherAfterTheQuickstart() throws IOException {
        Matcher quickstart = Pattern.compile("## Quickstart.*?\\\\\"email\\\\\":\\\\\"([^\\\\\"]+)\\\\\"", Pattern.DOTALL)
                .matcher(Files.readString(root.resolve("README.md")));
        assertThat(quickstart.find()).as("the Quickstart's invite, with \\\"email\\\":\\\"…\\\" in README.md").isTrue();
        Org org = org("in-order");
        TestHttp.Response first = TestHttp.post(stack.baseUrl() + "/orgs/" + org.id() + "/invitations",
                "{\"email\":\"" + quickstart.group(1) + "\",\"orgRole\":\"admin\"}", org.admin());
        assertThat(first.status()).as("the Quickstart's invite: %s", first.body()).isEqualTo(201);
        inviteArrived(org, curl(example("invite-curl", "sh"), org.inviteEnv()));
        inviteArrived(org, typeScript(example("invite-typescript", "ts"), org.inviteEnv()));
        inviteArrived(org, java(example("invite-java", "java"), org.inviteEnv()));
    }

    @Test
    void identifyWithCurl() {
        Org org = org("curl");
        identified(org, curl(example("identify-curl", "sh"), org.identifyEnv()));
    }

    @Test
    void identifyWithTypeScript() {
        Org org = org("typescript");
        identified(org, typeScript(example("identify-typescript", "ts"), org.identifyEnv()));
    }

    @Test
    void identifyWithJava() {
        Org org = org("java");
        identified(org, java(example("identify-java", "java"), org.identifyEnv()));
    }

    /** The type check the TypeScript examples pass means something: an org role the contract lacks does not compile. */
    @Test
    void aTypeScriptInviteWithARoleTheContractLacksDoesNotCompile() {
        Example invite = example("invite-typescript", "ts");
        String wrong = invite.code().replace("orgRole: \"member\"", "orgRole: \"owner\"");
        assertThat(wrong).as("the README's TypeScript invite sets orgRole: \"member\", which this test changes")
                .isNotEqualTo(invite.code());
        ToolRun tsc = compileTypeScript(new Example("wrong-role", "ts", wrong));
        assertThat(tsc.exitCode()).as("tsc's exit code for orgRole \"owner\"; it printed:%n%s", tsc.output()).isNotZero();
        assertThat(tsc.stdout()).contains("error TS2322").contains("\"owner\"");
    }

    // ---- what the integrator sees ----

    /** The example's answer is an invitation of this org that reads back pending, and its email reached the invitee. */
    @SuppressWarnings("unchecked")
    private static void inviteArrived(Org org, Map<String, Object> answer) {
        String id = String.valueOf(answer.get("id"));
        TestHttp.Response read = TestHttp.get(stack.baseUrl() + "/orgs/" + org.id() + "/invitations/" + id, org.admin());
        assertThat(read.status()).as("GET the invitation the example made: %s", read.body()).isEqualTo(200);
        Map<String, Object> invitation = read.json();
        assertThat(invitation).containsEntry("orgId", org.id()).containsEntry("status", "pending")
                .containsEntry("email", answer.get("email"));
        assertThat((List<Map<String, Object>>) invitation.get("projects")).extracting(p -> p.get("projectId"))
                .containsExactly(org.projectId());
        Map<String, Object> delivery = (Map<String, Object>) invitation.get("delivery");
        assertThat(delivery).as("the invitation's delivery").containsEntry("status", "sent");

        Map<String, Object> email = Await.value(Duration.ofSeconds(10), "the invitation email " + delivery.get("messageId"),
                () -> SesMailbox.emailsTo(stack.sesUrl(), String.valueOf(answer.get("email"))).stream()
                        .filter(e -> delivery.get("messageId").equals(e.get("messageId"))).findFirst());
        assertThat(SesMailbox.text(email)).as("the invitation email's text").contains(org.name())
                .containsPattern("/invitations/accept\\?token=[A-Za-z0-9_-]{43}");
    }

    /** The example's answer links a user id in this org's project, and the identity lookup finds it. */
    private static void identified(Org org, Map<String, Object> answer) {
        assertThat(answer).containsEntry("app_id", org.projectId()).containsKeys("identity", "user_id");
        TestHttp.Response lookup = TestHttp.get(stack.baseUrl() + "/api/v1/identity?app_id=" + org.projectId()
                + "&user_id=" + answer.get("user_id"), "Authorization", "Bearer " + org.apiKey());
        assertThat(lookup.status()).as("GET /api/v1/identity for the example's user_id: %s", lookup.body()).isEqualTo(200);
        assertThat(lookup.json()).containsEntry("identity", answer.get("identity"));
    }

    // ---- running the examples ----

    private Map<String, Object> curl(Example example, Map<String, String> env) {
        String install = "the curl examples need bash and curl 7.76 or newer (for --fail-with-body) on the PATH";
        ToolRun.run(List.of("curl", "--version"), folder, Map.of(), RUN_TIMEOUT, install);
        Path script = write(folder.resolve(example.name() + ".sh"), example.code());
        ToolRun run = ToolRun.run(List.of("bash", "-eu", script.toString()), folder, env, RUN_TIMEOUT, install);
        System.out.printf("[readme] %s ran in %d ms%n", example.name(), run.took().toMillis());
        return answer(example, run);
    }

    private Map<String, Object> typeScript(Example example, Map<String, String> env) {
        ToolRun tsc = compileTypeScript(example);
        assertThat(tsc.exitCode()).as("tsc on the README's %s (against console/src/api/schema.d.ts); it printed:%n%s",
                example.name(), tsc.output()).isZero();
        Path compiled = typeScriptOut(example).resolve(sourceName(example).replace(".ts", ".js"));
        ToolRun run = ToolRun.run(List.of("node", compiled.toString()), root.resolve("console"), env, RUN_TIMEOUT, NODE);
        System.out.printf("[readme] %s type-checked and compiled in %d ms, ran in %d ms%n", example.name(),
                tsc.took().toMillis(), run.took().toMillis());
        return answer(example, run);
    }

    /**
     * tsc with console/tsconfig.json's options on the example written into console/src (beside api/,
     * as the README says), emitting into console/target; nothing is emitted on a type error.
     */
    private ToolRun compileTypeScript(Example example) {
        Path console = root.resolve("console");
        Path tsc = console.resolve("node_modules/.bin/tsc");
        if (!Files.isRegularFile(tsc)) {
            return fail("TypeScript is not installed at " + tsc + ": " + NODE);
        }
        ToolRun.run(List.of("node", "--version"), console, Map.of(), RUN_TIMEOUT, NODE); // tsc runs on node: say so if it is missing
        Path source = console.resolve("src").resolve(sourceName(example));
        Path out = typeScriptOut(example);
        try {
            Files.createDirectories(out);
            write(source, example.code());
            write(out.resolve("tsconfig.json"), """
                    {
                      "extends": "%1$s/tsconfig.json",
                      "compilerOptions": {"noEmit": false, "noEmitOnError": true, "rootDir": "%1$s/src", "outDir": "."},
                      "files": ["%1$s/src/%2$s"],
                      "include": []
                    }
                    """.formatted(out.relativize(console).toString().replace(File.separatorChar, '/'), sourceName(example)));
            return ToolRun.run(List.of(tsc.toString(), "-p", out.resolve("tsconfig.json").toString(), "--pretty", "false"),
                    console, Map.of(), TSC_TIMEOUT, NODE);
        } catch (IOException e) {
            return fail("could not write the TypeScript example " + example.name(), e);
        } finally {
            try {
                Files.deleteIfExists(source); // console/src is the console's own: leave nothing there
            } catch (IOException e) {
                System.out.println("[readme] could not delete " + source + ": " + e.getMessage());
            }
        }
    }

    private static String sourceName(Example example) {
        return "readme-example-" + example.name() + ".ts";
    }

    private Path typeScriptOut(Example example) {
        return root.resolve("console/target/readme-examples").resolve(example.name());
    }

    private Map<String, Object> java(Example example, Map<String, String> env) {
        Matcher className = JAVA_CLASS.matcher(example.code());
        assertThat(className.find()).as("a public class in the README's %s", example.name()).isTrue();
        Path source = write(folder.resolve("src").resolve(className.group(1) + ".java"), example.code());
        Path classes = folder.resolve("classes");
        String classpath = jacksonJars();

        long start = System.nanoTime();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            fail("No Java compiler in " + System.getProperty("java.home") + ": run the tests on a JDK 17 or newer, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-classpath", classpath, "-d", classes.toString()), null,
                    files.getJavaFileObjects(source)).call();
            assertThat(compiled).as("javac --release 17 on the README's %s:%n%s", example.name(),
                    diagnostics.getDiagnostics().stream().map(Object::toString).collect(Collectors.joining("\n"))).isTrue();
        } catch (IOException e) {
            fail("could not compile the README's " + example.name(), e);
        }
        long compileMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ToolRun run = ToolRun.run(List.of(java, "-cp", classes + File.pathSeparator + classpath, className.group(1)), folder,
                env, RUN_TIMEOUT, "the JDK running the tests has no bin/java");
        System.out.printf("[readme] %s compiled in-process in %d ms, ran in %d ms%n", example.name(), compileMillis,
                run.took().toMillis());
        return answer(example, run);
    }

    /** jackson-databind and what it needs, where this JVM loaded them from: all a Java example has besides the JDK. */
    private static String jacksonJars() {
        return Stream.of(ObjectMapper.class, JsonFactory.class, JsonProperty.class).map(type -> {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining(File.pathSeparator));
    }

    /** The example succeeded and printed one JSON object: the API's answer. */
    private static Map<String, Object> answer(Example example, ToolRun run) {
        assertThat(run.exitCode()).as("exit code of the README's %s; %s", example.name(), run.output()).isZero();
        try {
            return JSON.readValue(run.stdout().strip(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return fail("the README's " + example.name() + " did not print the answer's JSON; " + run.output(), e);
        }
    }

    // ---- fixtures ----

    /** An org of a fresh admin, with a project and a key of it: what the examples' environment names. */
    private record Org(String id, String name, String[] admin, String token, String projectId, String apiKey) {
        Map<String, String> inviteEnv() {
            return Map.of("TENURE_URL", stack.baseUrl(), "TENURE_TOKEN", token, "ORG_ID", id, "PROJECT_ID", projectId);
        }

        Map<String, String> identifyEnv() {
            return Map.of("TENURE_URL", stack.baseUrl(), "TENURE_API_KEY", apiKey, "APP_ID", projectId);
        }
    }

    private static Org org(String language) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String token = TestHttp.token(stack, "readme-" + language + "-" + suffix + "@acme.example");
        String[] admin = {"Authorization", "Bearer " + token};
        String name = "Readme " + language + " " + suffix;
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + name + "\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        String orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"Web storefront\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = (String) project.json().get("id");
        TestHttp.Response key = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + projectId + "/api-keys",
                "{\"name\":\"server\"}", admin);
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return new Org(orgId, name, admin, token, projectId, (String) key.json().get("secret"));
    }

    private static Example example(String name, String language) {
        Example example = examples.get(name);
        assertThat(example).as("README.md has `<!-- example: %s -->` followed by a ```%s block", name, language).isNotNull();
        assertThat(example.language()).as("the language of the README's %s", name).isEqualTo(language);
        return example;
    }

    private static Map<String, Example> examples(String readme) {
        Map<String, Example> found = new LinkedHashMap<>();
        EXAMPLE.matcher(readme).results()
                .forEach(m -> found.put(m.group(1), new Example(m.group(1), m.group(2), m.group(3) + "\n")));
        return found;
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
