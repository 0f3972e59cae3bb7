package io.tenure.member;

import io.tenure.json.Json;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Members as seen by themselves (SPEC §3 {@code GET /me}). */
public final class MemberService {
    private final Table table;
    private final OrgStore orgs;
    private final MemberAccess access;

    public MemberService(Table table, OrgStore orgs, MemberAccess access) {
        this.table = table;
        this.orgs = orgs;
        this.access = access;
    }

    /**
     * The caller's active memberships, each with its org, roles, projects and access end. Found
     * by Query on GSI1 {@code EMAIL#<emailKey>}; each one also records the caller's activity.
     */
    public Me me(Caller caller) {
        caller.requireVerified();
        List<MyMembership> memberships = new ArrayList<>();
        for (var item : table.queryIndex(TableKeys.GSI1, "gsi1pk", TableKeys.Member.gsi1pk(caller.emailKey()))) {
            Member member = Json.read(ItemCodec.toJson(item), Member.class);
            if (!"active".equals(member.status())) {
                continue;
            }
            Optional<Organization> org = orgs.find(member.orgId());
            if (org.isEmpty()) {
                continue;
            }
            access.recordActivity(new Membership(member.orgId(), member.id(), member.orgRole()), member.emailKey(),
                    member.lastActiveAt());
            memberships.add(new MyMembership(member.orgId(), org.get().name(), org.get().slug(), member.id(),
                    member.orgRole(), member.projects(), member.accessEndsAt(), member.acceptedAt()));
        }
        memberships.sort(Comparator.comparing(MyMembership::orgName, String.CASE_INSENSITIVE_ORDER));
        return new Me(caller.sub(), caller.email(), memberships);
    }
}
