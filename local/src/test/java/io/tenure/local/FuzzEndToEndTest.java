package io.tenure.local;

import static io.tenure.local.FuzzInputs.NODES;
import static io.tenure.local.FuzzInputs.texts;
import static io.tenure.local.FuzzInputs.validOr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.local.FuzzInputs.Body;
import io.tenure.local.FuzzInputs.Param;
import io.tenure.local.FuzzTarget.Request;
import io.tenure.local.FuzzTarget.Response;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Fuzzing (issue 9) over HTTP against the shared local stack: every route of template.yaml that
 * takes a JSON body, a query string or a path id gets valid bodies full of hostile text, mutated
 * bodies (keys dropped, renamed, duplicated, wrong types, null, arrays for objects), huge strings,
 * 10,000 levels of nesting, Unicode edge cases, control characters and HTML in every text field;
 * one JSON body in ten goes as other bytes or content types ({@link FuzzTarget#onTheWire}).
 *
 * <p>Every answer is below 500; every 4xx from a function is {@code application/problem+json} with
 * a code and title (a 422 naming its field), except the accept page's, which are HTML pages; no
 * HTML answer and no email the SES emulator received holds the injected markup unescaped. API
 * Gateway's own 413 and 429 answers are recognised exactly and counted apart; after a 429 the
 * clock moves a second and the request is sent again. The figures print at the end, starting
 * {@code fuzz: N inputs, M routes}. Shrinking is off: each input is a round trip through the stack,
 * and a failure already prints the whole request and answer.
 */
class FuzzEndToEndTest {
    private static final AtomicInteger PROPERTIES_RUN = new AtomicInteger();
    private static final AtomicInteger ORGS_CREATED = new AtomicInteger();

    @AfterProperty
    void counted() {
        PROPERTIES_RUN.incrementAndGet();
    }

    @AfterContainer
    static void figures() {
        FuzzTarget target = FuzzTarget.startedOrNull();
        if (target == null) {
            return;
        }
        target.checkAllEmails();
        System.out.print(target.summary());
        target.assertNoAccessDenied();
        long declared = Arrays.stream(FuzzEndToEndTest.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Property.class)).count();
        if (PROPERTIES_RUN.get() == declared) {
            assertThat(target.routesNotFuzzed()).as("template.yaml routes no fuzz input reached").isEmpty();
        } else {
            System.out.printf("fuzz: route coverage not checked: %d of %d properties ran%n", PROPERTIES_RUN.get(), declared);
        }
    }

    private static FuzzTarget target() {
        return FuzzTarget.get();
    }

    /** A route that reads a JSON body refuses one that is surely not one object (cut short, more after it, a key twice). */
    private static void refusedUnlessOneObject(Body body, Response response) {
        if (body.surelyNotOneObject()) {
            assertThat(response.status()).as("a body that is not one JSON object: " + body + " → " + response).isBetween(400, 499);
        }
    }

    // ------------------------------------------------------------------ organizations and projects

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void createOrg(@ForAll("orgBodies") Body body, @ForAll("idempotencyKeys") String key) {
        FuzzTarget t = target();
        Request request = Request.of("POST /orgs", "POST", "/orgs", "", body.text(), t.creator(ORGS_CREATED.getAndIncrement()));
        refusedUnlessOneObject(body, t.fuzz(key == null ? request : request.withHeaders("Idempotency-Key", key), false));
    }

    @Provide
    Arbitrary<Body> orgBodies() {
        Arbitrary<ObjectNode> valid = Combinators.combine(validOr(Arbitraries.of("Fuzz org", "Acme <b>fz-bold</b>")),
                        Arbitraries.of(false, false, true), slugs(), Arbitraries.of(false, true), settings())
                .as((name, withSlug, slug, withSettings, settings) -> {
                    ObjectNode body = NODES.objectNode().put("name", name);
                    if (withSlug) {
                        body.put("slug", slug);
                    }
                    if (withSettings) {
                        body.set("settings", settings);
                    }
                    return body;
                });
        return FuzzInputs.bodies(valid);
    }

    private static Arbitrary<String> slugs() {
        return validOr(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(12).map(s -> "fz-" + s));
    }

    @Provide
    Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').ofLength(16)),
                Tuple.of(1, Arbitraries.of("", " ", "x".repeat(256), "x".repeat(3000), "caf\u00E9", "a b", "\"quoted\"",
                        "<script>alert('fz-script')</script>", "%00", "#", "IDEM#x")));
    }

    /** Org settings, each field present or not, valid or hostile (patterns included). */
    private static Arbitrary<ObjectNode> settings() {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        fields.put("invitationTtlDays", ints(1, 30));
        fields.put("maxAccessDays", ints(1, 3650));
        fields.put("requireAccessEndDate", bools());
        fields.put("requireJustification", bools());
        fields.put("internalDomains", listOf(validOr(Arbitraries.of("acme.example", "Partner.Example"))));
        fields.put("allowedEmailDomains", listOf(validOr(Arbitraries.of("partner.example", "acme.example"))));
        fields.put("blockConsumerDomains", bools());
        // (.*a){12}$ backtracks exponentially on an address with many a's (see the invitation emails).
        fields.put("emailPattern", validOr(Arbitraries.of("^fz-", "@partner\\.example$", "(.*a){12}$", "[", "(?<", "\\", "(a|b",
                "(".repeat(5000) + ")".repeat(5000))).map(NODES::textNode));
        fields.put("emailPatternMode", validOr(Arbitraries.of("warn", "enforce")).map(NODES::textNode));
        fields.put("invitesPerDay", ints(1, 500));
        fields.put("defaultStakeholders", listOf(validOr(Arbitraries.of("fz-stakeholder@acme.example"))));
        fields.put("loginUrl", validOr(texts().map(t -> "https://login.example/" + t)).map(NODES::textNode));
        fields.put("loginMethod", validOr(Arbitraries.of("password", "google", "sso")).map(NODES::textNode));
        fields.put("supportContact", texts().map(NODES::textNode));
        fields.put("welcomeLinks", Combinators.combine(texts(), validOr(texts().map(t -> "https://example.com/" + t)))
                .as((title, url) -> (JsonNode) NODES.arrayNode().add(NODES.objectNode().put("title", title).put("url", url))));
        fields.put("auditRetentionDays", ints(1, 3650));
        fields.put("roleTemplates", Combinators.combine(texts(), validOr(Arbitraries.of("member", "admin")),
                        validOr(Arbitraries.of("manager", "analyst", "viewer")))
                .as((name, orgRole, projectRole) -> (JsonNode) NODES.objectNode()
                        .set(name, NODES.objectNode().put("orgRole", orgRole).put("projectRole", projectRole))));
        return someOf(fields);
    }

    /** An object holding some of these fields (each one in three). */
    private static Arbitrary<ObjectNode> someOf(Map<String, Arbitrary<JsonNode>> fields) {
        List<Arbitrary<Map.Entry<String, JsonNode>>> parts = new ArrayList<>();
        new java.util.TreeMap<>(fields).forEach((name, value) -> parts.add(Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((Map.Entry<String, JsonNode>) null)),
                Tuple.of(1, value.map(v -> Map.entry(name, v))))));
        return Combinators.combine(parts).as(entries -> {
            ObjectNode object = NODES.objectNode();
            entries.stream().filter(e -> e != null).forEach(e -> object.set(e.getKey(), e.getValue()));
            return object;
        });
    }

    private static Arbitrary<JsonNode> ints(int min, int max) {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(min, max).map(NODES::numberNode)),
                Tuple.of(1, FuzzInputs.values()));
    }

    private static Arbitrary<JsonNode> bools() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(false, true).map(NODES::booleanNode)),
                Tuple.of(1, FuzzInputs.values()));
    }

    private static Arbitrary<JsonNode> listOf(Arbitrary<String> items) {
        return items.list().ofMaxSize(3).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return (JsonNode) array;
        });
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void readOrgAndProjects(@ForAll("orgIdsOfF") String orgId, @ForAll("listQueries") List<Param> query, @ForAll boolean list) {
        FuzzTarget t = target();
        String path = "/orgs/" + FuzzInputs.encode(orgId);
        t.fuzz(list ? Request.of("GET /orgs/{orgId}/projects", "GET", path + "/projects", FuzzInputs.queryString(query), null, t.admin)
                : Request.of("GET /orgs/{orgId}", "GET", path, FuzzInputs.queryString(query), null, t.admin), false);
    }

    @Provide
    Arbitrary<String> orgIdsOfF() {
        return FuzzInputs.pathIds("org", () -> target().orgF);
    }

    @Provide
    Arbitrary<List<Param>> listQueries() {
        return FuzzInputs.queries(Map.of("limit", Arbitraries.of("1", "50", "100", "0", "101", "-1", "1.5", "1e3", "99999999999"),
                "cursor", cursors()));
    }

    private static Arbitrary<String> cursors() {
        return Arbitraries.of("eyJwayI6Ik9SRyNvdGhlciJ9", "e30", "bm90IGpzb24", "!!!", "eyJwayI6eyJTIjoieCJ9fQ",
                "eyJwayI6Ik9SRyNvcmdfMDFaWloiLCJzayI6IlBST0pFQ1QjeCJ9", "x".repeat(5000));
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void patchOrgSettings(@ForAll("orgPatches") Body body, @ForAll("ifMatchValues") String ifMatch) {
        FuzzTarget t = target();
        Request request = Request.of("PATCH /orgs/{orgId}", "PATCH", "/orgs/" + t.orgG, "", body.text(), t.admin);
        Response response = t.fuzz(ifMatch == null ? request : request.withHeaders("If-Match", ifMatch), false);
        refusedUnlessOneObject(body, response);
        if (response.status() == 200) {
            // The settings just stored reach the emails of the next invitation of this org.
            t.fuzz(Request.of("POST /orgs/{orgId}/invitations", "POST", "/orgs/" + t.orgG + "/invitations", "",
                    validInvite("fz-settings-" + System.nanoTime() + "@partner.example", t.projectG2).toString(), t.admin), true);
        }
    }

    @Provide
    Arbitrary<Body> orgPatches() {
        return FuzzInputs.bodies(Combinators.combine(Arbitraries.of(false, true), validOr(Arbitraries.of("Fuzz settings <b>fz-bold</b>")),
                settings()).as((withName, name, settings) -> {
                    ObjectNode body = NODES.objectNode();
                    if (withName) {
                        body.put("name", name);
                    }
                    body.set("settings", settings);
                    return body;
                }));
    }

    @Provide
    Arbitrary<String> ifMatchValues() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("abc", "W/\"1\"", "\"99999999999999999999\"", "-1", "*", "1, 2", "\"\"", "0", " ",
                        "\u00E9")));
    }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void projects(@ForAll("projectBodies") Body body, @ForAll("projectTargets") String projectId, @ForAll boolean create,
                  @ForAll("ifMatchValues") String ifMatch) {
        FuzzTarget t = target();
        if (create) {
            refusedUnlessOneObject(body, t.fuzz(Request.of("POST /orgs/{orgId}/projects", "POST", "/orgs/" + t.orgG + "/projects", "",
                    body.text(), t.admin), false));
            return;
        }
        Request request = Request.of("PATCH /orgs/{orgId}/projects/{projectId}", "PATCH",
                "/orgs/" + t.orgG + "/projects/" + FuzzInputs.encode(projectId), "", body.text(), t.admin);
        refusedUnlessOneObject(body, t.fuzz(ifMatch == null ? request : request.withHeaders("If-Match", ifMatch), false));
    }

    @Provide
    Arbitrary<Body> projectBodies() {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        fields.put("name", validOr(Arbitraries.of("Fuzz project")).map(NODES::textNode));
        fields.put("environment", validOr(Arbitraries.of("production", "staging", "development")).map(NODES::textNode));
        fields.put("platform", validOr(Arbitraries.of("web", "ios", "android", "server")).map(NODES::textNode));
        fields.put("archived", Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(NODES.booleanNode(false))),
                Tuple.of(1, Arbitraries.just(NODES.booleanNode(true))), Tuple.of(1, FuzzInputs.values())));
        fields.put("settings", someOf(Map.of(
                "identityHashing", validOr(Arbitraries.of("none", "hmac-sha256")).map(NODES::textNode),
                "keylessIdentify", bools())).map(o -> (JsonNode) o));
        return FuzzInputs.bodies(someOf(fields));
    }

    @Provide
    Arbitrary<String> projectTargets() {
        return FuzzInputs.pathIds("prj", () -> target().projectG1);
    }

    @Property(tries = 80, shrinking = ShrinkingMode.OFF)
    void apiKeys(@ForAll("keyBodies") Body body, @ForAll("keyIds") String keyId, @ForAll boolean create) {
        FuzzTarget t = target();
        String keys = "/orgs/" + t.orgF + "/projects/" + t.projectF2 + "/api-keys";
        if (create) {
            refusedUnlessOneObject(body, t.fuzz(Request.of("POST /orgs/{orgId}/projects/{projectId}/api-keys", "POST", keys, "",
                    body.text(), t.admin), false));
        } else {
            t.fuzz(Request.of("DELETE /orgs/{orgId}/projects/{projectId}/api-keys/{keyId}", "DELETE",
                    keys + "/" + FuzzInputs.encode(keyId), "", null, t.admin), false);
        }
    }

    @Provide
    Arbitrary<Body> keyBodies() {
        return FuzzInputs.bodies(validOr(Arbitraries.of("server key")).map(name -> NODES.objectNode().put("name", name)));
    }

    @Provide
    Arbitrary<String> keyIds() {
        return FuzzInputs.pathIds("key", () -> target().victimKeyId);
    }

    // ------------------------------------------------------------------ invitations

    /** A valid invitation of a new address as a viewer of one project, with HTML in its note. */
    static ObjectNode validInvite(String email, String projectId) {
        ObjectNode body = NODES.objectNode().put("email", email).put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", projectId).put("role", "viewer");
        body.putObject("note").put("engagement", "<script>alert('fz-script')</script>").put("reference", "<b>fz-bold</b>");
        return body;
    }

    /** Invitation bodies: valid ones with hostile text in every text field, then mutated. */
    private static Arbitrary<ObjectNode> invitations(Supplier<String> projectId) {
        Arbitrary<String> emails = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().withCharRange('a', 'z').ofLength(12).map(s -> "fz-" + s + "@partner.example")),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(12).map(s -> "fz-" + s + "@acme.example")),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(8).map(s -> "fz-" + s + "a".repeat(40) + "@partner.example")),
                Tuple.of(3, Arbitraries.oneOf(texts(), Arbitraries.of("a@b.c\r\nBcc: x@evil.example", "\u212Aate@partner.example",
                        "x@" + "a".repeat(250) + ".example", "a".repeat(65) + "@partner.example", "\"quoted\"@partner.example",
                        "Name <x@partner.example>", "x@partner.example\u0000", "x@xn--80ak6aa92e.example", "x@[127.0.0.1]",
                        "x@partner.example.", "x..y@partner.example", "@partner.example", "x@", "x@@partner.example"))));
        Map<String, Arbitrary<JsonNode>> optional = new LinkedHashMap<>();
        optional.put("accessEndsAt", validOr(Arbitraries.integers().between(-5, 4000).map(days ->
                target().now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS).toString())).map(NODES::textNode));
        optional.put("expiresInDays", ints(1, 30));
        optional.put("stakeholders", listOf(validOr(Arbitraries.of("fz-stakeholder@acme.example", "fz-other@partner.example"))));
        optional.put("replaceExisting", bools());
        return Combinators.combine(emails, Arbitraries.of("member", "member", "admin"), validOr(Arbitraries.of("viewer", "analyst", "manager")),
                        Arbitraries.of(0, 1, 1, 1, 2), texts(), texts(), texts(), someOf(optional))
                .as((email, orgRole, role, projects, engagement, reference, justification, extra) -> {
                    ObjectNode body = NODES.objectNode().put("email", email).put("orgRole", orgRole);
                    ArrayNode list = body.putArray("projects");
                    for (int i = 0; i < projects; i++) {
                        list.addObject().put("projectId", projectId.get()).put("role", role);
                    }
                    body.putObject("note").put("engagement", engagement).put("reference", reference).put("justification", justification);
                    body.setAll(extra);
                    return body;
                });
    }

    /** Which org an invitation goes to: F (HTML everywhere), G (settings under fuzz) or H (an HTML inviter). */
    enum InviteOrg { F, G, H }

    private static String orgOf(InviteOrg org) {
        FuzzTarget t = target();
        return switch (org) {
            case F -> t.orgF;
            case G -> t.orgG;
            case H -> t.orgH;
        };
    }

    private static String projectOf(InviteOrg org) {
        FuzzTarget t = target();
        return switch (org) {
            case F -> t.projectF1;
            case G -> t.projectG2;
            case H -> t.projectH;
        };
    }

    private static String[] callerOf(InviteOrg org) {
        return org == InviteOrg.H ? target().htmlAdmin : target().admin;
    }

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void invite(@ForAll InviteOrg org, @ForAll("inviteBodiesF") Body bodyF, @ForAll("inviteBodiesG") Body bodyG,
                @ForAll("inviteBodiesH") Body bodyH, @ForAll("idempotencyKeys") String key) {
        FuzzTarget t = target();
        Body body = switch (org) {
            case F -> bodyF;
            case G -> bodyG;
            case H -> bodyH;
        };
        Request request = Request.of("POST /orgs/{orgId}/invitations", "POST", "/orgs/" + orgOf(org) + "/invitations", "",
                body.text(), callerOf(org));
        Response response = t.fuzz(key == null ? request : request.withHeaders("Idempotency-Key", key), true);
        refusedUnlessOneObject(body, response);
        if (response.status() == 201) {
            t.madeInvitations.add(new String[] {orgOf(org), response.json().get("id").asText()});
        }
    }

    @Provide
    Arbitrary<Body> inviteBodiesF() {
        return FuzzInputs.bodies(invitations(() -> target().projectF1));
    }

    @Provide
    Arbitrary<Body> inviteBodiesG() {
        return FuzzInputs.bodies(invitations(() -> target().projectG2));
    }

    @Provide
    Arbitrary<Body> inviteBodiesH() {
        return FuzzInputs.bodies(invitations(() -> target().projectH));
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void inviteBatch(@ForAll InviteOrg org, @ForAll("batches") Body body) {
        FuzzTarget t = target();
        String json = body.text().replace("$PROJECT", projectOf(org));
        refusedUnlessOneObject(body, t.fuzz(Request.of("POST /orgs/{orgId}/invitations/batch", "POST",
                "/orgs/" + orgOf(org) + "/invitations/batch", "", json, callerOf(org)), true));
    }

    @Provide
    Arbitrary<Body> batches() {
        Arbitrary<ObjectNode> items = Arbitraries.frequencyOf(
                Tuple.of(3, invitations(() -> "$PROJECT")),
                Tuple.of(1, FuzzInputs.bodies(invitations(() -> "$PROJECT")).map(b -> {
                    try {
                        JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(b.text());
                        return node instanceof ObjectNode object ? object : NODES.objectNode().set("x", node);
                    } catch (Exception e) {
                        return NODES.objectNode().put("broken", b.text());
                    }
                })));
        return FuzzInputs.bodies(items.list().ofMinSize(0).ofMaxSize(12).map(list -> {
            ObjectNode body = NODES.objectNode();
            ArrayNode array = body.putArray("invitations");
            list.forEach(array::add);
            return body;
        }));
    }

    @Property(tries = 80, shrinking = ShrinkingMode.OFF)
    void readInvitations(@ForAll("invitationIds") String invitationId, @ForAll("invitationListQueries") List<Param> query,
                         @ForAll boolean list) {
        FuzzTarget t = target();
        String path = "/orgs/" + t.orgF + "/invitations";
        t.fuzz(list ? Request.of("GET /orgs/{orgId}/invitations", "GET", path, FuzzInputs.queryString(query), null, t.admin)
                : Request.of("GET /orgs/{orgId}/invitations/{invitationId}", "GET", path + "/" + FuzzInputs.encode(invitationId),
                FuzzInputs.queryString(query), null, t.admin), false);
    }

    @Provide
    Arbitrary<List<Param>> invitationListQueries() {
        return FuzzInputs.queries(Map.of("status", Arbitraries.of("pending", "accepted", "expired", "revoked", "all", "PENDING"),
                "limit", Arbitraries.of("1", "100", "0", "101"), "cursor", cursors()));
    }

    @Provide
    Arbitrary<String> invitationIds() {
        return FuzzInputs.pathIds("inv", () -> {
            List<String[]> made = target().madeInvitations;
            return made.isEmpty() ? target().pendingInvitation : made.get(made.size() - 1)[1];
        });
    }

    @Property(tries = 80, shrinking = ShrinkingMode.OFF)
    void resendAndRevoke(@ForAll("resendTargets") String invitationId, @ForAll boolean revoke, @ForAll("orgBodies") Body ignoredBody) {
        FuzzTarget t = target();
        String path = "/orgs/" + t.orgF + "/invitations/" + FuzzInputs.encode(invitationId);
        if (revoke) {
            t.fuzz(Request.of("DELETE /orgs/{orgId}/invitations/{invitationId}", "DELETE", path, "", null, t.admin), false);
        } else {
            // Resend takes no body: one sent anyway must not matter.
            t.fuzz(Request.of("POST /orgs/{orgId}/invitations/{invitationId}/resend", "POST", path + "/resend", "",
                    ignoredBody.text(), t.admin), true);
        }
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void correctAddress(@ForAll("resendTargets") String invitationId, @ForAll("corrections") Body body,
                        @ForAll("ifMatchModes") String ifMatch) {
        FuzzTarget t = target();
        String path = "/orgs/" + t.orgF + "/invitations/" + FuzzInputs.encode(invitationId);
        String version = "current".equals(ifMatch) ? t.invitationVersion(t.orgF, invitationId) : ifMatch;
        Request request = Request.of("PATCH /orgs/{orgId}/invitations/{invitationId}", "PATCH", path, "", body.text(), t.admin);
        refusedUnlessOneObject(body, t.fuzz(version == null ? request : request.withHeaders("If-Match", version), false));
    }

    @Provide
    Arbitrary<Body> corrections() {
        Arbitrary<String> emails = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z').ofLength(12).map(s -> "fz-fix-" + s + "@partner.example")),
                Tuple.of(2, Arbitraries.of("a@b.c\r\nBcc: x@evil.example", "x@partner.example\u0000", "x@", "@partner.example",
                        "x@" + "a".repeat(250) + ".example", "fz-admin@acme.example")),
                Tuple.of(1, texts()));
        return FuzzInputs.bodies(Combinators.combine(validOr(emails), validOr(texts())).as((email, justification) -> {
            ObjectNode body = NODES.objectNode();
            body.put("email", email);
            body.put("justification", justification);
            return body;
        }));
    }

    // ------------------------------------------------------------------ invitation requests

    @Property(tries = 80, shrinking = ShrinkingMode.OFF)
    void invitationRequests(@ForAll("requestBodies") Body body, @ForAll("requestActions") String action,
                            @ForAll("requestIds") String requestId) {
        FuzzTarget t = target();
        String base = "/orgs/" + t.orgF + "/invitation-requests";
        String one = base + "/" + FuzzInputs.encode(requestId);
        Response response = switch (action) {
            case "file" -> t.fuzz(Request.of("POST /orgs/{orgId}/invitation-requests", "POST", base, "", body.text(), t.requester), true);
            case "list" -> t.fuzz(Request.of("GET /orgs/{orgId}/invitation-requests", "GET", base,
                    "status=" + List.of("pending", "approved", "expired", "", "PENDING", "all", "%00", "pending%2Cdenied")
                            .get(Math.floorMod(body.text().hashCode(), 8)), null, t.admin), false);
            case "get" -> t.fuzz(Request.of("GET /orgs/{orgId}/invitation-requests/{requestId}", "GET", one, "", null, t.requester), false);
            // An approval's fields are optional: often no body at all.
            case "approve" -> t.fuzz(Request.of("POST /orgs/{orgId}/invitation-requests/{requestId}/approve", "POST", one + "/approve", "",
                    body.text().length() % 2 == 0 ? null : body.text(), t.admin), true);
            default -> t.fuzz(Request.of("POST /orgs/{orgId}/invitation-requests/{requestId}/deny", "POST", one + "/deny", "",
                    body.text(), t.admin), true);
        };
        if ("file".equals(action) && response.status() == 201) {
            t.madeRequests.add(response.json().get("id").asText());
        }
    }

    // ------------------------------------------------------------------ access reviews

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void reviews(@ForAll("decisionBodies") Body body, @ForAll("reviewActions") String action, @ForAll("reviewIds") String reviewId,
                 @ForAll("acceptHeaders") String accept) {
        FuzzTarget t = target();
        String base = "/orgs/" + t.orgF + "/reviews";
        String one = base + "/" + FuzzInputs.encode(reviewId);
        switch (action) {
            case "open" -> t.fuzz(Request.of("POST /orgs/{orgId}/reviews", "POST", base, "", body.text(), t.admin), false);
            case "list" -> t.fuzz(Request.of("GET /orgs/{orgId}/reviews", "GET", base, "limit=" + (body.text().length() % 120), null,
                    t.admin), false);
            case "get" -> t.fuzz(Request.of("GET /orgs/{orgId}/reviews/{reviewId}", "GET", one, "", null, t.admin), false);
            case "evidence" -> {
                Request request = Request.of("GET /orgs/{orgId}/reviews/{reviewId}/evidence", "GET", one + "/evidence", "", null, t.admin);
                t.fuzz(accept == null ? request : request.withHeaders("Accept", accept), false);
            }
            default -> t.fuzz(Request.of("POST /orgs/{orgId}/reviews/{reviewId}/items/{memberId}", "POST",
                    one + "/items/" + FuzzInputs.encode(t.reviewee), "", body.text(), t.admin), false);
        }
    }

    @Provide
    Arbitrary<Body> decisionBodies() {
        Arbitrary<ObjectNode> valid = Arbitraries.of("keep", "change", "remove").map(decision -> {
            ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("decision", decision).put("note", "<script>alert('fz-script')</script> reviewed");
            if (decision.equals("change")) {
                body.putObject("change").put("accessEndsAt", "2099-01-01T00:00:00Z");
            }
            return body;
        });
        return FuzzInputs.bodies(valid);
    }

    @Provide
    Arbitrary<String> reviewActions() {
        return Arbitraries.of("open", "list", "get", "evidence", "decide", "decide");
    }

    @Provide
    Arbitrary<String> reviewIds() {
        return FuzzInputs.pathIds("rev", () -> target().review);
    }

    @Provide
    Arbitrary<Body> requestBodies() {
        return FuzzInputs.bodies(invitations(() -> target().projectF1).map(invitation -> {
            ObjectNode asked = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("reason", "<img src=x onerror=alert('fz-img')> reason");
            asked.set("invitation", invitation);
            return asked;
        }));
    }

    @Provide
    Arbitrary<String> requestActions() {
        return Arbitraries.of("file", "file", "list", "get", "approve", "deny");
    }

    @Provide
    Arbitrary<String> requestIds() {
        return FuzzInputs.pathIds("req", () -> {
            List<String> made = target().madeRequests;
            return made.get(made.size() - 1);
        });
    }

    @Provide
    Arbitrary<String> resendTargets() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("").map(x -> target().pendingInvitation)),
                Tuple.of(1, Arbitraries.just("").map(x -> target().revokeInvitation)),
                Tuple.of(3, Arbitraries.integers().between(0, 1000).map(i -> {
                    List<String[]> made = target().madeInvitations.stream().filter(m -> m[0].equals(target().orgF)).toList();
                    return made.isEmpty() ? target().pendingInvitation : made.get(i % made.size())[1];
                })),
                Tuple.of(2, FuzzInputs.pathIds("inv", () -> target().pendingInvitation)));
    }

    // ------------------------------------------------------------------ accept

    @Property(tries = 80, shrinking = ShrinkingMode.OFF)
    void acceptPage(@ForAll("tokenQueries") List<Param> query) {
        FuzzTarget t = target();
        t.fuzz(Request.of("GET /invitations/accept", "GET", "/invitations/accept", FuzzInputs.queryString(query), null), false);
    }

    @Provide
    Arbitrary<List<Param>> tokenQueries() {
        return FuzzInputs.queries(Map.of("token", tokens()));
    }

    private static Arbitrary<String> tokens() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("").map(x -> target().previewToken)),
                Tuple.of(1, Arbitraries.just("").map(x -> " " + target().previewToken + "\u200B")),
                Tuple.of(1, Arbitraries.of("A".repeat(43), "A".repeat(44), "x".repeat(5000), "=", "../")));
    }

    /** How an accept is sent. */
    enum AcceptForm { JSON, FORM, QUERY_ONLY, FORM_AND_JSON_TYPE_MISMATCH }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void accept(@ForAll AcceptForm form, @ForAll("acceptTokens") String token, @ForAll boolean fresh,
                @ForAll("tokenQueries") List<Param> query, @ForAll("acceptBodies") Body body) {
        FuzzTarget t = target();
        String realToken = token;
        if (fresh) {
            // A real token of a new invitation: accepting sends the welcome and accepted emails.
            // Not G: its settings are under fuzz and may refuse any invitation.
            InviteOrg org = token.hashCode() % 2 == 0 ? InviteOrg.F : InviteOrg.H;
            realToken = t.invite(orgOf(org), projectOf(org), "fz-accept-" + System.nanoTime() + "@partner.example", callerOf(org))[1];
        }
        Request request = switch (form) {
            case JSON -> Request.of("POST /invitations/accept", "POST", "/invitations/accept", FuzzInputs.queryString(query),
                    fresh ? NODES.objectNode().put("token", realToken).toString() : body.text().replace("$TOKEN", realToken));
            case FORM -> Request.of("POST /invitations/accept", "POST", "/invitations/accept", FuzzInputs.queryString(query),
                    "token=" + FuzzInputs.encode(realToken) + (fresh ? "" : "&token=" + FuzzInputs.encode(token)),
                    "Content-Type", "application/x-www-form-urlencoded");
            case QUERY_ONLY -> Request.of("POST /invitations/accept", "POST", "/invitations/accept",
                    "token=" + FuzzInputs.encode(realToken), null);
            case FORM_AND_JSON_TYPE_MISMATCH -> Request.of("POST /invitations/accept", "POST", "/invitations/accept", "",
                    NODES.objectNode().put("token", realToken).toString(), "Content-Type", "application/x-www-form-urlencoded");
        };
        Response response = t.fuzz(request, true);
        if (form == AcceptForm.JSON && !fresh) {
            refusedUnlessOneObject(body, response);
        }
    }

    @Provide
    Arbitrary<String> acceptTokens() {
        return Arbitraries.oneOf(FuzzInputs.urlTexts(), tokens(), Arbitraries.of("%zz", "token=%", "%E0%A4%A"));
    }

    @Provide
    Arbitrary<Body> acceptBodies() {
        return FuzzInputs.bodies(Arbitraries.just("").map(x -> NODES.objectNode().put("token", "$TOKEN")));
    }

    // ------------------------------------------------------------------ check-in links

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void checkinPage(@ForAll("checkinQueries") List<Param> query) {
        target().fuzz(Request.of("GET /checkins/answer", "GET", "/checkins/answer", FuzzInputs.queryString(query), null), false);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void checkinAnswer(@ForAll AcceptForm form, @ForAll("checkinTokens") String token, @ForAll("checkinQueries") List<Param> query,
                       @ForAll("acceptBodies") Body body) {
        Request request = switch (form) {
            case JSON -> Request.of("POST /checkins/answer", "POST", "/checkins/answer", FuzzInputs.queryString(query),
                    body.text().replace("$TOKEN", token));
            case FORM -> Request.of("POST /checkins/answer", "POST", "/checkins/answer", FuzzInputs.queryString(query),
                    "token=" + FuzzInputs.encode(token), "Content-Type", "application/x-www-form-urlencoded");
            case QUERY_ONLY -> Request.of("POST /checkins/answer", "POST", "/checkins/answer", "token=" + FuzzInputs.encode(token), null);
            case FORM_AND_JSON_TYPE_MISMATCH -> Request.of("POST /checkins/answer", "POST", "/checkins/answer", "",
                    NODES.objectNode().put("token", token).toString(), "Content-Type", "application/x-www-form-urlencoded");
        };
        Response response = target().fuzz(request, false);
        if (form == AcceptForm.JSON) {
            refusedUnlessOneObject(body, response);
        }
    }

    @Provide
    Arbitrary<List<Param>> checkinQueries() {
        return FuzzInputs.queries(Map.of("token", checkinTokens()));
    }

    @Provide
    Arbitrary<String> checkinTokens() {
        return Arbitraries.oneOf(FuzzInputs.urlTexts(), Arbitraries.of("A".repeat(43), "A".repeat(44), "x".repeat(5000), "=", "../",
                "%zz", "token=%"));
    }

    // ------------------------------------------------------------------ members, me, audit

    /** What a members input does. */
    enum MemberAction { LIST, DUPLICATES, GET, PATCH, DELETE }

    @Property(tries = 160, shrinking = ShrinkingMode.OFF)
    void members(@ForAll MemberAction action, @ForAll("memberListQueries") List<Param> listQuery,
                 @ForAll("memberIds") String memberId, @ForAll("memberPatches") Body patch, @ForAll("ifMatchModes") String ifMatch,
                 @ForAll("reasons") List<Param> reason) {
        FuzzTarget t = target();
        String members = "/orgs/" + t.orgF + "/members";
        String one = members + "/" + FuzzInputs.encode(memberId);
        switch (action) {
            case LIST -> t.fuzz(Request.of("GET /orgs/{orgId}/members", "GET", members, FuzzInputs.queryString(listQuery), null, t.admin), false);
            case DUPLICATES -> t.fuzz(Request.of("GET /orgs/{orgId}/members/duplicates", "GET", members + "/duplicates",
                    FuzzInputs.queryString(listQuery), null, t.admin), false);
            case GET -> t.fuzz(Request.of("GET /orgs/{orgId}/members/{memberId}", "GET", one, "", null, t.admin), false);
            case PATCH -> {
                String version = "current".equals(ifMatch) ? t.memberVersion(t.orgF, memberId) : ifMatch;
                Request request = Request.of("PATCH /orgs/{orgId}/members/{memberId}", "PATCH", one, "",
                        patch.text().replace("$PROJECT", t.projectF1), t.admin);
                refusedUnlessOneObject(patch, t.fuzz(version == null ? request : request.withHeaders("If-Match", version), false));
            }
            case DELETE -> {
                // Never the fixture's own member M or its admin: the removed member, unknown and hostile ids.
                String target = memberId.equals(t.memberM) ? t.removedMemberR : memberId;
                t.fuzz(Request.of("DELETE /orgs/{orgId}/members/{memberId}", "DELETE", members + "/" + FuzzInputs.encode(target),
                        FuzzInputs.queryString(reason), null, t.admin), false);
            }
        }
    }

    @Provide
    Arbitrary<List<Param>> memberListQueries() {
        return FuzzInputs.queries(Map.of(
                "projectId", Arbitraries.just("").map(x -> target().projectF1),
                "role", Arbitraries.of("admin", "member", "manager", "analyst", "viewer", "owner"),
                "expiringBefore", Arbitraries.of("2030-01-01T00:00:00Z", "2030-01-01", "1969-12-31T23:59:59Z",
                        "+100000-01-01T00:00:00Z", "0", "now"),
                "limit", Arbitraries.of("1", "100", "0", "101"),
                "cursor", cursors()));
    }

    @Provide
    Arbitrary<String> memberIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just("").map(x -> target().memberM)),
                Tuple.of(1, Arbitraries.just("").map(x -> target().removedMemberR)),
                Tuple.of(2, FuzzInputs.pathIds("mem", () -> target().memberM)));
    }

    @Provide
    Arbitrary<String> ifMatchModes() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("current")), Tuple.of(2, ifMatchValues()));
    }

    @Provide
    Arbitrary<Body> memberPatches() {
        Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
        fields.put("orgRole", validOr(Arbitraries.of("member")).map(NODES::textNode));
        fields.put("projects", Combinators.combine(validOr(Arbitraries.of("$PROJECT")), validOr(Arbitraries.of("viewer", "analyst", "manager")))
                .as((project, role) -> (JsonNode) NODES.objectNode().put(project, role)));
        fields.put("accessEndsAt", Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 300).map(days ->
                        NODES.textNode(target().now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS).toString()))),
                Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                Tuple.of(2, FuzzInputs.values())));
        fields.put("stakeholders", listOf(validOr(Arbitraries.of("fz-stakeholder@acme.example"))));
        return FuzzInputs.bodies(Combinators.combine(texts(), someOf(fields)).as((justification, rest) -> {
            ObjectNode body = NODES.objectNode().put("justification", justification);
            body.setAll(rest);
            return body;
        }));
    }

    @Provide
    Arbitrary<List<Param>> reasons() {
        return FuzzInputs.queries(Map.of("reason", Arbitraries.of("contract ended", "x".repeat(501))));
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void me(@ForAll("listQueries") List<Param> query) {
        FuzzTarget t = target();
        t.fuzz(Request.of("GET /me", "GET", "/me", FuzzInputs.queryString(query), null, t.admin), false);
    }

    /** Public: any query and any Authorization header (a JWT, an API key, junk or none) get the one answer. */
    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void consoleConfig(@ForAll("listQueries") List<Param> query, @ForAll("apiKeys") String key, @ForAll boolean signedIn) {
        FuzzTarget t = target();
        Request request = Request.of("GET /console-config", "GET", "/console-config", FuzzInputs.queryString(query), null,
                signedIn ? t.admin : new String[0]);
        Response response = t.fuzz(key == null || signedIn ? request : request.withHeaders("Authorization", key.replace("$KEY", t.apiKey)), false);
        // Whatever reached the function (the gateway may still refuse a request line or throttle) is the one answer.
        if (response.header("x-request-id") != null) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"signIn\":{\"type\":\"local\"}}");
        }
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void audit(@ForAll("auditQueries") List<Param> query, @ForAll("acceptHeaders") String accept) {
        FuzzTarget t = target();
        Request request = Request.of("GET /orgs/{orgId}/audit", "GET", "/orgs/" + t.orgF + "/audit", FuzzInputs.queryString(query), null, t.admin);
        Response response = t.fuzz(accept == null ? request : request.withHeaders("Accept", accept), false);
        if (response.status() == 200 && accept != null && accept.toLowerCase().contains("text/csv")) {
            assertThat(response.header("content-type")).startsWith("text/csv");
        }
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void auditVerify(@ForAll("verifyQueries") List<Param> query) {
        FuzzTarget t = target();
        Response response = t.fuzz(Request.of("GET /orgs/{orgId}/audit/verify", "GET", "/orgs/" + t.orgF + "/audit/verify",
                FuzzInputs.queryString(query), null, t.admin), false);
        if (response.status() == 200) {
            assertThat(response.body()).contains("\"holds\":true");
        }
    }

    @Provide
    Arbitrary<List<Param>> verifyQueries() {
        Arbitrary<String> times = Arbitraries.of("2026-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z", "+100000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "now", "9999-12-31T23:59:59Z", "");
        return FuzzInputs.queries(Map.of("since", times, "until", times));
    }

    @Provide
    Arbitrary<List<Param>> auditQueries() {
        Arbitrary<String> times = Arbitraries.of("2026-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z", "+100000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01", "1700000000", "now",
                "2026-01-01T00:00:00.123456789Z", "2026-01-01T00:00:00+02:00", "9999-12-31T23:59:59Z");
        return FuzzInputs.queries(Map.of("since", times, "until", times,
                "action", Arbitraries.of("invitation.created", "member.removed", "org.created", "x"),
                "targetId", Arbitraries.just("").map(x -> target().memberM),
                "limit", Arbitraries.of("1", "100", "0", "101"),
                "cursor", cursors()));
    }

    @Provide
    Arbitrary<String> acceptHeaders() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of("text/csv", "TEXT/CSV; charset=utf-8", "application/json, text/csv;q=0.5")),
                Tuple.of(1, Arbitraries.of("*/*", "text/html", "", "x".repeat(2000))));
    }

    // ------------------------------------------------------------------ identify API

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void identify(@ForAll boolean properties, @ForAll("identifyBodies") Body identify, @ForAll("propertyBodies") Body props,
                  @ForAll("apiKeys") String key) {
        FuzzTarget t = target();
        Request request = properties
                ? Request.of("POST /api/add_user_properties", "POST", "/api/add_user_properties", "", props.text().replace("$APP", t.projectF1))
                : Request.of("POST /api/v1/identify", "POST", "/api/v1/identify", "", identify.text().replace("$APP", t.projectF1));
        refusedUnlessOneObject(properties ? props : identify,
                t.fuzz(key == null ? request : request.withHeaders("Authorization", key.replace("$KEY", t.apiKey)), false));
    }

    @Provide
    Arbitrary<String> apiKeys() {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("Bearer $KEY")),
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("", "Bearer ", "Bearer tnr_x", "bearer $KEY", "Basic $KEY", "Bearer  $KEY ",
                        "Bearer $KEY$KEY", "Bearer " + "x".repeat(3000), "$KEY")));
    }

    private static Arbitrary<String> identities() {
        return validOr(Arbitraries.strings().alpha().numeric().withChars("@._-+").ofMinLength(1).ofMaxLength(40));
    }

    @Provide
    Arbitrary<Body> identifyBodies() {
        Arbitrary<JsonNode> userIds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, (1L << 53) - 1).map(NODES::numberNode)),
                Tuple.of(2, FuzzInputs.values()));
        Arbitrary<JsonNode> timestamps = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((JsonNode) null)),
                Tuple.of(1, Arbitraries.of("2026-01-01T00:00:00Z", "2026-01-01", "1700000000").map(NODES::textNode)),
                Tuple.of(1, FuzzInputs.values()));
        return FuzzInputs.bodies(Combinators.combine(validOr(Arbitraries.just("$APP")), identities(), userIds, timestamps)
                .as((app, identity, userId, timestamp) -> {
                    ObjectNode body = NODES.objectNode().put("app_id", app).put("identity", identity);
                    body.set("user_id", userId);
                    if (timestamp != null) {
                        body.set("timestamp", timestamp);
                    }
                    return body;
                }));
    }

    @Provide
    Arbitrary<Body> propertyBodies() {
        Arbitrary<JsonNode> values = Arbitraries.frequencyOf(
                Tuple.of(3, texts().map(NODES::textNode)),
                Tuple.of(2, Arbitraries.integers().map(NODES::numberNode)),
                Tuple.of(2, FuzzInputs.values()));
        Arbitrary<ObjectNode> properties = Combinators.combine(validOr(Arbitraries.of("plan", "Plan", "id", "USER_ID", "k".repeat(513))), values)
                .as((name, value) -> Map.entry(name, value)).list().ofMaxSize(5).map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(e -> object.set(e.getKey(), e.getValue()));
                    return object;
                });
        return FuzzInputs.bodies(Combinators.combine(validOr(Arbitraries.just("$APP")), identities(), properties)
                .as((app, identity, props) -> {
                    ObjectNode body = NODES.objectNode().put("app_id", app).put("identity", identity);
                    body.set("properties", props);
                    return body;
                }));
    }

    /** Which identify lookup. */
    enum Lookup { IDENTITY, USER, ERASE }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void identifyLookups(@ForAll Lookup lookup, @ForAll("lookupQueries") List<Param> query, @ForAll("apiKeys") String key) {
        FuzzTarget t = target();
        String q = FuzzInputs.queryString(query).replace("%24APP", t.projectF1);
        Request request = switch (lookup) {
            case IDENTITY -> Request.of("GET /api/v1/identity", "GET", "/api/v1/identity", q, null);
            case USER -> Request.of("GET /api/v1/users", "GET", "/api/v1/users", q, null);
            case ERASE -> Request.of("DELETE /api/v1/users", "DELETE", "/api/v1/users", q, null);
        };
        t.fuzz(key == null ? request : request.withHeaders("Authorization", key.replace("$KEY", t.apiKey)), false);
    }

    @Provide
    Arbitrary<List<Param>> lookupQueries() {
        return FuzzInputs.queries(Map.of("app_id", Arbitraries.just("$APP"),
                "user_id", Arbitraries.of("1", "9007199254740991", "9007199254740992", "-1", "1.0", "0x10", "1e3", " 1"),
                "identity", identities()));
    }

    // ------------------------------------------------------------------ huge bodies

    /**
     * Bodies from just under the function's 64 KiB limit to just under API Gateway's 10 MB one
     * (sizes in bytes as sent: an emoji is 4 bytes, a NUL written as JSON is 6).
     */
    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void hugeBodies(@ForAll("hugeSizes") int bytes, @ForAll("hugeUnits") String unit, @ForAll("bodyRoutes") String route) {
        FuzzTarget t = target();
        int bytesPerChar = switch (unit) {
            case "\uD83D\uDE00" -> 2;
            case "\u0000" -> 6;
            default -> 1;
        };
        String text = FuzzInputs.repeatTo(bytes / bytesPerChar, unit);
        String body = NODES.objectNode().put("name", text).put("email", "x@partner.example").toString();
        String[] parts = route.split(" ", 2);
        String path = parts[1].replace("{orgId}", t.orgG).replace("{projectId}", t.projectG1).replace("{memberId}", t.memberM);
        boolean jwt = !path.startsWith("/api") && !path.startsWith("/invitations");
        Request request = jwt ? Request.of(route, parts[0], path, "", body, t.admin)
                : Request.of(route, parts[0], path, "", body, "Authorization", "Bearer " + t.apiKey);
        Response response = t.fuzz(request, false);
        assertThat(response.status()).as(route + " with " + body.length() + " chars").isBetween(400, 499);
    }

    @Provide
    Arbitrary<Integer> hugeSizes() {
        return Arbitraries.of(65_400, 70_000, 1_000_000, 5_000_000, 9_900_000);
    }

    @Provide
    Arbitrary<String> hugeUnits() {
        return Arbitraries.of("x", "<b>fz-bold</b>", "\uD83D\uDE00", "\u0000");
    }

    @Provide
    Arbitrary<String> bodyRoutes() {
        return Arbitraries.of("POST /orgs", "PATCH /orgs/{orgId}", "POST /orgs/{orgId}/projects", "POST /orgs/{orgId}/invitations",
                "POST /orgs/{orgId}/invitations/batch", "PATCH /orgs/{orgId}/members/{memberId}", "POST /invitations/accept",
                "POST /api/v1/identify", "POST /api/add_user_properties");
    }
}
