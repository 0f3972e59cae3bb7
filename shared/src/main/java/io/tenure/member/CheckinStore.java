package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.CheckinAnswer;
import io.tenure.value.EmailAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Check-in items: the check-in of a member ({@code ORG#<orgId> / CHECKIN#<memberId>}) with the
 * hashes of its two links, and one token item per link ({@code TOKEN#<hash> / CHECKIN}) naming the
 * check-in and the answer the link gives. The one place that knows how they are stored.
 */
public final class CheckinStore {
    /** What a failed condition of this store's writes means. */
    public enum Refusal {
        /** {@link #answer}: the check-in was answered, expired or reissued since it was read. */
        CHECKIN_CHANGED
    }

    /** What a link's token item says: which check-in, which answer, and whose link it is. */
    public record TokenRef(String tokenHash, String orgId, String memberId, CheckinAnswer answer, String inviterEmailKey) {
    }

    /** A check-in as read through one of its links: {@code current} is false once a newer email replaced the link. */
    public record Match(Checkin checkin, boolean current) {
    }

    private final Table table;

    public CheckinStore(Table table) {
        this.table = table;
    }

    /** What the token item of {@code tokenHash} says. One consistent GetItem. */
    public Optional<TokenRef> findToken(String tokenHash) {
        return table.get(TableKeys.CheckinToken.pk(tokenHash), TableKeys.CheckinToken.sk())
                .map(item -> new TokenRef(tokenHash, item.get("orgId").s(), item.get("memberId").s(),
                        CheckinAnswer.of(item.get("answer").s()), item.get("inviterEmailKey").s()));
    }

    /** The check-in a link leads to, and whether the link is still one of its two, as a read to batch with others. */
    public Read<Match> checkinRead(TokenRef ref) {
        return Read.of(TableKeys.Checkin.pk(ref.orgId()), TableKeys.Checkin.sk(ref.memberId()), item -> new Match(
                checkin(item), ref.tokenHash().equals(text(item, hashAttribute(ref.answer())))));
    }

    /** A member's check-in, when one was sent, as a read to batch with others. */
    public Read<Checkin> findRead(String orgId, String memberId) {
        return Read.of(TableKeys.Checkin.pk(orgId), TableKeys.Checkin.sk(memberId), CheckinStore::checkin);
    }

    private static Checkin checkin(Map<String, AttributeValue> item) {
        return new Checkin(item.get("orgId").s(), item.get("memberId").s(), item.get("memberEmail").s(),
                item.get("inviterEmail").s(), Instant.parse(item.get("sentAt").s()), Instant.parse(item.get("expiresAt").s()),
                item.containsKey("answer") ? CheckinAnswer.of(item.get("answer").s()) : null,
                item.containsKey("answeredAt") ? Instant.parse(item.get("answeredAt").s()) : null);
    }

    /** Reads items of this and other stores in one request ({@link Table#read}). */
    public Found read(Read<?>... reads) {
        return table.read(reads);
    }

    /** Commits writes of this and other stores as one transaction ({@link Table#transact}). */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    /**
     * Opens the check-in of {@code member}, asked of its inviter, with the hashes of its two links:
     * the check-in item (replacing an unanswered one, whose links never went out or are now
     * replaced) and a token item per link. Fails, as a condition, when the check-in was answered.
     */
    public List<Write> open(Member member, String keepHash, String removeHash, Instant now, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(TableKeys.Checkin.pk(member.orgId())));
        item.put("sk", AttributeValue.fromS(TableKeys.Checkin.sk(member.id())));
        item.put("orgId", AttributeValue.fromS(member.orgId()));
        item.put("memberId", AttributeValue.fromS(member.id()));
        item.put("memberEmail", AttributeValue.fromS(member.email()));
        item.put("inviterEmail", AttributeValue.fromS(member.invitedBy()));
        item.put("sentAt", AttributeValue.fromS(now.toString()));
        item.put("expiresAt", AttributeValue.fromS(expiresAt.toString()));
        item.put(hashAttribute(CheckinAnswer.KEEP), AttributeValue.fromS(keepHash));
        item.put(hashAttribute(CheckinAnswer.REMOVE), AttributeValue.fromS(removeHash));
        Write checkin = Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk) OR attribute_not_exists(answer)")
                .build()).build()).refusedAs(Refusal.CHECKIN_CHANGED);
        String inviterKey = EmailAddress.key(member.invitedBy());
        return List.of(checkin, token(keepHash, member, CheckinAnswer.KEEP, inviterKey, expiresAt),
                token(removeHash, member, CheckinAnswer.REMOVE, inviterKey, expiresAt));
    }

    /**
     * Answers a check-in through the link of {@code ref}: only while it is unanswered, unexpired
     * and the link is still one of its two ({@link Refusal#CHECKIN_CHANGED} otherwise), so of
     * two racing answers exactly one counts.
     */
    public Write answer(TokenRef ref, Instant now) {
        return Write.of(TransactWriteItem.builder().update(Update.builder()
                .tableName(table.name())
                .key(Table.key(TableKeys.Checkin.pk(ref.orgId()), TableKeys.Checkin.sk(ref.memberId())))
                .updateExpression("SET answer = :answer, answeredAt = :now")
                .conditionExpression("attribute_not_exists(answer) AND expiresAt > :now AND #hash = :hash")
                .expressionAttributeNames(Map.of("#hash", hashAttribute(ref.answer())))
                .expressionAttributeValues(Map.of(":answer", AttributeValue.fromS(ref.answer().json()),
                        ":now", AttributeValue.fromS(now.toString()), ":hash", AttributeValue.fromS(ref.tokenHash())))
                .build()).build()).refusedAs(Refusal.CHECKIN_CHANGED);
    }

    private Write token(String hash, Member member, CheckinAnswer answer, String inviterKey, Instant expiresAt) {
        return Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.CheckinToken.pk(hash)),
                        "sk", AttributeValue.fromS(TableKeys.CheckinToken.sk()),
                        "orgId", AttributeValue.fromS(member.orgId()),
                        "memberId", AttributeValue.fromS(member.id()),
                        "answer", AttributeValue.fromS(answer.json()),
                        "inviterEmailKey", AttributeValue.fromS(inviterKey),
                        // Kept a year after the links expire (so an old link can say why it stopped), then DynamoDB may drop it.
                        "ttl", AttributeValue.fromN(Long.toString(expiresAt.plusSeconds(366L * 86400).getEpochSecond()))))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
    }

    /** The check-in attribute holding the hash of the link that gives {@code answer}. */
    private static String hashAttribute(CheckinAnswer answer) {
        return answer == CheckinAnswer.KEEP ? "keepHash" : "removeHash";
    }

    private static String text(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }
}
