package io.tenure.access;

import io.tenure.value.OrgRole;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a member's due steps (warnings, removal, check-in) carry, so a run reads little else.
 * Stored as the due item's payload, under these JSON names.
 */
public record MemberDue(String memberId, String email, String emailKey, String inviterEmail, List<String> stakeholders,
                        String accessEndsAt, String acceptedAt, OrgRole orgRole) {
    public static MemberDue of(Member member) {
        return new MemberDue(member.id(), member.email(), member.emailKey(), member.invitedBy(),
                member.stakeholders() == null ? List.of() : member.stakeholders(),
                member.accessEndsAt() == null ? null : member.accessEndsAt().toString(),
                member.acceptedAt() == null ? null : member.acceptedAt().toString(), member.orgRole());
    }

    /** The inviter first, then the stakeholders, each once: who hears about this member's access. */
    public List<String> inviterAndStakeholders() {
        Set<String> all = new LinkedHashSet<>();
        if (inviterEmail != null) {
            all.add(inviterEmail);
        }
        if (stakeholders != null) {
            all.addAll(stakeholders);
        }
        return new ArrayList<>(all);
    }
}
