package io.tenure.invitation;

import io.tenure.value.InvitationStatus;
import io.tenure.value.MemberStatus;

import io.tenure.value.EmailAddress;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.schedule.DueItems;
import io.tenure.store.ItemCodec;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.WriteOutcome;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Invitation, pending-guard, token, SES message and daily-quota items (the org's and the
 * deployment's). Owns every DynamoDB detail of them: services get invitations and typed records,
 * and writes they commit with {@link #commit}; expected failures come back as outcomes.
 */
public final class InvitationStore {
    private final Table table;

    public InvitationStore(Table table) {
        this.table = table;
    }

    /**
     * The due items of the same table, for the plans ({@link InvitationPlans}, {@link io.tenure.access.MemberPlans}) whose writes an
     * invitation's change commits with it (the services keep their constructors, so they build
     * their plans from here rather than from the table).
     */
    public DueItems dueItems() {
        return new DueItems(table);
    }

    /** The invitation requests of the same table (issue 14), which an invite under the two-person rule files. */
    public InvitationRequestStore requests() {
        return new InvitationRequestStore(table);
    }

    /** The members of the same table: the admins an invitation request is sent to. */
    public io.tenure.access.MemberStore members() {
        return new io.tenure.access.MemberStore(table);
    }

    public Optional<Invitation> find(String orgId, String invitationId) {
        return table.find(findRead(orgId, invitationId));
    }

    /** {@link #find} as a read to batch with others ({@link Table#read}). */
    public Read<Invitation> findRead(String orgId, String invitationId) {
        return Read.of(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.sk(invitationId),
                item -> Json.read(ItemCodec.toJson(item), Invitation.class));
    }

    /** The invitation with its send counter of the day, for resend's limits. */
    public Optional<SendState> findSendState(String orgId, String invitationId) {
        return table.find(sendStateRead(orgId, invitationId));
    }

    /** {@link #findSendState} as a read to batch with others ({@link Table#read}). */
    public Read<SendState> sendStateRead(String orgId, String invitationId) {
        return Read.of(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.sk(invitationId),
                item -> new SendState(Json.read(ItemCodec.toJson(item), Invitation.class),
                        item.containsKey("sendDay") ? item.get("sendDay").s() : "",
                        item.containsKey("sendDayCount") ? Integer.parseInt(item.get("sendDayCount").n()) : 0));
    }

    /** {@link #pendingHold} as a read to batch with others ({@link Table#read}). */
    public Read<PendingHold> pendingHoldRead(String orgId, String emailKey) {
        return Read.of(TableKeys.PendingInvitation.pk(orgId), TableKeys.PendingInvitation.sk(emailKey),
                item -> new PendingHold(item.get("invitationId").s(), Instant.parse(item.get("expiresAt").s())));
    }

    /** Reads made by any store, in one request ({@link Table#read}). */
    public Found read(Read<?>... reads) {
        return table.read(reads);
    }

    /**
     * A page of the org's invitations, newest first, of the given status as read at {@code now}
     * (null for every status). Reads pages of the org's invitations until the page is full.
     */
    public io.tenure.store.Page<Invitation> list(String orgId, InvitationStatus status, Delivery.Status delivery, Instant now, int limit,
                                                 String afterSk) {
        return table.filteredPage(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.SK_PREFIX, limit, afterSk, true,
                        item -> {
                            Invitation invitation = read(item).asOf(now);
                            return (status == null || invitation.is(status)) && (delivery == null
                                    || invitation.delivery() != null && invitation.delivery().asOf(now).status() == delivery);
                        })
                .map(item -> read(item).asOf(now));
    }

    private static Invitation read(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), Invitation.class);
    }

    /**
     * Gives the invitation a new token and expiry and makes it pending again, only while it still
     * has the version that was read (so the state and send limits checked on that read hold). The
     * new send starts as {@code sending}.
     *
     * <p>With {@code keepOldLink} the new token is only the {@code nextTokenHash}: the link the
     * invitee holds keeps working beside it until SES takes the new email
     * ({@link #recordResend}). Without it (the old link has expired anyway) it replaces the token.
     */
    public Write renew(SendState state, String tokenHash, Instant expiresAt, Instant now, boolean keepOldLink, String canonical) {
        Invitation invitation = state.invitation();
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        int todayCount = state.sendCountOn(today) + 1;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":hash", AttributeValue.fromS(tokenHash));
        values.put(":expiresAt", AttributeValue.fromS(expiresAt.toString()));
        values.put(":pending", AttributeValue.fromS(InvitationStatus.PENDING.json()));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":g2", AttributeValue.fromS(TableKeys.Canonical.gsi2pk(invitation.orgId(), canonical)));
        values.put(":g2s", AttributeValue.fromS(TableKeys.Invitation.gsi2sk(invitation.id())));
        values.put(":today", AttributeValue.fromS(today));
        values.put(":count", AttributeValue.fromN(Integer.toString(todayCount)));
        values.put(":version", AttributeValue.fromN(Long.toString(invitation.version())));
        values.put(":delivery", ItemCodec.toAttribute(Json.tree(Delivery.sending(now))));
        return update(invitation.orgId(), invitation.id(),
                (keepOldLink ? "SET nextTokenHash = :hash" : "SET tokenHash = :hash")
                        + ", expiresAt = :expiresAt, #status = :pending, sendCount = sendCount + :one, "
                        + "lastSentAt = :now, updatedAt = :now, version = version + :one, gsi2pk = :g2, gsi2sk = :g2s, "
                        + "sendDay = :today, sendDayCount = :count, delivery = :delivery"
                        + (keepOldLink ? "" : " REMOVE nextTokenHash"),
                "version = :version", values);
    }

    /**
     * Sends the invitation to another address ({@code readdressed}, from
     * {@link Invitation#readdressed}), only while it is pending, unexpired and still has the
     * version that was read. The new token replaces the old one at once (the old link went to a
     * wrong address, so it must stop working now), the send counts against the day's limit, and
     * the canonical-address index follows the new address.
     */
    public Write readdress(SendState state, Invitation readdressed, String tokenHash, Instant now, String canonical) {
        Invitation invitation = state.invitation();
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        int todayCount = state.sendCountOn(today) + 1;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":email", AttributeValue.fromS(readdressed.email()));
        values.put(":emailKey", AttributeValue.fromS(readdressed.emailKey()));
        values.put(":hash", AttributeValue.fromS(tokenHash));
        values.put(":pending", AttributeValue.fromS(InvitationStatus.PENDING.json()));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":g2", AttributeValue.fromS(TableKeys.Canonical.gsi2pk(invitation.orgId(), canonical)));
        values.put(":today", AttributeValue.fromS(today));
        values.put(":count", AttributeValue.fromN(Integer.toString(todayCount)));
        values.put(":version", AttributeValue.fromN(Long.toString(invitation.version())));
        values.put(":delivery", ItemCodec.toAttribute(Json.tree(readdressed.delivery())));
        return update(invitation.orgId(), invitation.id(),
                "SET email = :email, emailKey = :emailKey, tokenHash = :hash, sendCount = sendCount + :one, lastSentAt = :now, "
                        + "updatedAt = :now, version = version + :one, gsi2pk = :g2, sendDay = :today, sendDayCount = :count, "
                        + "delivery = :delivery REMOVE nextTokenHash",
                "version = :version AND #status = :pending AND expiresAt > :now", values);
    }

    /** Commits writes of this and other stores as one transaction ({@link Table#transact}). */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    /** Holds the pending slot for a renewed invitation, unless another live invitation holds it. */
    public Write holdPendingAgain(Invitation invitation, Instant expiresAt, Instant now) {
        return put(holdItem(invitation, expiresAt),
                "attribute_not_exists(pk) OR invitationId = :id OR expiresAt <= :now",
                Map.of(":id", AttributeValue.fromS(invitation.id()), ":now", AttributeValue.fromS(now.toString())));
    }

    /** Revokes a pending or expired invitation, only while it still has the version that was read. */
    public Write revoke(Invitation invitation, Instant now) {
        return close(invitation.orgId(), invitation.id(), InvitationStatus.REVOKED, "version = :version", now,
                Map.of(":version", AttributeValue.fromN(Long.toString(invitation.version()))));
    }

    /**
     * The invitation a token leads to, and whether the token is still a live one of that
     * invitation: its current token, or the next one while a resend is being sent (both work
     * then; a resend replaces the current one once SES took the new email). Two consistent GetItems.
     */
    public Optional<TokenMatch> findByToken(String tokenHash) {
        return findToken(tokenHash).flatMap(ref -> table.find(matchRead(ref)));
    }

    /** What the token item of {@code tokenHash} says. One consistent GetItem. */
    public Optional<TokenRef> findToken(String tokenHash) {
        return tokenItem(tokenHash).map(item -> new TokenRef(tokenHash, item.get("orgId").s(), item.get("invitationId").s(),
                item.containsKey("projectIds") ? item.get("projectIds").l().stream().map(AttributeValue::s).toList() : null,
                item.containsKey("emailKey") ? item.get("emailKey").s() : null));
    }

    /** The invitation a token leads to, and whether the token is its current one, as a read to batch with others. */
    public Read<TokenMatch> matchRead(TokenRef ref) {
        return Read.of(TableKeys.Invitation.pk(ref.orgId()), TableKeys.Invitation.sk(ref.invitationId()),
                item -> new TokenMatch(Json.read(ItemCodec.toJson(item), Invitation.class),
                        isHash(item, "tokenHash", ref.tokenHash()) || isHash(item, "nextTokenHash", ref.tokenHash())));
    }

    private static boolean isHash(Map<String, AttributeValue> item, String attribute, String tokenHash) {
        return item.containsKey(attribute) && tokenHash.equals(item.get(attribute).s());
    }

    /** The invitation if the client request {@code requestKey} made it, at or after {@code notBefore}. */
    public Optional<Invitation> findMadeBy(String orgId, String invitationId, String requestKey, Instant notBefore) {
        return table.get(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.sk(invitationId))
                .filter(item -> item.containsKey("requestKey") && requestKey.equals(item.get("requestKey").s()))
                .map(InvitationStore::read)
                .filter(invitation -> !invitation.createdAt().isBefore(notBefore));
    }

    /** The pending guard of (org, emailKey): which invitation holds it and until when. */
    public Optional<PendingHold> pendingHold(String orgId, String emailKey) {
        return table.find(pendingHoldRead(orgId, emailKey));
    }

    /** The active member's id for (org, emailKey), if any. */
    public Optional<String> activeMemberId(String orgId, String emailKey) {
        return table.get(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey))
                .map(item -> item.get("memberId").s());
    }

    /** Stored item of the token hash: which invitation it leads to. */
    private Optional<Map<String, AttributeValue>> tokenItem(String tokenHash) {
        return table.get(TableKeys.InvitationToken.pk(tokenHash), TableKeys.InvitationToken.sk());
    }

    /**
     * The invitations and members of the org on a canonical address (GSI2, eventually consistent).
     * Only pending invitations and active members are on the index, but an item read there may
     * have changed since, so each comes with its status as stored.
     */
    public List<SameAddress> sameAddress(String orgId, String canonical) {
        List<SameAddress> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryIndex(TableKeys.GSI2, "gsi2pk", TableKeys.Canonical.gsi2pk(orgId, canonical))) {
            String sk = text(item, "sk");
            SameAddress.Kind kind = sk.startsWith(TableKeys.Member.SK_PREFIX) ? SameAddress.Kind.MEMBER
                    : sk.startsWith(TableKeys.Invitation.SK_PREFIX) ? SameAddress.Kind.INVITATION : null;
            if (kind == null) {
                continue; // nothing else shares the partition today; a newcomer is not a duplicate of either
            }
            String expiresAt = text(item, "expiresAt");
            found.add(new SameAddress(kind, text(item, "id"), text(item, "email"), text(item, "emailKey"), text(item, "status"),
                    expiresAt.isEmpty() ? null : Instant.parse(expiresAt)));
        }
        return found;
    }

    /** A string attribute, or "" when the item has none. */
    private static String text(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.s() == null ? "" : value.s();
    }

    /**
     * The invitation item, found by its address's {@code canonical} form in the org
     * ({@code OrgSettings.canonical}); fails (as a condition) if the id exists. {@code requestKey} (may be
     * null) names the client request that made it, kept on the item and never returned.
     */
    public Write putNew(Invitation invitation, String tokenHash, String requestKey, String canonical) {
        ObjectNode node = Json.tree(invitation);
        node.put("pk", TableKeys.Invitation.pk(invitation.orgId()));
        node.put("sk", TableKeys.Invitation.sk(invitation.id()));
        node.put("gsi2pk", TableKeys.Canonical.gsi2pk(invitation.orgId(), canonical));
        node.put("gsi2sk", TableKeys.Invitation.gsi2sk(invitation.id()));
        node.put("tokenHash", tokenHash);
        node.put("sendDay", LocalDate.ofInstant(invitation.lastSentAt(), ZoneOffset.UTC).toString());
        node.put("sendDayCount", 1);
        if (requestKey != null) {
            node.put("requestKey", requestKey);
        }
        return put(ItemCodec.toItem(node), "attribute_not_exists(pk)", Map.of());
    }

    /**
     * The pending guard for a new invitation. With {@code replacing} null it succeeds only when no
     * guard exists or the one there has expired; otherwise only while that invitation holds it.
     */
    public Write holdPending(Invitation invitation, String replacing, Instant now) {
        Map<String, AttributeValue> item = holdItem(invitation, invitation.expiresAt());
        if (replacing == null) {
            return put(item, "attribute_not_exists(pk) OR expiresAt <= :now", Map.of(":now", AttributeValue.fromS(now.toString())));
        }
        return put(item, "invitationId = :old", Map.of(":old", AttributeValue.fromS(replacing)));
    }

    /** The pending guard of an invitation, with its inviter's GSI1 entry ({@link #pendingBy}). */
    private static Map<String, AttributeValue> holdItem(Invitation invitation, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "pk", AttributeValue.fromS(TableKeys.PendingInvitation.pk(invitation.orgId())),
                "sk", AttributeValue.fromS(TableKeys.PendingInvitation.sk(invitation.emailKey())),
                "invitationId", AttributeValue.fromS(invitation.id()),
                "expiresAt", AttributeValue.fromS(expiresAt.toString())));
        String inviter = invitation.createdBy() == null ? null : invitation.createdBy().email();
        if (inviter != null) {
            item.put("gsi1pk", AttributeValue.fromS(TableKeys.PendingInvitation.gsi1pk(EmailAddress.key(inviter))));
            item.put("gsi1sk", AttributeValue.fromS(TableKeys.PendingInvitation.gsi1sk(invitation.orgId())));
        }
        return item;
    }

    /**
     * The invitations of the org whose pending guard names {@code inviterKey} as their inviter:
     * one Query of GSI1 (eventually consistent) for the guards, then the invitations by key, up to
     * 100 a request. Reads grow with that inviter's pending invitations, not the org's. A guard
     * outlives its invitation's expiry, so callers check each invitation's state as of now.
     */
    public List<Invitation> pendingBy(String orgId, String inviterKey) {
        List<Read<Invitation>> reads = table.queryIndexKey(TableKeys.GSI1, "gsi1pk", TableKeys.PendingInvitation.gsi1pk(inviterKey),
                        "gsi1sk", TableKeys.PendingInvitation.gsi1sk(orgId)).stream()
                .map(hold -> hold.get("invitationId").s())
                .distinct()
                .map(id -> findRead(orgId, id))
                .toList();
        List<Invitation> found = new ArrayList<>();
        for (int from = 0; from < reads.size(); from += 100) {
            List<Read<Invitation>> chunk = reads.subList(from, Math.min(reads.size(), from + 100));
            Found items = table.read(new ArrayList<>(chunk));
            chunk.forEach(read -> items.get(read).ifPresent(found::add));
        }
        return found;
    }

    /** A check that the org has no active member with this emailKey. */
    public Write noActiveMember(String orgId, String emailKey) {
        return Write.of(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(table.name())
                .key(Table.key(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(emailKey)))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
    }

    /** The token item: its hash leads to the invitation. Old tokens stay, so old links can say why they stopped working. */
    public Write putToken(String tokenHash, Invitation invitation, Instant expiresAt) {
        return put(Map.of(
                "pk", AttributeValue.fromS(TableKeys.InvitationToken.pk(tokenHash)),
                "sk", AttributeValue.fromS(TableKeys.InvitationToken.sk()),
                "orgId", AttributeValue.fromS(invitation.orgId()),
                "invitationId", AttributeValue.fromS(invitation.id()),
                // So a link sent to an address later corrected says so (issue 15).
                "emailKey", AttributeValue.fromS(invitation.emailKey()),
                // So the accept page reads the invitation, its org and these projects in one request.
                "projectIds", AttributeValue.fromL(invitation.projects().stream()
                        .map(grant -> AttributeValue.fromS(grant.projectId())).toList()),
                // Kept a year after the link expires, then DynamoDB may drop it.
                "ttl", AttributeValue.fromN(Long.toString(expiresAt.plusSeconds(366L * 86400).getEpochSecond()))),
                "attribute_not_exists(pk)", Map.of());
    }

    /** Counts one invitation against the org's daily limit; fails (as a condition) at the limit. */
    public Write countInvite(String orgId, Instant now, int perDay) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return table.countUpTo(TableKeys.InviteQuota.pk(orgId), TableKeys.InviteQuota.sk(day.toString()), perDay,
                Table.dayCounterExpiry(day));
    }

    /**
     * Counts one invitation email against the deployment's daily ceiling (all orgs together, the
     * template's {@code DailyInviteCeiling}); fails (as a condition) at the ceiling.
     */
    public Write countAccountInvite(Instant now, int ceiling) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return table.countUpTo(TableKeys.AccountInviteQuota.pk(), TableKeys.AccountInviteQuota.sk(day.toString()), ceiling,
                Table.dayCounterExpiry(day));
    }

    /** Revokes a pending invitation that a new one replaces; fails (as a condition) unless still pending. */
    public Write revokeReplaced(String orgId, String invitationId, Instant now) {
        return close(orgId, invitationId, InvitationStatus.REVOKED, "#status = :pending", now, Map.of());
    }

    /**
     * Turns the invitation accepted, only while it is pending, unexpired and this token is a live
     * one of it (current, or next while a resend is being sent); otherwise the transaction fails
     * at this item.
     */
    public Write accept(Invitation invitation, String tokenHash, Instant now) {
        return close(invitation.orgId(), invitation.id(), InvitationStatus.ACCEPTED,
                "#status = :pending AND expiresAt > :now AND (tokenHash = :hash OR nextTokenHash = :hash)", now,
                Map.of(":hash", AttributeValue.fromS(tokenHash)));
    }

    /** Turns a pending invitation whose expiry has passed into expired; fails (as a condition) otherwise. */
    public Write expire(String orgId, String invitationId, Instant now) {
        return close(orgId, invitationId, InvitationStatus.EXPIRED, "#status = :pending AND expiresAt <= :now", now, Map.of());
    }

    /** Frees the address's pending slot if this invitation holds it. */
    public Write releasePending(String orgId, String emailKey, String invitationId) {
        return Write.of(TransactWriteItem.builder().delete(software.amazon.awssdk.services.dynamodb.model.Delete.builder()
                .tableName(table.name())
                .key(Table.key(TableKeys.PendingInvitation.pk(orgId), TableKeys.PendingInvitation.sk(emailKey)))
                .conditionExpression("attribute_not_exists(pk) OR invitationId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(invitationId)))
                .build()).build());
    }

    /**
     * Records SES's answer to one send, only while that send is the latest and still
     * {@code sending} (same sendCount): an answer to an older send, after a resend, changes
     * nothing. One transaction, with the message-id item when SES took the email.
     */
    public Recorded recordDelivery(Invitation invitation, Delivery delivery, Instant now) {
        return recordDelivery(invitation, delivery, now, "", Map.of());
    }

    /**
     * Records SES's answer to an invitation's first send, as {@link #recordDelivery} does. A send
     * SES refused is given back to the resend limits in the same write (the day's count drops by
     * one), as a refused resend is; the minute limit skips a send whose delivery {@code failed}.
     */
    public Recorded recordFirstSend(Invitation invitation, Delivery delivery, Instant now) {
        return delivery.messageId() != null ? recordDelivery(invitation, delivery, now)
                : recordDelivery(invitation, delivery, now, ", sendDayCount = sendDayCount - :one", Map.of());
    }

    /**
     * Records SES's answer to a resend, as {@link #recordDelivery} does, and settles its token and
     * limits in the same write. Taken: the new token becomes the current one and the old link
     * stops working. Refused: the new token goes (the link the invitee holds stays the current
     * one) and the send is given back to the limits: the day's count drops by one and
     * {@code lastSentAt} returns to {@code previousLastSentAt}. Only for that same send, so at
     * most once. A function killed mid-send leaves both links working and the send counted.
     */
    public Recorded recordResend(Invitation invitation, Delivery delivery, String tokenHash, Instant previousLastSentAt,
                                     Instant now) {
        if (delivery.messageId() != null) {
            return recordDelivery(invitation, delivery, now, ", tokenHash = :hash REMOVE nextTokenHash",
                    Map.of(":hash", AttributeValue.fromS(tokenHash)));
        }
        return recordDelivery(invitation, delivery, now,
                ", sendDayCount = sendDayCount - :one, lastSentAt = :previous REMOVE nextTokenHash",
                Map.of(":previous", AttributeValue.fromS(previousLastSentAt.toString())));
    }

    private Recorded recordDelivery(Invitation invitation, Delivery delivery, Instant now, String more,
                                        Map<String, AttributeValue> moreValues) {
        Map<String, AttributeValue> values = new HashMap<>(moreValues);
        values.put(":delivery", ItemCodec.toAttribute(Json.tree(delivery)));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":sending", AttributeValue.fromS(Delivery.Status.SENDING.value()));
        values.put(":sendCount", AttributeValue.fromN(Integer.toString(invitation.sendCount())));
        Write update = update(invitation.orgId(), invitation.id(),
                "SET delivery = :delivery, updatedAt = :now, version = version + :one" + more,
                "delivery.#status = :sending AND sendCount = :sendCount", values);
        if (delivery.messageId() == null) {
            return Recorded.of(table.transact(List.of(update)));
        }
        // SES reports bounces and complaints by message id: remember which invitation it was.
        return Recorded.of(table.transact(List.of(update, put(Map.of(
                "pk", AttributeValue.fromS(TableKeys.EmailMessage.pk(delivery.messageId())),
                "sk", AttributeValue.fromS(TableKeys.EmailMessage.sk()),
                "orgId", AttributeValue.fromS(invitation.orgId()),
                "invitationId", AttributeValue.fromS(invitation.id()),
                "ttl", AttributeValue.fromN(Long.toString(now.plusSeconds(60L * 86400).getEpochSecond()))), "attribute_not_exists(pk)", Map.of()))));
    }

    /** Which invitation an SES message id belongs to, if it was an invitation email. */
    public Optional<SentMessage> sentMessage(String messageId) {
        return table.get(TableKeys.EmailMessage.pk(messageId), TableKeys.EmailMessage.sk())
                .map(item -> new SentMessage(item.get("orgId").s(), item.get("invitationId").s()));
    }

    /**
     * Records what SES reported of the invitation's latest email, once and never backwards: only
     * while the delivery still names that message and has a status this report may replace
     * ({@link Delivery#replaceableBy}).
     */
    public Write recordFeedback(String orgId, String invitationId, Delivery delivery, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":delivery", ItemCodec.toAttribute(Json.tree(delivery)),
                ":now", AttributeValue.fromS(now.toString()),
                ":one", AttributeValue.fromN("1"),
                ":messageId", AttributeValue.fromS(delivery.messageId())));
        List<String> from = new ArrayList<>();
        for (Delivery.Status status : Delivery.replaceableBy(delivery.status())) {
            from.add(":from" + from.size());
            values.put(from.get(from.size() - 1), AttributeValue.fromS(status.value()));
        }
        return update(orgId, invitationId, "SET delivery = :delivery, updatedAt = :now, version = version + :one",
                "delivery.messageId = :messageId AND delivery.#status IN (" + String.join(", ", from) + ")", values);
    }

    /**
     * Ends a pending invitation as {@code to} (accepted, expired, revoked): the one shape of every
     * such change. It leaves the canonical-address index, so duplicate checks no longer see it.
     */
    private Write close(String orgId, String invitationId, InvitationStatus to, String condition, Instant now,
                        Map<String, AttributeValue> conditionValues) {
        Map<String, AttributeValue> values = new HashMap<>(conditionValues);
        values.put(":to", AttributeValue.fromS(to.json()));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        if (condition.contains(":pending")) {
            values.put(":pending", AttributeValue.fromS(InvitationStatus.PENDING.json()));
        }
        return update(orgId, invitationId, "SET #status = :to, updatedAt = :now, version = version + :one REMOVE gsi2pk, gsi2sk",
                condition, values);
    }

    /** One conditional update of an invitation item; every expression here names the status as {@code #status}. */
    private Write update(String orgId, String invitationId, String expression, String condition, Map<String, AttributeValue> values) {
        return Write.of(TransactWriteItem.builder().update(Update.builder()
                .tableName(table.name())
                .key(Table.key(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.sk(invitationId)))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)
                .build()).build());
    }

    private Write put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        Put.Builder put = Put.builder().tableName(table.name()).item(item).conditionExpression(condition);
        if (!values.isEmpty()) {
            put.expressionAttributeValues(values);
        }
        return Write.of(TransactWriteItem.builder().put(put.build()).build());
    }


    /** An invitation and how many times it was sent on {@code sendDay} (UTC). */
    public record SendState(Invitation invitation, String sendDay, int sendDayCount) {
        /** How many sends counted on {@code day} (UTC, {@code yyyy-mm-dd}): none on another day than the stored one. */
        int sendCountOn(String day) {
            return day.equals(sendDay) ? sendDayCount : 0;
        }
    }

    /** An invitation found by token, and whether that token is its current one. */
    public record TokenMatch(Invitation invitation, boolean current) {
    }

    /**
     * A token item: the invitation it leads to, and the projects that invitation grants (null on a
     * token written before tokens recorded them).
     */
    /** @param emailKey the address the link was sent to (absent on links sent before issue 15) */
    public record TokenRef(String tokenHash, String orgId, String invitationId, List<String> projectIds, String emailKey) {
    }

    /** Which invitation holds the pending guard of an address, and until when. */
    public record PendingHold(String invitationId, Instant expiresAt) {
    }

    /** The invitation an email SES accepted was for. */
    public record SentMessage(String orgId, String invitationId) {
    }

    /**
     * An invitation or member of the org on the same canonical address, as the index had it:
     * its id, address, emailKey, status as stored and (invitations) expiry.
     */
    public record SameAddress(Kind kind, String id, String email, String emailKey, String status, Instant expiresAt) {
        /** Which kind of item shares the address. */
        public enum Kind { MEMBER, INVITATION }

        /** A member that is still active. */
        public boolean isActiveMember() {
            return kind == Kind.MEMBER && MemberStatus.find(status).orElse(null) == MemberStatus.ACTIVE;
        }

        /** An invitation that is still pending at {@code now} (the rule of {@link Invitation#asOf}). */
        public boolean isPendingInvitationAt(Instant now) {
            return kind == Kind.INVITATION && InvitationStatus.find(status).orElse(null) == InvitationStatus.PENDING
                    && expiresAt != null && expiresAt.isAfter(now);
        }
    }

    /** What recording SES's answer to a send did. */
    public enum Recorded {
        /** The answer is stored on the invitation. */
        DONE,
        /** Nothing changed: a newer send replaced this one (or its answer is already in), and its state stands. */
        SUPERSEDED;

        private static Recorded of(WriteOutcome outcome) {
            return outcome.committed() ? DONE : SUPERSEDED;
        }
    }
}
