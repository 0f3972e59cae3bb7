package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.value.InvitationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The addresses an org's invitations go to, read from its invitation items for the duplicates
 * report. Only the few fields that report needs, as a record of this package, so {@code member}
 * reads invitations without depending on {@code io.tenure.invitation} (which sits above it).
 */
public final class InviteeStore {
    /**
     * The addressee of one invitation, with what says whether it is still pending.
     *
     * @param status    as stored; a pending one past {@code expiresAt} reads as expired
     */
    public record Invitee(String id, String email, String emailKey, InvitationStatus status, Instant expiresAt) {
        /** Whether the invitation reads as pending at {@code now}: the same rule as {@code Invitation.asOf}. */
        public boolean pendingAt(Instant now) {
            return status == InvitationStatus.PENDING && expiresAt.isAfter(now);
        }
    }

    private final Table table;

    public InviteeStore(Table table) {
        this.table = table;
    }

    /** An org's invitations' addressees and its members (active or not), from {@link #addressees}. */
    public record Addressees(List<Invitee> invitees, List<Member> members) {
    }

    /**
     * Every invitation's addressee and every member of the org, for the duplicates report: one
     * Query (a page per 1 MB) over the sort keys from {@code INV#} to {@code MEM#}, which sit next to
     * each other; the API keys' {@code KEY#} items between them are read and skipped.
     */
    public Addressees addressees(String orgId) {
        List<Invitee> invitees = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryBetween(TableKeys.Invitation.pk(orgId),
                TableKeys.Invitation.SK_PREFIX, TableKeys.Member.SK_PREFIX + Character.MAX_VALUE)) {
            String sk = item.get("sk").s();
            if (sk.startsWith(TableKeys.Invitation.SK_PREFIX)) {
                invitees.add(Json.read(ItemCodec.toJson(item), Invitee.class));
            } else if (sk.startsWith(TableKeys.Member.SK_PREFIX)) {
                members.add(Json.read(ItemCodec.toJson(item), Member.class));
            }
        }
        return new Addressees(invitees, members);
    }
}
