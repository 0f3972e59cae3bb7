package io.tenure.member;

import io.tenure.access.Member;

import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import java.util.List;
import java.util.Optional;

/** Reads members: one by id, or every member of an org (one Query on the org's {@code MEM#} items). */
public final class MemberDirectory {
    private final Table table;

    public MemberDirectory(Table table) {
        this.table = table;
    }

    public Optional<Member> find(String orgId, String memberId) {
        return table.get(TableKeys.Member.pk(orgId), TableKeys.Member.sk(memberId))
                .map(item -> Json.read(ItemCodec.toJson(item), Member.class));
    }

    public List<Member> all(String orgId) {
        return table.queryPrefix(TableKeys.Member.pk(orgId), TableKeys.Member.SK_PREFIX).stream()
                .map(item -> Json.read(ItemCodec.toJson(item), Member.class))
                .toList();
    }
}
