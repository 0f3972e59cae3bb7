package io.tenure.identity;

import static io.tenure.TestJson.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.error.RateLimitedException;
import io.tenure.error.UnauthenticatedException;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Table;
import io.tenure.store.TestTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** IdentityService on DynamoDB Local. */
class IdentityServiceTest {
    private static final Caller ADMIN = new Caller("sub-a", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("r", null, null);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-24T09:00:00Z"));
    private final RequestCounter counter = new RequestCounter();
    private final Table table = TestTable.create();
    private final Table counted = TestTable.sameTable(table, TestTable.clientWith(counter));
    private final OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), new MemberAccess(table, clock),
            new AuditLog(), clock);
    private final ApiKeyService keys = new ApiKeyService(new ApiKeyStore(table), new OrgStore(table), new MemberAccess(table, clock), new AuditLog(), clock);
    private final IdentityService identities = new IdentityService(new IdentityStore(counted), new AuditLog(), clock);
    private final Organization org = orgs.create(ADMIN, json("{\"name\":\"Acme\"}"), ORIGIN);
    private final Project app = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"Web\"}"), ORIGIN);
    private final String key = keys.create(ADMIN, org.id(), app.id(), json("{\"name\":\"backend\"}"), ORIGIN).secret();

    @Test
    void identifyTakesTwoRequestsOnceTheAppIsKnownAndIsIdempotent() {
        identities.identify(key, body("ana", 1));
        counter.requests.set(0);
        identities.identify(key, body("ana", 2));
        System.out.println("DynamoDB requests for one identify (warm): " + counter.requests.get());
        assertThat(counter.requests.get()).isLessThanOrEqualTo(2);

        counter.requests.set(0);
        assertThat(identities.identify(key, body("ana", 2))).containsEntry("identity", "ana");
        assertThat(counter.requests.get()).isLessThanOrEqualTo(2);
        assertThatThrownBy(() -> identities.identify(key, body("bob", 2))).isInstanceOf(IdentityConflictException.class);
        assertThat(identities.identityOf(key, app.id(), "2")).containsEntry("identity", "ana");
        assertThat(identities.user(key, app.id(), "ana").get("userIds")).asString().isEqualTo("[1, 2]");
    }

    @Test
    void theEleventhNewUserIdIn30DaysAndThe31stCallIn30SecondsAreRefused() {
        for (int i = 1; i <= 10; i++) {
            identities.identify(key, body("many", i));
        }
        assertThatThrownBy(() -> identities.identify(key, body("many", 11))).isInstanceOf(RateLimitedException.class);
        clock.advance(Duration.ofDays(31));
        identities.identify(key, body("many", 11));

        clock.set(Instant.parse("2027-02-01T00:00:00Z"));
        for (int i = 0; i < 30; i++) {
            identities.identify(key, body("busy", 500));
        }
        assertThatThrownBy(() -> identities.identify(key, body("busy", 500)))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isBetween(1L, 30L));
        clock.advance(Duration.ofSeconds(30));
        identities.identify(key, body("busy", 500));
    }

    @Test
    void keysWorkOnlyForTheirOwnProjectAndNotAfterRevocationAndEveryRefusalIsTheSame401() {
        Project other = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"iOS\"}"), ORIGIN);
        ObjectNode onOther = body("ana", 1);
        onOther.put("app_id", other.id());
        ObjectNode onNoApp = body("ana", 1);
        onNoApp.put("app_id", "prj_01NOSUCHPROJECT");
        CreatedApiKey second = keys.create(ADMIN, org.id(), app.id(), json("{\"name\":\"temp\"}"), ORIGIN);
        identities.identify(second.secret(), body("ana", 1));
        keys.revoke(ADMIN, org.id(), app.id(), second.key().id(), ORIGIN);

        Map<String, Runnable> refusals = new java.util.LinkedHashMap<>();
        refusals.put("another project's key", () -> identities.identify(key, onOther));
        refusals.put("no key", () -> identities.identify(null, body("ana", 1)));
        refusals.put("a wrong key", () -> identities.identify("tnr_wrong", body("ana", 1)));
        refusals.put("a revoked key", () -> identities.identify(second.secret(), body("ana", 3)));
        refusals.put("an unknown app_id with a valid key", () -> identities.identify(key, onNoApp));
        refusals.put("an unknown app_id without a key", () -> identities.identify(null, onNoApp));
        refusals.put("a lookup on an unknown app_id", () -> identities.identityOf(key, "prj_01NOSUCHPROJECT", "1"));
        refusals.put("a lookup with another project's key", () -> identities.user(key, other.id(), "ana"));
        refusals.put("an erasure without a key", () -> identities.erase(null, app.id(), "ana", ORIGIN));
        refusals.forEach((what, call) -> assertThatThrownBy(call::run).as(what)
                .isInstanceOfSatisfying(UnauthenticatedException.class,
                        e -> assertThat(e.getMessage()).isEqualTo(IdentityService.NOT_AUTHENTICATED)));
    }

    @Test
    void badInputIsRefusedTheSameWhetherOrNotTheAppIdExists() {
        for (String appId : new String[] {app.id(), "prj_01NOSUCHPROJECT"}) {
            assertThatThrownBy(() -> identities.identityOf(null, appId, "not-a-number")).as(appId)
                    .isInstanceOfSatisfying(ValidationFailedException.class,
                            e -> assertThat(e.errors().get(0).pointer()).isEqualTo("/user_id"));
            assertThatThrownBy(() -> identities.user(null, appId, "null")).as(appId)
                    .isInstanceOfSatisfying(ValidationFailedException.class,
                            e -> assertThat(e.errors().get(0).pointer()).isEqualTo("/identity"));
        }
    }

    @Test
    void unknownAppIdsAreNeverCachedAndTheCacheKeepsItsBound() {
        IdentityService small = new IdentityService(new IdentityStore(counted), new AuditLog(), clock, 3);
        for (int i = 0; i < 50; i++) {
            ObjectNode made = body("ana", 1);
            made.put("app_id", "prj_made_up_" + i);
            assertThatThrownBy(() -> small.identify(key, made)).isInstanceOf(UnauthenticatedException.class);
        }
        assertThat(small.cachedApps()).as("made-up app_ids leave nothing behind").isZero();

        for (int i = 0; i < 6; i++) {
            Project project = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"P" + i + "\"}"), ORIGIN);
            String projectKey = keys.create(ADMIN, org.id(), project.id(), json("{\"name\":\"k\"}"), ORIGIN).secret();
            ObjectNode call = body("ana", 1);
            call.put("app_id", project.id());
            small.identify(projectKey, call);
            assertThat(small.cachedApps()).as("after %d projects", i + 1).isLessThanOrEqualTo(3);
        }
        assertThat(small.cachedApps()).isEqualTo(3);
    }

    @Test
    void anArchivedProjectsKeysAreRefusedAtOnceAndWorkAgainWhenUnarchived() {
        identities.identify(key, body("ana", 1)); // its settings are now cached
        orgs.updateProject(ADMIN, org.id(), app.id(), json("{\"archived\":true}"), null, ORIGIN);

        ObjectNode props = json("{\"app_id\":\"" + app.id() + "\",\"identity\":\"ana\",\"properties\":{\"plan\":\"pro\"}}");
        String archived = "This project is archived: its API keys are refused until an admin unarchives it.";
        for (Runnable call : new Runnable[] {
                () -> identities.identify(key, body("ana", 2)),
                () -> identities.addProperties(key, props),
                () -> identities.identityOf(key, app.id(), "1"),
                () -> identities.user(key, app.id(), "ana"),
                () -> identities.erase(key, app.id(), "ana", ORIGIN)}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ForbiddenException.class,
                    e -> assertThat(e.getMessage()).isEqualTo(archived));
        }
        assertThatThrownBy(() -> identities.identify("tnr_wrong", body("ana", 2)))
                .as("without a valid key nothing says the project is archived").isInstanceOf(UnauthenticatedException.class);

        orgs.updateProject(ADMIN, org.id(), app.id(), json("{\"archived\":false}"), null, ORIGIN);
        Map<String, Object> ana = identities.user(key, app.id(), "ana");
        assertThat(ana.get("properties")).as("nothing was written while archived").isEqualTo(Map.of());
        assertThat(ana.get("userIds")).as("nor erased").asString().isEqualTo("[1]");
        assertThat(identities.identify(key, body("ana", 2))).containsEntry("user_id", 2L);
    }

    @Test
    void keylessIdentifyStopsWhenTheProjectIsArchived() {
        orgs.updateProject(ADMIN, org.id(), app.id(), json("{\"settings\":{\"keylessIdentify\":true}}"), null, ORIGIN);
        assertThat(identities.identify(null, body("kay", 5))).containsEntry("identity", "kay");
        orgs.updateProject(ADMIN, org.id(), app.id(), json("{\"archived\":true}"), null, ORIGIN);
        assertThatThrownBy(() -> identities.identify(null, body("kay", 6))).isInstanceOfSatisfying(UnauthenticatedException.class,
                e -> assertThat(e.getMessage()).isEqualTo(IdentityService.NOT_AUTHENTICATED));
    }

    @Test
    void withHashingOnNoRawIdentityIsStoredAnywhere() {
        orgs.updateProject(ADMIN, org.id(), app.id(), json("{\"settings\":{\"identityHashing\":\"hmac-sha256\"}}"), null, ORIGIN);
        IdentityService fresh = new IdentityService(new IdentityStore(table), new AuditLog(), clock);
        Map<String, Object> result = fresh.identify(key, body("Secret.Person@example.com", 7));
        ObjectNode props = Json.object();
        props.put("app_id", app.id());
        props.put("identity", "Secret.Person@example.com");
        props.putObject("properties").put("plan", "pro");
        fresh.addProperties(key, props);

        assertThat((String) result.get("identity")).startsWith("h1:").hasSize(67);
        String everything = TestTable.client().scan(ScanRequest.builder().tableName(table.name()).build()).items().toString();
        assertThat(everything).doesNotContain("Secret.Person").contains((String) result.get("identity"));
        assertThat(fresh.user(key, app.id(), "Secret.Person@example.com").get("properties")).isEqualTo(Map.of("plan", "pro"));
    }

    @Test
    void erasureRemovesEverythingOfTheIdentity() {
        identities.identify(key, body("gone", 41));
        identities.identify(key, body("gone", 42));
        identities.erase(key, app.id(), "gone", ORIGIN);

        assertThatThrownBy(() -> identities.user(key, app.id(), "gone")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> identities.identityOf(key, app.id(), "41")).isInstanceOf(NotFoundException.class);
        String everything = TestTable.client().scan(ScanRequest.builder().tableName(table.name()).build()).items().toString();
        assertThat(everything).doesNotContain("gone");
    }

    @Test
    void propertiesFollowTheirLimits() {
        ObjectNode reserved = Json.object();
        reserved.put("app_id", app.id());
        reserved.put("identity", "p");
        reserved.putObject("properties").put("User_ID", 1);
        assertThatThrownBy(() -> identities.addProperties(key, reserved)).isInstanceOfSatisfying(ValidationFailedException.class,
                e -> assertThat(e.errors().get(0).pointer()).isEqualTo("/properties/User_ID"));
        ObjectNode tooMany = Json.object();
        tooMany.put("app_id", app.id());
        tooMany.put("identity", "p");
        ObjectNode map = tooMany.putObject("properties");
        for (int i = 0; i < 101; i++) {
            map.put("k" + i, i);
        }
        assertThatThrownBy(() -> identities.addProperties(key, tooMany)).isInstanceOf(ValidationFailedException.class);
    }

    @Test
    void numbersDynamoDbCannotStoreAreRefusedNamingTheProperty() {
        for (String number : new String[] {"1e200", "1e400", "-1e400", "1e-200", "123456789012345678901234567890123456789"}) {
            ObjectNode body = json("{\"app_id\":\"" + app.id() + "\",\"identity\":\"n\",\"properties\":{\"score\":" + number + "}}");
            assertThatThrownBy(() -> identities.addProperties(key, body)).as(number)
                    .isInstanceOfSatisfying(ValidationFailedException.class,
                            e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.pointer()).isEqualTo("/properties/score")));
        }
        ObjectNode fine = json("{\"app_id\":\"" + app.id() + "\",\"identity\":\"n\",\"properties\":{\"a\":12345678901234567890123456789012345678,"
                + "\"b\":1e125,\"c\":-1e-130,\"d\":0.0,\"e\":1.50}}");
        identities.addProperties(key, fine);
        assertThat(identities.user(key, app.id(), "n").get("properties")).asString()
                .contains("12345678901234567890123456789012345678").contains("1.5");
    }

    @Test
    void anErasureWhoseBatchIsCancelledIsAnErrorNotA204() {
        identities.identify(key, body("ana", 1));
        // The link of user id 1 now belongs to someone else: the conditional delete cancels the batch.
        TestTable.client().updateItem(b -> b.tableName(table.name())
                .key(Table.key(io.tenure.store.TableKeys.IdentityUser.pk(app.id(), 1), io.tenure.store.TableKeys.IdentityUser.sk()))
                .updateExpression("SET #i = :other").expressionAttributeNames(Map.of("#i", "identity"))
                .expressionAttributeValues(Map.of(":other", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("bob"))));
        assertThatThrownBy(() -> identities.erase(key, app.id(), "ana", ORIGIN))
                .isInstanceOf(io.tenure.error.InvalidStateException.class);
        assertThat(identities.user(key, app.id(), "ana")).containsEntry("identity", "ana");
    }

    private ObjectNode body(String identity, long userId) {
        ObjectNode body = Json.object();
        body.put("app_id", app.id());
        body.put("identity", identity);
        body.put("user_id", userId);
        return body;
    }

    private static final class RequestCounter implements ExecutionInterceptor {
        final AtomicLong requests = new AtomicLong();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
        }
    }
}
