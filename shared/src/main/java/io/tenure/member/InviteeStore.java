package io.tenure.member;

import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.value.InvitationStatus;
import java.time.Instant;
import java.util.List;

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

    /** The addressee of every invitation of the org, whatever its status. One Query on the org's {@code INV#} items. */
    public List<Invitee> all(String orgId) {
        return table.queryPrefix(TableKeys.Invitation.pk(orgId), TableKeys.Invitation.SK_PREFIX).stream()
                .map(item -> Json.read(ItemCodec.toJson(item), Invitee.class))
                .toList();
    }
}
