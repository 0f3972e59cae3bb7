package io.tenure.member;

import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;

/**
 * Decides what a caller may do in an org (SPEC §2): a caller who is not an active member with a
 * verified email gets 404, so nothing about other orgs leaks; a member without the admin role
 * gets 403.
 */
public final class MemberAccess {
    private final Table table;

    public MemberAccess(Table table) {
        this.table = table;
    }

    /** The caller's membership of the org, or 404. One consistent GetItem. */
    public Membership requireMember(Caller caller, String orgId) {
        if (!caller.emailVerified() || orgId == null || !orgId.startsWith("org_")) {
            throw new NotFoundException();
        }
        return table.get(TableKeys.MemberEmail.pk(orgId), TableKeys.MemberEmail.sk(caller.emailKey()))
                .map(item -> new Membership(orgId, item.get("memberId").s(), item.get("orgRole").s()))
                .orElseThrow(NotFoundException::new);
    }

    /** The caller's membership if they are an admin of the org; 404 or 403 otherwise. */
    public Membership requireAdmin(Caller caller, String orgId) {
        Membership membership = requireMember(caller, orgId);
        if (!membership.isAdmin()) {
            throw new ForbiddenException();
        }
        return membership;
    }
}
