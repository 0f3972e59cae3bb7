package io.tenure.access;

import io.tenure.value.MemberStatus;
import io.tenure.value.OrgRole;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Page;
import io.tenure.store.Read;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.WriteOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import java.time.Instant;

/**
 * Member items: the member itself and its (org, emailKey) guard, always written together. The
 * one place that knows how they are stored: it reads them as {@link Member}s and {@link Guard}s,
 * and writes them as {@link Write}s whose failed conditions mean a {@link Refusal}.
 */
public final class MemberStore {
    /** The guard attribute holding the member's access end. */
    static final String ACCESS_ENDS_AT = "accessEndsAt";
    /** Its value for access with no end. */
    static final String NO_END = "none";

    /** What a failed condition of this store's writes means. */
    public enum Refusal {
        /** {@link #create}'s guard: the org has an active member with that address. */
        ALREADY_MEMBER,
        /** {@link #replace}, {@link #remove}, {@link #removeAsRead} or {@link #unchanged}: the member is not as read, or not active. */
        MEMBER_CHANGED
    }

    /**
     * The member-email guard of one (org, emailKey): what every authorization reads.
     *
     * @param carriesAccessEnd false for a guard written before guards carried the member's access
     *                         end; then {@link #accessEndsAt} says nothing and the member item decides
     *                         ({@link #accessEndsAt(String, String)})
     * @param accessEndsAt     the member's access end; null for access with no end
     * @param lastActiveAt     the member's last recorded activity; null before the first
     */
    public record Guard(String memberId, OrgRole orgRole, boolean carriesAccessEnd, Instant accessEndsAt, Instant lastActiveAt) {
    }

    private final String tableName;
    private final Table table;

    public MemberStore(Table table) {
        this.tableName = table.name();
        this.table = table;
    }

    /** The guard of the org's member with {@code emailKey}, if the org has an active one. One consistent GetItem. */
    public Optional<Guard> guard(String orgId, String emailKey) {
        return table.find(guardRead(orgId, emailKey));
    }

    /** {@link #guard} as a read to batch with others ({@link io.tenure.store.Table#read}). */
    public Read<Guard> guardRead(String orgId, String emailKey) {
        return Read.of(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey), item -> {
            AttributeValue end = item.get(ACCESS_ENDS_AT);
            AttributeValue last = item.get("lastActiveAt");
            return new Guard(item.get("memberId").s(), OrgRole.of(item.get("orgRole").s()), end != null,
                    end == null ? null : accessEnd(end.s()), last == null ? null : Instant.parse(last.s()));
        });
    }

    /**
     * The access end stored on the member item, for a guard that does not carry it; empty when the
     * access has no end or there is no such member. One consistent GetItem.
     */
    public Optional<Instant> accessEndsAt(String orgId, String memberId) {
        return table.get(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId))
                .map(member -> member.get(ACCESS_ENDS_AT))
                .map(AttributeValue::s)
                .map(MemberStore::accessEnd);
    }

    /** {@link #NO_END} or an instant, as stored; null for no end. */
    private static Instant accessEnd(String stored) {
        return NO_END.equals(stored) ? null : Instant.parse(stored);
    }

    /** One member of the org (active or removed). One consistent GetItem. */
    public Optional<Member> find(String orgId, String memberId) {
        return table.get(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId)).map(MemberStore::member);
    }

    /** Why a removed member was removed, as stored; empty for an active member or none. One consistent GetItem. */
    public Optional<String> removedReason(String orgId, String memberId) {
        return table.get(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId))
                .map(item -> item.get("removedReason"))
                .map(AttributeValue::s);
    }

    /** {@link #find} as a read to batch with others ({@link io.tenure.store.Table#read}). */
    public Read<Member> memberRead(String orgId, String memberId) {
        return Read.of(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId), MemberStore::member);
    }

    /** Every member of the org (active and removed), oldest first. One Query on the org's {@code MEM#} items. */
    public List<Member> all(String orgId) {
        return table.queryPrefix(TableKeys.Member.pk(orgId), TableKeys.Member.SK_PREFIX).stream()
                .map(MemberStore::member)
                .toList();
    }

    /**
     * A page of up to {@code limit} members of the org that pass {@code keep}, oldest first, after
     * the member whose sort key is {@code afterSk} (null: from the start); its cursor is the last
     * member kept. Reads pages of the org's members until the page is full.
     */
    public Page<Member> page(String orgId, int limit, String afterSk, Predicate<Member> keep) {
        return table.filteredPage(TableKeys.Member.pk(orgId), TableKeys.Member.SK_PREFIX, limit, afterSk, false,
                        item -> keep.test(member(item)))
                .map(MemberStore::member);
    }

    /**
     * The member items of every org with this emailKey (removed members leave the index). One
     * Query on GSI1, so eventually consistent.
     */
    public List<Member> withEmail(String emailKey) {
        return table.queryIndex(TableKeys.GSI1, "gsi1pk", TableKeys.Member.gsi1pk(emailKey)).stream()
                .map(MemberStore::member)
                .toList();
    }

    private static Member member(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), Member.class);
    }

    /** Commits writes of this and other stores as one transaction ({@link Table#transact}). */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    /**
     * The two writes that create an active member: the member, and the guard that fails when the
     * org already has an active member with that emailKey ({@link Refusal#ALREADY_MEMBER}).
     * {@code canonical} is the address's canonical form in the org ({@code OrgSettings.canonical}).
     */
    public List<Write> create(Member member, String canonical) {
        ObjectNode node = Json.tree(member);
        node.put("pk", TableKeys.Member.pk(member.orgId()));
        node.put("sk", TableKeys.Member.sk(member.id()));
        node.put("gsi1pk", TableKeys.Member.gsi1pk(member.emailKey()));
        node.put("gsi1sk", TableKeys.Member.gsi1sk(member.orgId()));
        node.put("gsi2pk", TableKeys.Canonical.gsi2pk(member.orgId(), canonical));
        node.put("gsi2sk", TableKeys.Member.gsi2sk(member.id()));
        Write memberPut = Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(ItemCodec.toItem(node))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
        Write guardPut = Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.MemberEmail.pk(member.orgId())),
                        "sk", AttributeValue.fromS(TableKeys.MemberEmail.sk(member.emailKey())),
                        "memberId", AttributeValue.fromS(member.id()),
                        "orgRole", AttributeValue.fromS(member.orgRole().json()),
                        "email", AttributeValue.fromS(member.email()),
                        ACCESS_ENDS_AT, accessEnd(member)))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build()).refusedAs(Refusal.ALREADY_MEMBER);
        return List.of(memberPut, guardPut);
    }

    /** Replaces an active member while it still has version {@code expected}. */
    public Write replace(Member member, long expected, String canonical) {
        ObjectNode node = Json.tree(member);
        node.put("pk", TableKeys.Member.pk(member.orgId()));
        node.put("sk", TableKeys.Member.sk(member.id()));
        node.put("gsi1pk", TableKeys.Member.gsi1pk(member.emailKey()));
        node.put("gsi1sk", TableKeys.Member.gsi1sk(member.orgId()));
        node.put("gsi2pk", TableKeys.Canonical.gsi2pk(member.orgId(), canonical));
        node.put("gsi2sk", TableKeys.Member.gsi2sk(member.id()));
        return Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(ItemCodec.toItem(node))
                .conditionExpression("version = :expected AND #status = :active")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expected)),
                        ":active", AttributeValue.fromS(MemberStatus.ACTIVE.json())))
                .build()).build()).refusedAs(Refusal.MEMBER_CHANGED);
    }

    /**
     * Keeps the member-email guard's role and access end in step with the member's: the guard is
     * what every authorization reads.
     */
    public Write guardAccess(Member member) {
        return Write.of(TransactWriteItem.builder().update(Update.builder()
                .tableName(tableName)
                .key(Table.key(TableKeys.MemberEmail.pk(member.orgId()), TableKeys.MemberEmail.sk(member.emailKey())))
                .updateExpression("SET orgRole = :role, " + ACCESS_ENDS_AT + " = :end")
                .conditionExpression("memberId = :id")
                .expressionAttributeValues(Map.of(":role", AttributeValue.fromS(member.orgRole().json()), ":id", AttributeValue.fromS(member.id()),
                        ":end", accessEnd(member)))
                .build()).build());
    }

    /**
     * A transaction check that the person with {@code emailKey} is still a member of the org whose
     * access has not ended: an invitation is only as good as its inviter's access. (A guard written
     * before guards carried the end passes.)
     */
    public Write stillHasAccess(String orgId, String emailKey, Instant now) {
        return Write.of(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(tableName)
                .key(Table.key(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey)))
                .conditionExpression("attribute_exists(memberId) AND (attribute_not_exists(#end) OR #end = :none OR #end > :now)")
                .expressionAttributeNames(Map.of("#end", ACCESS_ENDS_AT))
                .expressionAttributeValues(Map.of(":none", AttributeValue.fromS(NO_END), ":now", AttributeValue.fromS(now.toString())))
                .build()).build());
    }

    /** The guard's copy of the member's access end: the instant, or {@link #NO_END}. */
    private static AttributeValue accessEnd(Member member) {
        return AttributeValue.fromS(member.accessEndsAt() == null ? NO_END : member.accessEndsAt().toString());
    }

    /**
     * Removes an active member by hand: the member turns removed and the guard goes (access gone at
     * once). Only while their org role is the one read, so the admin count moves with the role.
     */
    public List<Write> remove(Member member, String reason, Instant now) {
        return removal(member.orgId(), member.id(), member.emailKey(), reason, now, " AND orgRole = :role",
                Map.of(":role", AttributeValue.fromS(member.orgRole().json())));
    }

    /**
     * As {@link #remove}, only while the member is the version read: a decision made on what the
     * member was (an admin's DELETE, a review's reviewer) is not applied to what they became.
     */
    public List<Write> removeAsRead(Member member, String reason, Instant now) {
        return removal(member.orgId(), member.id(), member.emailKey(), reason, now, " AND version = :read",
                Map.of(":read", AttributeValue.fromN(Long.toString(member.version()))));
    }

    /** A transaction check that the member is still active at the version read (a decision to keep them as they were). */
    public Write unchanged(Member member) {
        return Write.of(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(tableName)
                .key(Table.key(TableKeys.Member.pk(member.orgId()), TableKeys.Member.sk(member.id())))
                .conditionExpression("version = :read AND #status = :active")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":read", AttributeValue.fromN(Long.toString(member.version())),
                        ":active", AttributeValue.fromS(MemberStatus.ACTIVE.json())))
                .build()).build()).refusedAs(Refusal.MEMBER_CHANGED);
    }

    private List<Write> removal(String orgId, String memberId, String emailKey, String reason, Instant now,
                                            String extraCondition, Map<String, AttributeValue> extraValues) {
        Map<String, AttributeValue> values = new java.util.HashMap<>(extraValues);
        values.put(":removed", AttributeValue.fromS(MemberStatus.REMOVED.json()));
        values.put(":active", AttributeValue.fromS(MemberStatus.ACTIVE.json()));
        values.put(":reason", AttributeValue.fromS(reason));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        return List.of(
                Write.of(TransactWriteItem.builder().update(Update.builder()
                        .tableName(tableName)
                        .key(Table.key(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId)))
                        .updateExpression("SET #status = :removed, removedAt = :now, removedReason = :reason, updatedAt = :now, "
                                + "version = version + :one REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk")
                        .conditionExpression("#status = :active" + extraCondition)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(values)
                        .build()).build()).refusedAs(Refusal.MEMBER_CHANGED),
                Write.of(TransactWriteItem.builder().delete(software.amazon.awssdk.services.dynamodb.model.Delete.builder()
                        .tableName(tableName)
                        .key(Table.key(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey)))
                        .conditionExpression("attribute_not_exists(pk) OR memberId = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(memberId)))
                        .build()).build()));
    }

    /**
     * Removes a member for inactivity: as {@link #remove}, only while they still have no activity
     * after {@code lastActiveAt} (null: none recorded), so a member who just signed in stays.
     */
    public List<Write> removeInactive(Member member, String reason, Instant now) {
        return member.lastActiveAt() == null
                ? removal(member.orgId(), member.id(), member.emailKey(), reason, now, " AND attribute_not_exists(lastActiveAt)", Map.of())
                : removal(member.orgId(), member.id(), member.emailKey(), reason, now, " AND lastActiveAt = :seen",
                        Map.of(":seen", AttributeValue.fromS(member.lastActiveAt().toString())));
    }

    /**
     * Records activity on the guard (only if its last record is older than {@code unlessAfter})
     * and on the member (only while it exists and is active).
     */
    public List<Write> recordActivity(String orgId, String memberId, String emailKey, Instant now, Instant unlessAfter) {
        return List.of(
                Write.of(TransactWriteItem.builder().update(Update.builder()
                        .tableName(tableName)
                        .key(Table.key(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey)))
                        .updateExpression("SET lastActiveAt = :now")
                        .conditionExpression("memberId = :id AND (attribute_not_exists(lastActiveAt) OR lastActiveAt < :since)")
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()),
                                ":since", AttributeValue.fromS(unlessAfter.toString()),
                                ":id", AttributeValue.fromS(memberId)))
                        .build()).build()),
                Write.of(TransactWriteItem.builder().update(Update.builder()
                        .tableName(tableName)
                        .key(Table.key(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId)))
                        .updateExpression("SET lastActiveAt = :now")
                        .conditionExpression("#status = :active")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()),
                                ":active", AttributeValue.fromS(MemberStatus.ACTIVE.json())))
                        .build()).build()));
    }

    /**
     * Removes a member whose access ended at {@code accessEndsAt}: as {@link #remove}, only while
     * the member still has that end date (a later change of the date wins).
     */
    public List<Write> endAccess(String orgId, String memberId, String emailKey, String accessEndsAt, Instant now) {
        return removal(orgId, memberId, emailKey, "access_ended", now, " AND accessEndsAt = :end",
                Map.of(":end", AttributeValue.fromS(accessEndsAt)));
    }
}
