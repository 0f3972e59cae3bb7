package io.tenure.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.error.RateLimitedException;
import io.tenure.error.UnauthenticatedException;
import io.tenure.error.ValidationFailedException;
import io.tenure.id.Ids;
import io.tenure.identity.IdentityStore.LinkOutcome;
import io.tenure.identity.IdentityStore.PropertiesOutcome;
import io.tenure.identity.IdentityStore.RequestWindow;
import io.tenure.identity.IdentityStore.Snapshot;
import io.tenure.json.Json;
import io.tenure.validation.BodyReader;
import io.tenure.validation.Timestamps;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Heap-compatible identify API (SPEC §8): its input rules, who may call it, its rate limits
 * and its answers; {@link IdentityStore} reads and writes the items. In the common case identify
 * makes two DynamoDB requests: one BatchGetItem (the app, the API key, the identity, the user id
 * link) and one transaction (the rate window, the link, the identity). An app's settings are
 * cached for a minute, for at most {@value #MAX_CACHED_APPS} apps; an app_id that is not a project
 * is never cached. Whether a project is archived is read fresh by that BatchGetItem, so archiving
 * stops its keys at once.
 *
 * <p>Every failure to authenticate is the same 401, whether the app_id exists or not, the key is
 * missing, wrong, revoked or another project's: nothing in the answer tells which.
 */
public final class IdentityService {
    static final long MAX_USER_ID = (1L << 53) - 1;
    private static final Set<String> REFUSED_IDENTITIES = Set.of("undefined", "null", "user");
    private static final Duration NEW_USER_WINDOW = Duration.ofDays(30);
    private static final int NEW_USERS_PER_WINDOW = 10;
    private static final int RATE_LIMIT = 30;
    private static final long RATE_WINDOW_SECONDS = 30;
    private static final int MAX_PROPERTIES_PER_CALL = 100;
    private static final int MAX_PROPERTIES = 1000;
    private static final Duration APP_CACHE = Duration.ofMinutes(1);
    /** Apps whose settings are kept; with more, the least recently used one goes. */
    static final int MAX_CACHED_APPS = 1000;
    /** The one answer to every request that does not authenticate (see the class comment). */
    static final String NOT_AUTHENTICATED = "A valid API key for this app_id is required: Authorization: Bearer <key>.";

    private final IdentityStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;
    private final RecentCache<App> apps;

    public IdentityService(IdentityStore store, AuditLog audit, Clock clock) {
        this(store, audit, clock, MAX_CACHED_APPS);
    }

    /** With room for {@code maxCachedApps} apps' settings (tests use a small one). */
    IdentityService(IdentityStore store, AuditLog audit, Clock clock, int maxCachedApps) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.apps = new RecentCache<>(maxCachedApps);
    }

    /** {@code POST /api/v1/identify}: links user_id to identity, once and for good. */
    public Map<String, Object> identify(String bearer, ObjectNode body) {
        Identify request = Identify.read(body, clock.instant());
        String appId = request.app_id();
        String identity = request.identity();
        Long userId = request.user_id();
        Instant at = request.timestamp();
        App app = app(appId);
        String stored = app.store(identity);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Snapshot read = store.read(appId, secretHash(bearer), stored, userId);
            authorize(read, bearer, appId, app, true);
            IdentityStore.Identity person = read.identity().orElse(null);
            LinkOutcome outcome;
            if (read.linkedIdentity().isPresent()) {
                if (!stored.equals(read.linkedIdentity().get())) {
                    throw new IdentityConflictException();
                }
                outcome = store.confirmLink(appId, stored, userId, person != null, window(now), at);
            } else {
                List<Long> recent = recent(person, now);
                if (recent.size() >= NEW_USERS_PER_WINDOW) {
                    long retry = recent.get(0) + NEW_USER_WINDOW.toSeconds() - now.getEpochSecond();
                    throw new RateLimitedException("This identity took " + NEW_USERS_PER_WINDOW + " new user ids in the last 30 days.", retry);
                }
                recent.add(now.getEpochSecond());
                outcome = store.link(appId, stored, userId, person, recent, window(now), at);
            }
            if (outcome == LinkOutcome.LINKED) {
                return Map.of("app_id", appId, "identity", stored, "user_id", userId);
            }
            if (outcome == LinkOutcome.RATE_LIMITED) {
                throw rateLimited(now);
            }
            // Changed since read: read again, up to three times.
            if (attempt >= 3) {
                throw new IdentityConflictException();
            }
        }
    }

    /** {@code POST /api/add_user_properties}: sets properties on an identity, creating it if new. */
    public Map<String, Object> addProperties(String bearer, ObjectNode body) {
        UserProperties request = UserProperties.read(body);
        String appId = request.app_id();
        String identity = request.identity();
        ObjectNode properties = request.properties();
        App app = app(appId);
        String stored = app.store(identity);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Snapshot read = store.read(appId, secretHash(bearer), stored, null);
            authorize(read, bearer, appId, app, true);
            IdentityStore.Identity person = read.identity().orElse(null);
            ObjectNode merged = Json.object();
            if (person != null && person.properties() != null) {
                merged.setAll(person.properties());
            }
            merged.setAll(properties);
            if (merged.size() > MAX_PROPERTIES) {
                throw ValidationFailedException.of("/properties", "would give this identity more than " + MAX_PROPERTIES + " properties");
            }
            PropertiesOutcome outcome = store.setProperties(appId, stored, person, merged, window(now), now);
            switch (outcome) {
                case SAVED:
                    return Map.of("app_id", appId, "identity", stored, "properties", merged.size());
                case TOO_LARGE:
                    throw ValidationFailedException.of("/properties", "would make this identity's properties larger than can be stored");
                case RATE_LIMITED:
                    throw rateLimited(now);
                default:
                    // Changed since read: read again, up to three times.
                    if (attempt >= 3) {
                        throw new io.tenure.error.InvalidStateException("The identity changed while its properties were being set; retry.");
                    }
            }
        }
    }

    /** {@code GET /api/v1/identity}: the identity a user id belongs to. */
    public Map<String, Object> identityOf(String bearer, String appId, String rawUserId) {
        // Input first: a 422 must not depend on whether the app_id exists.
        required("/app_id", appId);
        long userId = parseUserId(rawUserId);
        App app = app(appId);
        Snapshot read = store.read(appId, secretHash(bearer), null, userId);
        authorize(read, bearer, appId, app, false);
        String linked = read.linkedIdentity().orElseThrow(() -> new NotFoundException("No identity for this user_id."));
        return Map.of("identity", linked);
    }

    /** {@code GET /api/v1/users}: an identity with its user ids, properties and first and last seen. */
    public Map<String, Object> user(String bearer, String appId, String identity) {
        required("/app_id", appId);
        String checked = checkedIdentity(identity);
        App app = app(appId);
        String stored = app.lookup(checked);
        Snapshot read = store.read(appId, secretHash(bearer), stored, null);
        authorize(read, bearer, appId, app, false);
        IdentityStore.Identity person = read.identity().orElseThrow(() -> new NotFoundException("No such identity."));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("app_id", appId);
        user.put("identity", stored);
        user.put("userIds", person.userIds());
        user.put("properties", person.properties() == null ? null : Json.MAPPER.convertValue(person.properties(), Map.class));
        user.put("firstSeen", person.firstSeen());
        user.put("lastSeen", person.lastSeen());
        return user;
    }

    /**
     * {@code DELETE /api/v1/users}: erases the identity and every user id link to it (GDPR
     * erasure). The audit event records that an erasure happened and how many links went, never
     * the identity.
     */
    public void erase(String bearer, String appId, String identity, RequestOrigin origin) {
        required("/app_id", appId);
        String checked = checkedIdentity(identity);
        App app = app(appId);
        String stored = app.lookup(checked);
        Snapshot read = store.read(appId, secretHash(bearer), stored, null);
        String keyId = authorize(read, bearer, appId, app, false);
        IdentityStore.Identity person = read.identity().orElse(null);
        if (person == null) {
            return;
        }
        List<Long> userIds = person.userIds();
        boolean erased = store.erase(appId, stored, userIds, () -> audit.put(AuditEvent.of(ids.audit(), app.orgId(), clock.instant(),
                new Actor("apiKey", keyId, null), "identity.erased", AuditEvent.Target.app(appId))
                .withChange("userIds", userIds.size(), 0).withNote("erasure of one identity and its user ids")
                .from(origin.requestIdOnly()), 400));
        if (!erased) {
            // A cancelled batch deleted nothing; answering 204 would tell the caller an erasure
            // happened that did not. 409: retrying is safe, since links already gone pass their condition.
            throw new io.tenure.error.InvalidStateException(
                    "The identity's user ids changed while it was being erased; nothing more was deleted. Retry the erasure.");
        }
    }

    // ------------------------------------------------------------------ reads and checks

    /**
     * The app's identify settings, cached. An app_id that is no project answers the uniform 401
     * and is not cached, so made-up app_ids cannot fill the cache.
     */
    private App app(String appId) {
        Instant now = clock.instant();
        App cached = apps.get(appId, now);
        if (cached != null) {
            return cached;
        }
        App app = store.app(appId)
                .map(s -> new App(appId, s.orgId(), "hmac-sha256".equals(s.identityHashing()), s.keylessIdentify(), s.hmacKey()))
                .orElseThrow(IdentityService::notAuthenticated);
        apps.put(appId, app, now.plus(APP_CACHE));
        return app;
    }

    /** How many apps' settings are cached now. */
    int cachedApps() {
        return apps.size();
    }

    private static UnauthenticatedException notAuthenticated() {
        return new UnauthenticatedException(NOT_AUTHENTICATED);
    }

    /** The hash under which a sent API key is looked up; null when none was sent. */
    private static String secretHash(String bearer) {
        return bearer == null ? null : io.tenure.id.Hashes.sha256Hex(bearer);
    }

    /**
     * The id of the API key that may make this call, or {@code keyless} on a route and project
     * that allow calls without one. A missing, wrong or revoked key, another project's key, and a
     * keyless call the project does not allow all get the same 401. A valid key of an archived
     * project gets 403: its holder learns only what their key already says, and nobody else
     * learns anything.
     */
    private static String authorize(Snapshot read, String bearer, String appId, App app, boolean keylessRoute) {
        if (!read.appFound()) {
            throw notAuthenticated();
        }
        if (bearer == null) {
            if (keylessRoute && app.keyless() && !read.archived()) {
                return "keyless";
            }
            throw notAuthenticated();
        }
        IdentityStore.ApiKeyLookup key = read.key().orElse(null);
        if (key == null || !appId.equals(key.projectId())) {
            throw notAuthenticated();
        }
        if (read.archived()) {
            throw new ForbiddenException("This project is archived: its API keys are refused until an admin unarchives it.");
        }
        return key.keyId();
    }

    /** The per-identity request window {@code now} falls in: {@value #RATE_LIMIT} requests per {@value #RATE_WINDOW_SECONDS} s. */
    private static RequestWindow window(Instant now) {
        return new RequestWindow(now.getEpochSecond() - now.getEpochSecond() % RATE_WINDOW_SECONDS, RATE_LIMIT);
    }

    private static RateLimitedException rateLimited(Instant now) {
        long windowEnd = now.getEpochSecond() - now.getEpochSecond() % RATE_WINDOW_SECONDS + RATE_WINDOW_SECONDS;
        return new RateLimitedException("More than " + RATE_LIMIT + " requests in 30 seconds for this identity.",
                windowEnd - now.getEpochSecond());
    }

    /** New user ids of the last 30 days, oldest first. */
    private static List<Long> recent(IdentityStore.Identity person, Instant now) {
        List<Long> recent = new ArrayList<>();
        if (person != null) {
            long since = now.minus(NEW_USER_WINDOW).getEpochSecond();
            person.recent().stream().filter(t -> t > since).sorted().forEach(recent::add);
        }
        return recent;
    }

    // ------------------------------------------------------------------ input

    static String identity(BodyReader in) {
        JsonNode node = in.node("identity");
        if (node == null || !node.isTextual()) {
            in.error("/identity", node == null ? "is required" : "must be a string");
            return null;
        }
        String problem = identityProblem(node.asText());
        if (problem != null) {
            in.error("/identity", problem);
            return null;
        }
        return node.asText();
    }

    private static String checkedIdentity(String identity) {
        String problem = identity == null ? "is required" : identityProblem(identity);
        if (problem != null) {
            throw ValidationFailedException.of("/identity", problem);
        }
        return identity;
    }

    private static String identityProblem(String identity) {
        int length = identity.codePointCount(0, identity.length());
        if (length < 1 || length > 255 || identity.isBlank()) {
            return "must be 1 to 255 characters";
        }
        if (REFUSED_IDENTITIES.contains(identity.toLowerCase(Locale.ROOT))) {
            return "must be a real identity, not \"undefined\", \"null\" or \"user\"";
        }
        if (identity.chars().anyMatch(c -> c < 0x20)) {
            return "must not contain control characters";
        }
        return null;
    }

    static Long userId(BodyReader in, JsonNode node) {
        if (node == null || node.isNull()) {
            in.error("/user_id", "is required");
            return null;
        }
        if (!node.isIntegralNumber() || node.bigIntegerValue().signum() < 0
                || node.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(MAX_USER_ID)) > 0) {
            in.error("/user_id", "must be a whole number from 0 to 2^53-1");
            return null;
        }
        return node.asLong();
    }

    private static long parseUserId(String raw) {
        try {
            long value = Long.parseLong(required("/user_id", raw));
            if (value >= 0 && value <= MAX_USER_ID) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ValidationFailedException.of("/user_id", "must be a whole number from 0 to 2^53-1");
    }

    static Instant timestamp(BodyReader in, Instant now) {
        JsonNode node = in.node("timestamp");
        if (node == null) {
            return now;
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return Instant.ofEpochMilli(node.asLong());
            }
            if (node.isTextual()) {
                return Timestamps.parse(node.asText());
            }
        } catch (java.time.DateTimeException e) {
            // falls through
        }
        in.error("/timestamp", "must be an ISO-8601 UTC time or epoch milliseconds");
        return now;
    }

    /** The properties sent, as they are to be stored: strings, and numbers without trailing zeros. */
    static ObjectNode properties(BodyReader in, JsonNode node) {
        ObjectNode properties = Json.object();
        if (node == null || !node.isObject()) {
            in.error("/properties", node == null ? "is required" : "must be an object of names to values");
            return properties;
        }
        if (node.size() > MAX_PROPERTIES_PER_CALL) {
            in.error("/properties", "must hold at most " + MAX_PROPERTIES_PER_CALL + " properties per call");
            return properties;
        }
        node.fields().forEachRemaining(e -> {
            String name = e.getKey();
            String pointer = "/properties/" + name.replace("~", "~0").replace("/", "~1");
            JsonNode value = e.getValue();
            if (name.isEmpty() || name.length() > 512) {
                in.error(pointer, "names must be 1 to 512 characters");
            } else if (name.equalsIgnoreCase("id") || name.equalsIgnoreCase("user_id")) {
                in.error(pointer, "is reserved: \"id\" and \"user_id\" cannot be set as properties");
            } else if (value.isTextual() && value.asText().length() < 1024) {
                properties.put(name, value.asText());
            } else if (value.isNumber()) {
                String problem = numberProblem(value);
                if (problem != null) {
                    in.error(pointer, problem);
                } else {
                    // DecimalNode as is: the store writes it with toPlainString, as before.
                    properties.set(name, DecimalNode.valueOf(storable(value)));
                }
            } else {
                in.error(pointer, "must be a string or a number shorter than 1,024 characters");
            }
        });
        return properties;
    }

    /** Smallest and largest magnitudes a DynamoDB number holds. */
    private static final BigDecimal DYNAMO_MIN = new BigDecimal("1E-130");
    private static final BigDecimal DYNAMO_LIMIT = new BigDecimal("1E126");

    /**
     * Why DynamoDB cannot store this number, or null: at most 38 significant digits, magnitude
     * 1E-130 up to (not including) 1E126. Checked here so the write does not fail as a 500.
     * Bodies are read as BigDecimal ({@link io.tenure.json.Json}), so 1e400 is a number too.
     */
    static String numberProblem(JsonNode value) {
        BigDecimal number = storable(value);
        BigDecimal magnitude = number.abs();
        if (number.signum() != 0 && (magnitude.compareTo(DYNAMO_MIN) < 0 || magnitude.compareTo(DYNAMO_LIMIT) >= 0)) {
            return "must be a number from 1E-130 to 9.99E125 in size, or 0";
        }
        if (number.precision() > 38) {
            return "must have at most 38 significant digits; send it as a string";
        }
        return null;
    }

    /** The number as sent, without trailing zeros. */
    private static BigDecimal storable(JsonNode value) {
        BigDecimal number = value.decimalValue();
        return number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
    }

    private static String required(String pointer, String value) {
        if (value == null || value.isBlank()) {
            throw ValidationFailedException.of(pointer, "is required");
        }
        return value;
    }


    /** What identify needs to know of a project. */
    private record App(String appId, String orgId, boolean hashing, boolean keyless, String hmacKey) {
        /** The identity as stored and returned: raw, or {@code h1:<hex>} with hashing on. */
        String store(String identity) {
            return hashing && hmacKey != null ? Secrets.hmacIdentity(hmacKey, identity) : identity;
        }

        /** An identity to look up: with hashing on, one already in its {@code h1:} form is taken as is. */
        String lookup(String identity) {
            return hashing && identity.startsWith("h1:") ? identity : store(identity);
        }
    }

}
