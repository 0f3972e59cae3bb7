package io.tenure.org;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.id.Hashes;
import io.tenure.json.Json;
import io.tenure.store.Found;
import io.tenure.store.ItemCodec;
import io.tenure.store.Read;
import io.tenure.store.Page;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.WriteOutcome;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Organization, slug, project and app items, and the count of orgs each person created in a day:
 * the one place that knows how they are stored. Reads return {@link Organization}s and
 * {@link Project}s; writes are {@link Write}s whose failed conditions mean a {@link Refusal}.
 */
public final class OrgStore {
    /** Rate-window scope of orgs created per person per UTC day. */
    private static final String ORGS_CREATED = "orgs";
    /** What a failed condition of this store's writes means. */
    public enum Refusal {
        /** {@link #create}: another org has the slug. */
        SLUG_TAKEN
    }

    /** Org item attributes: it keeps an address book; it keeps a project directory; each project's name there. */
    private static final String ADDRESS_BOOK = "addressBook";
    private static final String PROJECT_DIRECTORY = "projectDirectory";
    private static final String PROJECT_NAME_PREFIX = "projectName#";

    private final Table table;

    public OrgStore(Table table) {
        this.table = table;
    }

    /** The due items of the same table, for the steps an org's change plans (its review, its inactivity warnings) in its own transaction. */
    public io.tenure.schedule.DueItems dueItems() {
        return new io.tenure.schedule.DueItems(table);
    }

    /** The org alone (one GetItem). */
    public Optional<Organization> find(String orgId) {
        return table.find(Read.of(TableKeys.Org.pk(orgId), TableKeys.Org.sk(), OrgStore::organization));
    }

    /**
     * The org as this scheduled run read it: one read per org per run, whichever step asks (steps
     * act on many items of one org). The read brings the org's audit chain head along, as
     * {@link #findRead} does, so the step's audit event links without a read of its own.
     */
    public Optional<Organization> findFor(io.tenure.schedule.DueRun run, String orgId) {
        return run.remember("org " + orgId, () -> table.find(findRead(orgId)));
    }

    /**
     * {@link #find} as a read to batch with others ({@link #read}). It brings the head of the org's
     * audit chain along: every change to an org reads the org (its audit retention) and writes an
     * audit event, which then links without a read of its own.
     */
    public Read<Organization> findRead(String orgId) {
        return Read.of(TableKeys.Org.pk(orgId), TableKeys.Org.sk(), OrgStore::organization)
                .withChainHead(TableKeys.Audit.pk(orgId), TableKeys.Audit.HEAD_SK);
    }

    private static Organization organization(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), Organization.class);
    }

    /** {@link #findProject} as a read to batch with others ({@link #read}). */
    public Read<Project> projectRead(String orgId, String projectId) {
        return Read.of(TableKeys.Project.pk(orgId), TableKeys.Project.sk(projectId),
                item -> Json.read(ItemCodec.toJson(item), Project.class));
    }

    /** Reads made by any store, in one request ({@link Table#read}). */
    public Found read(Read<?>... reads) {
        return table.read(reads);
    }

    public Optional<Project> findProject(String orgId, String projectId) {
        return table.find(projectRead(orgId, projectId));
    }

    /** Every project of the org, oldest first (ids sort by creation time). One Query. */
    public List<Project> projects(String orgId) {
        return table.queryPrefix(TableKeys.Project.pk(orgId), TableKeys.Project.SK_PREFIX).stream()
                .map(item -> Json.read(ItemCodec.toJson(item), Project.class))
                .sorted(Comparator.comparing(Project::id))
                .toList();
    }

    /** A page of the org's projects, oldest first, after the project whose sort key is {@code afterSk} (null: from the start). */
    public Page<Project> projectPage(String orgId, int limit, String afterSk) {
        return table.queryPage(TableKeys.Project.pk(orgId), TableKeys.Project.SK_PREFIX, limit, afterSk, false)
                .map(item -> Json.read(ItemCodec.toJson(item), Project.class));
    }

    /** Transaction items creating the org (position 0) and claiming its slug (position 1). */
    public List<Write> create(Organization org) {
        ObjectNode node = Json.tree(org);
        node.put("pk", TableKeys.Org.pk(org.id()));
        node.put("sk", TableKeys.Org.sk());
        node.put("adminCount", 1);
        // Kept from the start by orgs created since they exist (older orgs read the Queries instead).
        node.put(ADDRESS_BOOK, true);
        node.put(PROJECT_DIRECTORY, true);
        return List.of(
                putNew(ItemCodec.toItem(node)),
                putNew(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.Slug.pk(org.slug())),
                        "sk", AttributeValue.fromS(TableKeys.Slug.sk()),
                        "orgId", AttributeValue.fromS(org.id()))).refusedAs(Refusal.SLUG_TAKEN));
    }

    /** Commits writes of this and other stores as one transaction ({@link Table#transact}). */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    /**
     * The app item of a project ({@code APP#<projectId> / APP}): what the identify API needs to
     * know about it without knowing its org: the org, the identify settings and, once hashing is
     * turned on, the project's HMAC key (made once, never returned by any route).
     */
    public Write putApp(Project project) {
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        values.put(":orgId", AttributeValue.fromS(project.orgId()));
        values.put(":settings", ItemCodec.toAttribute(Json.tree(project.settings())));
        values.put(":archived", AttributeValue.fromBool(project.archived()));
        String set = "SET orgId = :orgId, settings = :settings, archived = :archived";
        if (project.settings().hashing()) {
            byte[] key = new byte[32];
            io.tenure.id.Randomness.secure().nextBytes(key);
            values.put(":hmacKey", AttributeValue.fromS(java.util.HexFormat.of().formatHex(key)));
            set += ", hmacKey = if_not_exists(hmacKey, :hmacKey)";
        }
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(TableKeys.App.pk(project.id())), "sk", AttributeValue.fromS(TableKeys.App.sk())))
                .updateExpression(set)
                .expressionAttributeValues(values)
                .build()).build());
    }

    /**
     * Records a project's name on the org item (its project directory), only while the org exists:
     * emails about an invitation then name its projects from the org item, read with the org.
     */
    public Write nameProject(String orgId, String projectId, String name) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(orgKey(orgId))
                .updateExpression("SET #project = :name")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#project", PROJECT_NAME_PREFIX + projectId))
                .expressionAttributeValues(Map.of(":name", AttributeValue.fromS(name)))
                .build()).build());
    }

    /**
     * What the org item keeps beside the organization: whether it keeps an address book
     * ({@link TableKeys.AddressBook}), and its project directory (project id to name; null for an
     * org created before the org item kept one).
     */
    public record OrgIndexes(boolean addressBook, Map<String, String> projectNames) {
    }

    /** The org item's {@link OrgIndexes}, as a read to batch with others (the same item as {@link #findRead}). */
    public Read<OrgIndexes> indexesRead(String orgId) {
        return Read.of(TableKeys.Org.pk(orgId), TableKeys.Org.sk(), item -> {
            Map<String, String> names = null;
            if (item.containsKey(PROJECT_DIRECTORY)) {
                names = new java.util.HashMap<>();
                for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                    if (attribute.getKey().startsWith(PROJECT_NAME_PREFIX)) {
                        names.put(attribute.getKey().substring(PROJECT_NAME_PREFIX.length()), attribute.getValue().s());
                    }
                }
            }
            return new OrgIndexes(item.containsKey(ADDRESS_BOOK), names);
        });
    }

    /** The addresses the org has seen on {@code canonical} ({@link TableKeys.AddressBook}), as a read to batch. */
    public Read<java.util.Set<String>> addressBookRead(String orgId, String canonical) {
        return Read.of(TableKeys.AddressBook.pk(orgId), TableKeys.AddressBook.sk(canonical),
                item -> item.containsKey("emailKeys") ? java.util.Set.copyOf(item.get("emailKeys").ss()) : java.util.Set.of());
    }

    /** Adds {@code emailKey} to the org's address book of {@code canonical} (no condition: adding twice is adding once). */
    public Write noteAddress(String orgId, String canonical, String emailKey) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(TableKeys.AddressBook.pk(orgId)),
                        "sk", AttributeValue.fromS(TableKeys.AddressBook.sk(canonical))))
                .updateExpression("ADD emailKeys :key")
                .expressionAttributeValues(Map.of(":key", AttributeValue.fromSs(List.of(emailKey))))
                .build()).build());
    }

    /** The domains the org knows ({@link TableKeys.DomainBook}), as a read to batch; empty before the first. */
    public Read<java.util.Set<String>> knownDomainsRead(String orgId) {
        return Read.of(TableKeys.DomainBook.pk(orgId), TableKeys.DomainBook.SK,
                item -> item.containsKey("domains") ? java.util.Set.copyOf(item.get("domains").ss()) : java.util.Set.of());
    }

    /** The domains the org knows (one GetItem). */
    public java.util.Set<String> knownDomains(String orgId) {
        return table.find(knownDomainsRead(orgId)).orElse(java.util.Set.of());
    }

    /** Adds {@code domain} to the domains the org knows (no condition: adding twice is adding once). */
    public Write noteDomain(String orgId, String domain) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(TableKeys.DomainBook.pk(orgId)), "sk", AttributeValue.fromS(TableKeys.DomainBook.SK)))
                .updateExpression("ADD domains :domain")
                .expressionAttributeValues(Map.of(":domain", AttributeValue.fromSs(List.of(domain))))
                .build()).build());
    }

    /** Transaction item creating a project; with {@link #nameProject}, only while its org exists. */
    public Write createProject(Project project) {
        ObjectNode node = Json.tree(project);
        node.put("pk", TableKeys.Project.pk(project.orgId()));
        node.put("sk", TableKeys.Project.sk(project.id()));
        return putNew(ItemCodec.toItem(node));
    }

    /**
     * Changes the org's name and settings while it still has version {@code expected}. An update,
     * not a put, so the admin count kept on the same item is left alone.
     */
    public Write replaceOrg(Organization org, long expected) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(orgKey(org.id()))
                .updateExpression("SET #name = :name, settings = :settings, updatedAt = :updatedAt, version = :version")
                .conditionExpression("version = :expected")
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(Map.of(
                        ":name", AttributeValue.fromS(org.name()),
                        ":settings", ItemCodec.toAttribute(Json.tree(org.settings())),
                        ":updatedAt", AttributeValue.fromS(org.updatedAt().toString()),
                        ":version", AttributeValue.fromN(Long.toString(org.version())),
                        ":expected", AttributeValue.fromN(Long.toString(expected))))
                .build()).build());
    }

    /**
     * Counts an admin in or out. Counting out only succeeds while another admin remains, so an org
     * never loses its last admin by hand ({@code keepOne} false is for the end of access by schedule).
     */
    public Write countAdmin(String orgId, int delta, boolean keepOne) {
        var update = software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(orgKey(orgId))
                .updateExpression("ADD adminCount :delta");
        if (delta < 0 && keepOne) {
            update.conditionExpression("adminCount > :one")
                    .expressionAttributeValues(Map.of(":delta", AttributeValue.fromN(Integer.toString(delta)), ":one", AttributeValue.fromN("1")));
        } else {
            update.conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":delta", AttributeValue.fromN(Integer.toString(delta))));
        }
        return Write.of(TransactWriteItem.builder().update(update.build()).build());
    }

    /**
     * Counts one org created by the person with JWT subject {@code sub} on the UTC day of
     * {@code now}; fails (as a condition) once {@code perDay} were created that day. The subject is
     * hashed into the key; the counter expires two days after its day.
     */
    public Write countOrgCreated(String sub, Instant now, int perDay) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        return table.countUpTo(TableKeys.RateWindow.pk(ORGS_CREATED, Hashes.sha256Hex(sub)), TableKeys.RateWindow.sk(dayStart),
                perDay, Table.dayCounterExpiry(day));
    }

    private static Map<String, AttributeValue> orgKey(String orgId) {
        return Table.key(TableKeys.Org.pk(orgId), TableKeys.Org.sk());
    }

    /** Changes a project while it still has version {@code expected}. */
    public Write replaceProject(Project project, long expected) {
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        values.put(":name", AttributeValue.fromS(project.name()));
        values.put(":archived", AttributeValue.fromBool(project.archived()));
        values.put(":settings", ItemCodec.toAttribute(Json.tree(project.settings())));
        values.put(":updatedAt", AttributeValue.fromS(project.updatedAt().toString()));
        values.put(":version", AttributeValue.fromN(Long.toString(project.version())));
        values.put(":expected", AttributeValue.fromN(Long.toString(expected)));
        String set = "SET #name = :name, archived = :archived, settings = :settings, updatedAt = :updatedAt, version = :version";
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(TableKeys.Project.pk(project.orgId())),
                        "sk", AttributeValue.fromS(TableKeys.Project.sk(project.id()))))
                .updateExpression(set)
                .conditionExpression("version = :expected")
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(values)
                .build()).build());
    }


    private Write putNew(Map<String, AttributeValue> item) {
        return Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(item)
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
    }
}
