package io.tenure.identity;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.id.Ids;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;

/**
 * Project API keys (SPEC §3, §8): the secret is returned once, at creation; only its SHA-256 is
 * stored. Revoking a key stops it at once.
 */
public final class ApiKeyService {
    private final ApiKeyStore store;
    private final OrgStore orgs;
    private final MemberAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;

    public ApiKeyService(ApiKeyStore store, OrgStore orgs, MemberAccess access, AuditLog audit, Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /**
     * Refuses (404, 403) a caller who may not manage the org's projects and API keys: org admins
     * only (SPEC §2). Run again before a repeated request is answered.
     */
    public void requireAdmin(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
    }

    /** What a repeat of a key's creation answers: the key without its secret, which is shown once. */
    public static ReplayedApiKey withoutSecret(CreatedApiKey created) {
        return new ReplayedApiKey(created.key(), true);
    }

    public CreatedApiKey create(Caller caller, String orgId, String projectId, ObjectNode body, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        orgs.findProject(orgId, projectId).orElseThrow(NotFoundException::new);
        String name = NewApiKey.read(body).name();

        byte[] bytes = new byte[32];
        // Randomness's generator, renewed after a SnapStart restore: never one kept in a static field.
        io.tenure.id.Randomness.secure().nextBytes(bytes);
        String secret = "tnr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String hash = io.tenure.id.Hashes.sha256Hex(secret);
        Instant now = clock.instant();
        ApiKey key = new ApiKey(ids.apiKey(), orgId, projectId, name, secret.substring(0, 8), false, now, caller.email());
        List<Write> writes = new ArrayList<>(store.create(key, hash));
        writes.add(audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()), "apikey.created",
                AuditEvent.Target.apiKey(key.id())).withChange("name", null, name).withNote("project " + projectId).from(origin),
                org.settings().auditRetentionDays()));
        store.commit(writes);
        return new CreatedApiKey(key, secret);
    }

    /** Revokes a key: its lookup goes, so the next call with it is 401. Revoking twice is fine. */
    public void revoke(Caller caller, String orgId, String projectId, String keyId, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        ApiKeyStore.KeyState stored = store.find(orgId, keyId)
                .filter(k -> projectId.equals(k.projectId()))
                .orElseThrow(NotFoundException::new);
        if (stored.revoked()) {
            return;
        }
        Instant now = clock.instant();
        List<Write> writes = new ArrayList<>(store.revoke(orgId, keyId, stored.secretHash()));
        writes.add(audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()), "apikey.revoked",
                AuditEvent.Target.apiKey(keyId)).withChange("revoked", false, true).from(origin),
                org.settings().auditRetentionDays()));
        store.commit(writes);
    }
}
