package io.tenure.store;

/**
 * Every key of the one table, in one place (docs/data-model.md explains each pattern). Each
 * entity states its key pattern here with static {@code pk()}/{@code sk()} builders; nothing else
 * concatenates key strings.
 */
public final class TableKeys {
    public static final String GSI1 = "GSI1";
    public static final String GSI2 = "GSI2";
    public static final String DUE_INDEX = "DueIndex";

    private TableKeys() {
    }

    /** Organization: {@code ORG#<orgId> / ORG}. */
    public static final class Org {
        public static String pk(String orgId) {
            return "ORG#" + orgId;
        }

        public static String sk() {
            return "ORG";
        }
    }

    /** Unique org slug: {@code SLUG#<slug> / SLUG}, holding the orgId. */
    public static final class Slug {
        public static String pk(String slug) {
            return "SLUG#" + slug;
        }

        public static String sk() {
            return "SLUG";
        }
    }

    /** Project: {@code ORG#<orgId> / PRJ#<projectId>}; list with begins_with {@code PRJ#}. */
    public static final class Project {
        public static final String SK_PREFIX = "PRJ#";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String projectId) {
            return SK_PREFIX + projectId;
        }
    }

    /**
     * Member: {@code ORG#<orgId> / MEM#<memberId>}. GSI1 {@code EMAIL#<emailKey> / ORG#<orgId>}
     * finds a person's memberships (GET /me); GSI2 {@code ORG#<orgId>#CANON#<canonical> / MEM#<id>}
     * finds variants of an address while the member is active.
     */
    public static final class Member {
        public static final String SK_PREFIX = "MEM#";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String memberId) {
            return SK_PREFIX + memberId;
        }

        public static String gsi1pk(String emailKey) {
            return "EMAIL#" + emailKey;
        }

        public static String gsi1sk(String orgId) {
            return "ORG#" + orgId;
        }

        public static String gsi2sk(String memberId) {
            return sk(memberId);
        }
    }

    /**
     * The active member of an org with one emailKey: {@code ORG#<orgId> / MEMBER_EMAIL#<emailKey>},
     * holding memberId and orgRole. It makes (org, emailKey) unique and answers "who is the caller
     * in this org" with one consistent GetItem.
     */
    public static final class MemberEmail {
        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String emailKey) {
            return "MEMBER_EMAIL#" + emailKey;
        }
    }

    /**
     * The addresses an org has seen on one canonical address: {@code ORG#<orgId> / ADDR#<canonical>},
     * holding {@code emailKeys} (a string set) of every invitation and member on it, ever. An invite
     * reads it with its other reads: a book holding no other address means no variant to warn about,
     * and the duplicate Query (GSI2) is skipped. Kept by orgs whose item says {@code addressBook}.
     */
    public static final class AddressBook {
        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String canonicalEmail) {
            return "ADDR#" + canonicalEmail;
        }
    }

    /**
     * The domains an org knows (issue 15): {@code ORG#<orgId> / DOMAINS}, a string set of the
     * domains of its members and of its invitations sent without a typo warning, for an invited
     * domain's typo suggestion.
     */
    public static final class DomainBook {
        public static final String SK = "DOMAINS";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }
    }

    /** Canonical address partition of GSI2, shared by pending invitations and active members. */
    public static final class Canonical {
        public static String gsi2pk(String orgId, String canonicalEmail) {
            return "ORG#" + orgId + "#CANON#" + canonicalEmail;
        }
    }

    /**
     * Access review (issue 14): a campaign {@code ORG#<orgId> / REVIEW#<campaignId>}, one item per
     * member it reviews {@code ORG#<orgId> / REVIEWITEM#<campaignId>#<memberId>}, and while one is
     * open {@code ORG#<orgId> / REVIEWOPEN} naming it (one open campaign per org).
     */
    public static final class Review {
        public static final String SK_PREFIX = "REVIEW#";
        public static final String OPEN_SK = "REVIEWOPEN";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String campaignId) {
            return SK_PREFIX + campaignId;
        }

        public static String itemPrefix(String campaignId) {
            return "REVIEWITEM#" + campaignId + "#";
        }

        public static String itemSk(String campaignId, String memberId) {
            return itemPrefix(campaignId) + memberId;
        }
    }

    /**
     * Invitation request (issue 14): {@code ORG#<orgId> / REQ#<requestId>}; listed by Query on
     * {@code REQ#}, newest first (status is computed at read time, as for invitations).
     */
    public static final class InvitationRequest {
        public static final String SK_PREFIX = "REQ#";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String requestId) {
            return SK_PREFIX + requestId;
        }
    }

    /**
     * Invitation: {@code ORG#<orgId> / INV#<invitationId>}; listed by Query on {@code INV#} (status
     * is computed at read time, so it cannot be a key); GSI2 canonical address while pending.
     */
    public static final class Invitation {
        public static final String SK_PREFIX = "INV#";

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String invitationId) {
            return SK_PREFIX + invitationId;
        }

        public static String gsi2sk(String invitationId) {
            return sk(invitationId);
        }
    }

    /**
     * The one pending invitation of (org, emailKey): {@code ORG#<orgId> / PENDING#<emailKey>},
     * holding invitationId and expiresAt, and (GSI1) its inviter. Its conditional put keeps racing
     * invites to one.
     */
    public static final class PendingInvitation {
        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String emailKey) {
            return "PENDING#" + emailKey;
        }

        /**
         * GSI1 entry of the guard while the invitation it holds for is pending: its inviter, so the
         * pending invitations of someone who lost access are found without reading the org's others.
         */
        public static String gsi1pk(String inviterEmailKey) {
            return "INVITER#" + inviterEmailKey;
        }

        public static String gsi1sk(String orgId) {
            return "ORG#" + orgId;
        }
    }

    /** Invitation token: {@code TOKEN#<sha256 hex> / TOKEN}, holding orgId and invitationId. */
    public static final class InvitationToken {
        public static String pk(String tokenHash) {
            return "TOKEN#" + tokenHash;
        }

        public static String sk() {
            return "TOKEN";
        }
    }

    /** The 30-day check-in of one member: {@code ORG#<orgId> / CHECKIN#<memberId>}, holding its two link hashes and its answer. */
    public static final class Checkin {
        public static String pk(String orgId) {
            return "ORG#" + orgId;
        }

        public static String sk(String memberId) {
            return "CHECKIN#" + memberId;
        }
    }

    /** A check-in link: {@code TOKEN#<sha256 hex> / CHECKIN}, holding orgId, memberId and the answer the link gives. */
    public static final class CheckinToken {
        public static String pk(String tokenHash) {
            return "TOKEN#" + tokenHash;
        }

        public static String sk() {
            return "CHECKIN";
        }
    }

    /** Invitations sent by an org on one UTC day: {@code ORG#<orgId> / QUOTA#INVITES#<yyyy-mm-dd>}. */
    public static final class InviteQuota {
        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String day) {
            return "QUOTA#INVITES#" + day;
        }
    }

    /**
     * Invitation emails the whole deployment sent on one UTC day (new invitations and resends, all
     * orgs): {@code QUOTA#INVITES / <yyyy-mm-dd>}, a conditional counter under the daily ceiling.
     */
    public static final class AccountInviteQuota {
        public static String pk() {
            return "QUOTA#INVITES";
        }

        public static String sk(String day) {
            return day;
        }
    }

    /**
     * Audit event: {@code ORG#<orgId>#AUDIT / AUD#<auditId>} (ULIDs sort by time, so newest first
     * is a reverse Query); GSI2 {@code TARGET#<targetId> / AUD#<auditId>} filters by target. The
     * org's events are one {@link HashChain} whose head is {@code ORG#<orgId>#AUDIT / HEAD}.
     */
    public static final class Audit {
        /** The sort key of the chain head, outside every range of event keys ({@code AUD#…}). */
        public static final String HEAD_SK = "HEAD";

        public static String pk(String orgId) {
            return "ORG#" + orgId + "#AUDIT";
        }

        public static String sk(String auditId) {
            return "AUD#" + auditId;
        }

        public static String gsi2pk(String targetId) {
            return "TARGET#" + targetId;
        }
    }

    /**
     * An Idempotency-Key of one caller: {@code IDEM#<callerSub>#<key> / IDEM}, holding the request's
     * fingerprint and, once done, its response; kept 24 h.
     */
    public static final class Idempotency {
        public static String pk(String callerSub, String key) {
            return "IDEM#" + callerSub + "#" + key;
        }

        public static String sk() {
            return "IDEM";
        }
    }

    /**
     * Scheduled work: {@code ORG#<orgId> / DUE#<kind>#<targetId>}, one item per step that is to
     * happen once. DueIndex (sparse) {@code DUE#<queue>#<shard> / <dueAt>#<kind>#<targetId>}: a run
     * finds what is due by Query with {@code dueSk <= now}, so its reads grow with the work due.
     */
    public static final class Due {
        public static final int SHARDS = 4;

        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String kind, String targetId) {
            return "DUE#" + kind + "#" + targetId;
        }

        public static String duePk(String queue, int shard) {
            return "DUE#" + queue + "#" + shard;
        }

        public static String duePk(String queue, String targetId) {
            return duePk(queue, Math.floorMod(targetId.hashCode(), SHARDS));
        }

        /** dueAt is formatted by the caller with whole seconds, so the strings sort as the times do. */
        public static String dueSk(String dueAt, String kind, String targetId) {
            return dueAt + "#" + kind + "#" + targetId;
        }
    }

    /** A project as the identify API sees it: {@code APP#<projectId> / APP}, holding orgId, settings and the HMAC key. */
    public static final class App {
        public static String pk(String appId) {
            return "APP#" + appId;
        }

        public static String sk() {
            return "APP";
        }
    }

    /** An API key of a project: {@code ORG#<orgId> / KEY#<keyId>} (name, prefix, revoked; never the secret). */
    public static final class ApiKey {
        public static String pk(String orgId) {
            return Org.pk(orgId);
        }

        public static String sk(String keyId) {
            return "KEY#" + keyId;
        }
    }

    /** An API key's lookup by secret: {@code APIKEY#<sha256(secret)> / APIKEY}, holding keyId, orgId, projectId. */
    public static final class ApiKeyLookup {
        public static String pk(String secretHash) {
            return "APIKEY#" + secretHash;
        }

        public static String sk() {
            return "APIKEY";
        }
    }

    /** An analytics identity of an app: {@code APP#<appId>#ID#<identity as stored> / IDENTITY}. */
    public static final class Identity {
        public static String pk(String appId, String storedIdentity) {
            return "APP#" + appId + "#ID#" + storedIdentity;
        }

        public static String sk() {
            return "IDENTITY";
        }
    }

    /** Which identity a user id of an app belongs to: {@code APP#<appId>#USER#<userId> / USER}. */
    public static final class IdentityUser {
        public static String pk(String appId, long userId) {
            return "APP#" + appId + "#USER#" + userId;
        }

        public static String sk() {
            return "USER";
        }
    }

    /**
     * A rate-limit window: {@code RATE#<scope>#<subject hash> / <window start epoch seconds>}, a
     * conditional counter. The subject is hashed, so no identity appears in a key.
     */
    public static final class RateWindow {
        public static String pk(String scope, String subjectHash) {
            return "RATE#" + scope + "#" + subjectHash;
        }

        public static String sk(long windowStart) {
            return Long.toString(windowStart);
        }
    }

    /** An invitation email SES accepted: {@code SESMSG#<messageId> / SESMSG}, holding orgId and invitationId, for bounces. */
    public static final class EmailMessage {
        public static String pk(String messageId) {
            return "SESMSG#" + messageId;
        }

        public static String sk() {
            return "SESMSG";
        }
    }
}
