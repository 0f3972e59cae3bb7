package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.access.MemberStore;
import io.tenure.store.Page;
import io.tenure.store.Table;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads members for the features above access: one by id, every member of an org, a filtered
 * page of them, or one person's members across orgs. The reads themselves are {@link MemberStore}'s.
 */
public final class MemberDirectory {
    private final MemberStore store;

    public MemberDirectory(MemberStore store) {
        this.store = store;
    }

    /** As {@link #MemberDirectory(MemberStore)}, with a store on {@code table}. */
    public MemberDirectory(Table table) {
        this(new MemberStore(table));
    }

    /** One member of the org (active or removed). One consistent GetItem. */
    public Optional<Member> find(String orgId, String memberId) {
        return store.find(orgId, memberId);
    }

    /** Every member of the org (active and removed), oldest first. One Query on the org's {@code MEM#} items. */
    public List<Member> all(String orgId) {
        return store.all(orgId);
    }

    /** Up to {@code limit} of the org's members that pass {@code keep}, oldest first, after {@code afterSk}. */
    public Page<Member> page(String orgId, int limit, String afterSk, Predicate<Member> keep) {
        return store.page(orgId, limit, afterSk, keep);
    }

    /** The members of every org with this emailKey (eventually consistent: GSI1). */
    public List<Member> withEmail(String emailKey) {
        return store.withEmail(emailKey);
    }
}
