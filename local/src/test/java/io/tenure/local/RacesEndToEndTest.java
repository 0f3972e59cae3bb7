package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Issue 9, races: 16 threads accept, resend, revoke, invite and change members at once, on a
 * small set of shared invitations, links and members, through the functions themselves
 * ({@code stack.invoke}: the Lambda handlers with their IAM policies, DynamoDB Local and the SES
 * emulator; no gateway throttle in the way). The race runs in rounds; between rounds the clock
 * moves a day and two minutes, so resend limits reset and the last round's one-day invitations
 * expire (old expired invitations then compete with new ones for their address). After every
 * round the table is read (Query of the org's partition and of its audit partition, no Scan) and
 * these invariants are checked, each check counted:
 * <ol>
 *   <li><b>one pending invitation per address</b>: per emailKey at most one invitation reads
 *       pending, its pending hold names it, and every live hold names a pending invitation;</li>
 *   <li><b>members and accepted invitations match</b>: every member but the founder came from an
 *       accepted invitation of its address, every accepted invitation made exactly one member,
 *       each active member has its member-email guard and each guard names an active member;</li>
 *   <li><b>versions strictly increase</b>: each successful member PATCH sets a unique stakeholder,
 *       so its audit event's [before, after] links it to the change before it. The chain from the
 *       first value must take in every member.updated event, and the k-th link must be the answer
 *       that reported version 1 + k: no two successes share a version (no lost update), versions
 *       follow the order of the changes, and the stored version is 1 + the number of changes.
 *       For invitations the same holds for {@code sendCount} through the invitation.resent events
 *       ([n, n + 1] chained from 1 to the stored count), and resend answers report distinct
 *       versions, each below the stored one;</li>
 *   <li><b>audit events match changes one to one</b> (by request id): each successful change has
 *       exactly one event of its action and target (a revoke of a revoked invitation may have
 *       none), no refused request has any, every new event belongs to a successful request, and
 *       per invitation there is one created event, an accepted (revoked) event exactly when it
 *       is accepted (revoked), and sendCount − 1 resent events.</li>
 * </ol>
 * Answers other than the expected refusals (any 5xx, a 404, a revoke refused as "accepted" on an
 * invitation that is not) are violations too. The test prints {@code races: N operations, M
 * invariant checks, K violations} and requires K = 0.
 */
class RacesEndToEndTest {
    private static final int THREADS = 16;
    private static final int ROUNDS = 16;
    private static final int OPS_PER_THREAD_PER_ROUND = 8;
    private static final int NEW_ADDRESSES_PER_ROUND = 4;
    /** An address stays in play this many rounds: its old invitations expire and compete with new ones. */
    private static final int ADDRESS_ROUNDS = 3;
    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static LocalStack stack;
    private static DynamoDbClient dynamo;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static String adminEmail;
    private static String orgId;
    private static String projectId;
    private static final Set<String> baselineAudit = new HashSet<>();

    /** Every request the test made through the functions, with its answer. */
    private static final Collection<Op> ledger = new ConcurrentLinkedQueue<>();
    private static final AtomicLong sequence = new AtomicLong();
    /** What the threads may aim at: addresses, invitations, links and members in play. */
    private static final List<String> addresses = new CopyOnWriteArrayList<>();
    private static final Map<String, String> invitationAddress = new ConcurrentHashMap<>();
    private static final List<String> tokens = new CopyOnWriteArrayList<>();
    private static final List<String> hotMembers = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicLong> knownVersion = new ConcurrentHashMap<>();
    private static final Map<String, Integer> memberRound = new ConcurrentHashMap<>();

    private static int checks;
    private static final List<String> violations = new ArrayList<>();

    enum Kind { ACCEPT, RESEND, REVOKE, PATCH, INVITE }

    /** One request and its answer; {@code raced} is false for the rounds' own setup invites. */
    record Op(long seq, Kind kind, boolean raced, String requestId, String target, String detail, int status,
              Map<String, Object> answer) {
        String code() {
            return answer == null ? null : (String) answer.get("code");
        }
    }

    @BeforeAll
    static void createOrg() {
        stack = SharedStack.get();
        dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(stack.dynamoDbEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        adminEmail = "race-admin-" + RUN + "@race.example";
        String[] admin = TestHttp.bearer(stack, adminEmail);
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Race Co " + RUN + "\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        projectId = (String) project.json().get("id");
        // Room for every invite the race makes in one (clock) day.
        TestHttp.Response settings = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"invitesPerDay\":500}}", admin);
        assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        auditItems().forEach(event -> baselineAudit.add((String) event.get("id")));
    }

    @AfterAll
    static void close() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void concurrentAcceptResendRevokeInviteAndPatchKeepEveryInvariant() throws Exception {
        long started = System.nanoTime();
        long seed = System.nanoTime();
        // Two members every round aims its PATCHes at, so those collide all along.
        for (String address : List.of(address("seed-a"), address("seed-b"))) {
            invite(address, false, false);
            refreshTokens();
            Op accepted = accept(Invitations.tokenFromEmail(stack, address), false);
            assertThat(accepted.status()).as(String.valueOf(accepted.answer())).isEqualTo(200);
            String memberId = (String) accepted.answer().get("id");
            knownVersion.put(memberId, new AtomicLong(1));
            hotMembers.add(memberId);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                startRound(round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    SplittableRandom random = new SplittableRandom(seed + round * 1_000L + t);
                    int currentRound = round;
                    threads.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < OPS_PER_THREAD_PER_ROUND; i++) {
                            if (i == OPS_PER_THREAD_PER_ROUND / 2 && random.nextInt(THREADS) == 0) {
                                // Time moves on mid-round (a minute), so more resends may go and old links age.
                                stack.clock().advance(Duration.ofSeconds(61));
                            }
                            randomOp(random, currentRound);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> thread : threads) {
                    thread.get(5, TimeUnit.MINUTES);
                }
                checkInvariants();
            }
        } finally {
            pool.shutdownNow();
        }
        checkVersionsAndAudit();
        settle();
        long raced = ledger.stream().filter(Op::raced).count();
        System.out.printf(Locale.ROOT, "races: %d operations, %d invariant checks, %d violations (%d threads, %d rounds, %.1f s,"
                        + " seed %d)%n", raced, checks, violations.size(), THREADS, ROUNDS, (System.nanoTime() - started) / 1e9, seed);
        System.out.println("races: answers " + outcomes());
        violations.stream().limit(30).forEach(v -> System.out.println("races: violation: " + v));
        removeMembers();

        assertThat(raced).isGreaterThanOrEqualTo(2_000);
        assertThat(violations).as("invariant violations").isEmpty();
    }

    // ------------------------------------------------------------------ the race

    /** New addresses for this round (each invited once, a one-day link), older ones leave play. */
    private static void startRound(int round) {
        if (round > 0) {
            stack.clock().advance(Duration.ofDays(1).plusMinutes(2));
        }
        for (int i = 0; i < NEW_ADDRESSES_PER_ROUND; i++) {
            String address = address("r" + round + "-" + i);
            addresses.add(address);
            invite(address, false, false);
        }
        while (addresses.size() > NEW_ADDRESSES_PER_ROUND * ADDRESS_ROUNDS) {
            String gone = addresses.remove(0);
            invitationAddress.values().removeIf(gone::equals);
        }
        hotMembers.removeIf(member -> memberRound.getOrDefault(member, 0) < round - 1 && memberRound.containsKey(member));
        refreshTokens();
    }

    private static void randomOp(SplittableRandom random, int round) {
        int roll = random.nextInt(100);
        if (roll < 25) {
            List<String> links = List.copyOf(tokens);
            if (!links.isEmpty()) {
                Op op = accept(links.get(random.nextInt(links.size())), true);
                if (op.status() == 200) {
                    String memberId = (String) op.answer().get("id");
                    knownVersion.put(memberId, new AtomicLong(1));
                    memberRound.put(memberId, round);
                    hotMembers.add(memberId);
                }
                return;
            }
        }
        if (roll < 47) {
            String invitation = pick(random, List.copyOf(invitationAddress.keySet()));
            if (invitation != null) {
                resend(invitation);
                return;
            }
        }
        if (roll < 52) {
            String invitation = pick(random, List.copyOf(invitationAddress.keySet()));
            if (invitation != null) {
                revoke(invitation);
                return;
            }
        }
        if (roll < 85) {
            String member = pick(random, List.copyOf(hotMembers));
            int mode = random.nextInt(100);
            long known = knownVersion.get(member).get();
            Long ifMatch = mode < 70 ? Long.valueOf(known) : mode < 85 ? Long.valueOf(Math.max(1, known - 1)) : null;
            patch(member, ifMatch);
            return;
        }
        invite(pick(random, List.copyOf(addresses)), random.nextBoolean(), true);
    }

    private static Op accept(String token, boolean raced) {
        return run(Kind.ACCEPT, raced, "AcceptFunction", "POST /invitations/accept", "/invitations/accept", Map.of(), Map.of(),
                "{\"token\":\"" + token + "\"}", false, token.substring(0, 8), null);
    }

    private static void resend(String invitationId) {
        run(Kind.RESEND, true, "ResendFunction", "POST /orgs/{orgId}/invitations/{invitationId}/resend",
                "/orgs/" + orgId + "/invitations/" + invitationId + "/resend",
                Map.of("orgId", orgId, "invitationId", invitationId), Map.of(), null, true, invitationId, null);
    }

    private static void revoke(String invitationId) {
        run(Kind.REVOKE, true, "RevokeFunction", "DELETE /orgs/{orgId}/invitations/{invitationId}",
                "/orgs/" + orgId + "/invitations/" + invitationId,
                Map.of("orgId", orgId, "invitationId", invitationId), Map.of(), null, true, invitationId, null);
    }

    private static void patch(String memberId, Long ifMatch) {
        long seq = sequence.incrementAndGet();
        String stakeholder = "stake-" + seq + "-" + RUN + "@race-stakeholders.example";
        Map<String, String> headers = ifMatch == null ? Map.of() : Map.of("if-match", "\"" + ifMatch + "\"");
        Op op = run(Kind.PATCH, true, "MembersFunction", "PATCH /orgs/{orgId}/members/{memberId}",
                "/orgs/" + orgId + "/members/" + memberId, Map.of("orgId", orgId, "memberId", memberId), headers,
                "{\"stakeholders\":[\"" + stakeholder + "\"],\"justification\":\"race " + seq + "\"}", true, memberId, stakeholder);
        if (op.status() == 200) {
            knownVersion.get(memberId).accumulateAndGet(((Number) op.answer().get("version")).longValue(), Math::max);
        }
    }

    private static Op invite(String address, boolean replaceExisting, boolean raced) {
        Op op = run(Kind.INVITE, raced, "InviteFunction", "POST /orgs/{orgId}/invitations", "/orgs/" + orgId + "/invitations",
                Map.of("orgId", orgId), Map.of(), "{\"email\":\"" + address + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\""
                        + projectId + "\",\"role\":\"viewer\"}],\"expiresInDays\":1,\"replaceExisting\":" + replaceExisting + "}",
                true, address, null);
        if (op.status() == 201) {
            invitationAddress.put((String) op.answer().get("id"), address);
        }
        return op;
    }

    /**
     * Invokes a function as the HTTP API would (payload format 2.0), with the admin's verified
     * claims where the route needs them, and records the answer in the ledger.
     */
    private static Op run(Kind kind, boolean raced, String function, String routeKey, String path, Map<String, String> pathParameters,
                          Map<String, String> extraHeaders, String body, boolean signedIn, String target, String detail) {
        long seq = sequence.incrementAndGet();
        String requestId = "race-" + RUN + "-" + seq;
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("content-type", "application/json");
        headers.put("user-agent", "races");
        Map<String, Object> http = Map.of("method", routeKey.substring(0, routeKey.indexOf(' ')), "path", path.split("\\?")[0],
                "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1", "userAgent", "races");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("http", http);
        context.put("timeEpoch", stack.clock().millis());
        if (signedIn) {
            context.put("authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", LocalAuthorizer.subjectFor(adminEmail),
                    "email", adminEmail, "email_verified", "true"))));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String rawQuery = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        if (!rawQuery.isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            event.put("queryStringParameters", query);
        }
        event.put("headers", headers);
        event.put("requestContext", context);
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        int status;
        Map<String, Object> answer = null;
        try {
            Map<String, Object> result = MAPPER.readValue(stack.invoke(function, MAPPER.writeValueAsString(event)),
                    new TypeReference<Map<String, Object>>() { });
            status = ((Number) result.get("statusCode")).intValue();
            String text = (String) result.get("body");
            if (text != null && text.startsWith("{")) {
                answer = MAPPER.readValue(text, new TypeReference<Map<String, Object>>() { });
            }
        } catch (Exception failure) {
            status = 599; // the invocation failed or timed out: never an expected answer
            answer = Map.of("failure", String.valueOf(failure));
        }
        Op op = new Op(seq, kind, raced, requestId, target, detail, status, answer);
        ledger.add(op);
        return op;
    }

    /** Every link ever emailed to an address in play, old ones (after resends) included. */
    @SuppressWarnings("unchecked")
    private static void refreshTokens() {
        List<String> fresh = new ArrayList<>();
        Set<String> inPlay = new HashSet<>(addresses);
        inPlay.addAll(List.of(address("seed-a"), address("seed-b")));
        for (Map<String, Object> email : SesMailbox.emails(stack.sesUrl())) {
            List<Object> to = (List<Object>) ((Map<String, Object>) email.get("destination")).get("to");
            Matcher link = LINK.matcher(SesMailbox.text(email));
            if (to.stream().anyMatch(a -> inPlay.contains(String.valueOf(a).toLowerCase(Locale.ROOT))) && link.find()) {
                fresh.add(link.group(1));
            }
        }
        tokens.clear();
        tokens.addAll(fresh);
    }

    // ------------------------------------------------------------------ invariants

    /** Invariants 1 and 2, on the table as it stands between rounds. */
    private static void checkInvariants() {
        Instant now = stack.clock().instant();
        List<Map<String, Object>> items = query("ORG#" + orgId);
        Map<String, Map<String, Object>> invitations = new HashMap<>();
        Map<String, Map<String, Object>> members = new HashMap<>();
        Map<String, Map<String, Object>> pendingHolds = new HashMap<>();
        Map<String, Map<String, Object>> memberGuards = new HashMap<>();
        for (Map<String, Object> item : items) {
            String sk = (String) item.get("sk");
            if (sk.startsWith("INV#")) {
                invitations.put((String) item.get("id"), item);
            } else if (sk.startsWith("MEM#")) {
                members.put((String) item.get("id"), item);
            } else if (sk.startsWith("PENDING#")) {
                pendingHolds.put(sk.substring("PENDING#".length()), item);
            } else if (sk.startsWith("MEMBER_EMAIL#")) {
                memberGuards.put(sk.substring("MEMBER_EMAIL#".length()), item);
            }
        }

        // 1. One pending invitation per address, held by its pending hold.
        Map<String, List<String>> pendingByAddress = new TreeMap<>();
        invitations.forEach((id, invitation) -> {
            if (readsPending(invitation, now)) {
                pendingByAddress.computeIfAbsent((String) invitation.get("emailKey"), k -> new ArrayList<>()).add(id);
            }
        });
        Set<String> emailKeys = new HashSet<>();
        invitations.values().forEach(invitation -> emailKeys.add((String) invitation.get("emailKey")));
        for (String emailKey : emailKeys) {
            List<String> pending = pendingByAddress.getOrDefault(emailKey, List.of());
            check(pending.size() <= 1, "two pending invitations for " + emailKey + ": " + pending);
            if (pending.size() == 1) {
                Map<String, Object> hold = pendingHolds.get(emailKey);
                check(hold != null && pending.get(0).equals(hold.get("invitationId")),
                        "the pending invitation " + pending.get(0) + " of " + emailKey + " is not the one its hold names: " + hold);
            }
        }
        pendingHolds.forEach((emailKey, hold) -> {
            if (Instant.parse((String) hold.get("expiresAt")).isAfter(now)) {
                Map<String, Object> invitation = invitations.get((String) hold.get("invitationId"));
                check(invitation != null && readsPending(invitation, now),
                        "the live pending hold of " + emailKey + " names an invitation that is not pending: " + hold);
            }
        });

        // 2. Members and accepted invitations, one to one; guards and active members, one to one.
        Map<String, List<String>> membersByInvitation = new HashMap<>();
        int founders = 0;
        for (Map<String, Object> member : members.values()) {
            String invitationId = (String) member.get("invitationId");
            if (invitationId == null) {
                founders++;
                continue;
            }
            membersByInvitation.computeIfAbsent(invitationId, k -> new ArrayList<>()).add((String) member.get("id"));
            Map<String, Object> invitation = invitations.get(invitationId);
            check(invitation != null && "accepted".equals(invitation.get("status"))
                            && Objects.equals(invitation.get("emailKey"), member.get("emailKey")),
                    "member " + member.get("id") + " has no accepted invitation of its address: " + invitationId);
        }
        check(founders == 1, founders + " members without an invitation; only the founder has none");
        invitations.forEach((id, invitation) -> {
            if ("accepted".equals(invitation.get("status"))) {
                List<String> made = membersByInvitation.getOrDefault(id, List.of());
                check(made.size() == 1, "accepted invitation " + id + " made " + made.size() + " members: " + made);
            }
        });
        Map<String, Integer> activeByAddress = new HashMap<>();
        for (Map<String, Object> member : members.values()) {
            if ("active".equals(member.get("status"))) {
                String emailKey = (String) member.get("emailKey");
                activeByAddress.merge(emailKey, 1, Integer::sum);
                Map<String, Object> guard = memberGuards.get(emailKey);
                check(guard != null && member.get("id").equals(guard.get("memberId")),
                        "active member " + member.get("id") + " is not the one its member-email guard names: " + guard);
            }
        }
        activeByAddress.forEach((emailKey, count) -> check(count == 1, count + " active members for " + emailKey));
        memberGuards.forEach((emailKey, guard) -> {
            Map<String, Object> member = members.get((String) guard.get("memberId"));
            check(member != null && "active".equals(member.get("status")) && emailKey.equals(member.get("emailKey")),
                    "the member-email guard of " + emailKey + " names no active member of that address: " + guard);
        });
    }

    private static boolean readsPending(Map<String, Object> invitation, Instant now) {
        return "pending".equals(invitation.get("status")) && Instant.parse((String) invitation.get("expiresAt")).isAfter(now);
    }

    /** Invariants 3 and 4, and the answers, over the whole ledger. */
    @SuppressWarnings("unchecked")
    private static void checkVersionsAndAudit() {
        List<Map<String, Object>> items = query("ORG#" + orgId);
        Map<String, Map<String, Object>> invitations = new HashMap<>();
        Map<String, Map<String, Object>> members = new HashMap<>();
        for (Map<String, Object> item : items) {
            String sk = (String) item.get("sk");
            if (sk.startsWith("INV#")) {
                invitations.put((String) item.get("id"), item);
            } else if (sk.startsWith("MEM#")) {
                members.put((String) item.get("id"), item);
            }
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> event : auditItems()) {
            if (!baselineAudit.contains((String) event.get("id"))) {
                events.add(event);
            }
        }
        Map<String, List<Map<String, Object>>> eventsByRequest = new HashMap<>();
        Map<String, List<Map<String, Object>>> eventsByTarget = new HashMap<>();
        for (Map<String, Object> event : events) {
            eventsByRequest.computeIfAbsent((String) event.get("requestId"), k -> new ArrayList<>()).add(event);
            eventsByTarget.computeIfAbsent(targetId(event), k -> new ArrayList<>()).add(event);
        }
        Map<String, Op> byRequest = new HashMap<>();
        ledger.forEach(op -> byRequest.put(op.requestId(), op));

        // The answers themselves: only the expected refusals.
        for (Op op : ledger) {
            int s = op.status();
            boolean expected = switch (op.kind()) {
                case ACCEPT -> s == 200 || s == 409 || s == 410;
                case RESEND -> s == 200 || s == 409 || s == 429;
                case REVOKE -> s == 204 || s == 409;
                case PATCH -> s == 200 || s == 412 || s == 428;
                case INVITE -> s == 201 || s == 409;
            };
            check(expected, op.kind() + " answered " + s + ": " + op.answer());
            if (op.kind() == Kind.REVOKE && s == 409 && String.valueOf(op.answer().get("detail")).contains("accepted")) {
                Map<String, Object> invitation = invitations.get(op.target());
                check(invitation != null && "accepted".equals(invitation.get("status")),
                        "revoke said " + op.target() + " was accepted, but it is " + (invitation == null ? null : invitation.get("status")));
            }
        }

        // 4. Audit events and changes, one to one, by request id.
        for (Op op : ledger) {
            List<Map<String, Object>> mine = eventsByRequest.getOrDefault(op.requestId(), List.of());
            boolean changed = op.status() == 200 || op.status() == 201 || op.status() == 204;
            if (!changed) {
                check(mine.isEmpty(), op.kind() + " refused with " + op.status() + " but wrote audit events: " + mine);
                continue;
            }
            switch (op.kind()) {
                case ACCEPT -> {
                    List<Map<String, Object>> accepted = only(mine, "invitation.accepted");
                    check(accepted.size() == 1 && mine.size() == 1, "accept " + op.requestId() + " has audit events " + mine);
                    if (accepted.size() == 1) {
                        String memberId = (String) op.answer().get("id");
                        Map<String, Object> member = members.get(memberId);
                        List<Object> memberChange = (List<Object>) ((Map<String, Object>) accepted.get(0).get("changes")).get("memberId");
                        check(member != null && targetId(accepted.get(0)).equals(member.get("invitationId"))
                                        && memberChange != null && memberId.equals(memberChange.get(1)),
                                "accept " + op.requestId() + " made member " + memberId + " but its audit event says " + accepted.get(0));
                    }
                }
                case RESEND -> {
                    List<Map<String, Object>> resent = only(mine, "invitation.resent");
                    check(resent.size() == 1 && mine.size() == 1 && op.target().equals(targetId(resent.get(0))),
                            "resend " + op.requestId() + " has audit events " + mine);
                    if (resent.size() == 1) {
                        List<Object> sendCount = (List<Object>) ((Map<String, Object>) resent.get(0).get("changes")).get("sendCount");
                        check(sendCount != null && number(sendCount.get(1)) == number(op.answer().get("sendCount")),
                                "resend " + op.requestId() + " answered sendCount " + op.answer().get("sendCount") + ", its event " + sendCount);
                    }
                }
                case REVOKE -> check(mine.size() <= 1 && only(mine, "invitation.revoked").size() == mine.size()
                                && mine.stream().allMatch(e -> op.target().equals(targetId(e))),
                        "revoke " + op.requestId() + " has audit events " + mine);
                case PATCH -> {
                    List<Map<String, Object>> updated = only(mine, "member.updated");
                    check(updated.size() == 1 && mine.size() == 1 && op.target().equals(targetId(updated.get(0))),
                            "member PATCH " + op.requestId() + " has audit events " + mine);
                }
                case INVITE -> {
                    String invitationId = (String) op.answer().get("id");
                    List<Map<String, Object>> created = only(mine, "invitation.created");
                    List<Map<String, Object>> replaced = only(mine, "invitation.revoked");
                    check(created.size() == 1 && invitationId.equals(targetId(created.get(0)))
                                    && replaced.size() <= 1 && created.size() + replaced.size() == mine.size(),
                            "invite " + op.requestId() + " has audit events " + mine);
                }
            }
        }
        for (Map<String, Object> event : events) {
            Op op = byRequest.get((String) event.get("requestId"));
            check(op != null && op.status() >= 200 && op.status() < 300,
                    "audit event " + event.get("action") + " " + event.get("id") + " belongs to no successful request: " + op);
        }
        invitations.forEach((id, invitation) -> {
            List<Map<String, Object>> trail = eventsByTarget.getOrDefault(id, List.of());
            String status = (String) invitation.get("status");
            check(only(trail, "invitation.created").size() == 1, "invitation " + id + " has no single created event");
            check(only(trail, "invitation.accepted").size() == ("accepted".equals(status) ? 1 : 0),
                    "invitation " + id + " is " + status + " with " + only(trail, "invitation.accepted").size() + " accepted events");
            check(only(trail, "invitation.revoked").size() == ("revoked".equals(status) ? 1 : 0),
                    "invitation " + id + " is " + status + " with " + only(trail, "invitation.revoked").size() + " revoked events");
        });

        // 3. Versions strictly increase: member PATCHes chained through their unique stakeholders.
        Map<String, List<Op>> patchesByMember = new HashMap<>();
        ledger.stream().filter(op -> op.kind() == Kind.PATCH && op.status() == 200)
                .forEach(op -> patchesByMember.computeIfAbsent(op.target(), k -> new ArrayList<>()).add(op));
        for (Map<String, Object> member : members.values()) {
            String memberId = (String) member.get("id");
            if (member.get("invitationId") == null) {
                continue; // the founder, changed by no one here
            }
            List<Op> answers = patchesByMember.getOrDefault(memberId, List.of());
            Map<String, Long> versionByStakeholder = new HashMap<>();
            Set<Long> versions = new HashSet<>();
            for (Op op : answers) {
                long version = number(op.answer().get("version"));
                check(versions.add(version), "two successful PATCHes of " + memberId + " both answered version " + version);
                // The audit records lists as their text: [stake-…].
                versionByStakeholder.put(String.valueOf(List.of(op.detail())), version);
            }
            check(number(member.get("version")) == 1 + answers.size(),
                    "member " + memberId + " is at version " + member.get("version") + " after " + answers.size() + " changes");
            Map<Object, Map<String, Object>> byBefore = new HashMap<>();
            List<Map<String, Object>> updates = only(eventsByTarget.getOrDefault(memberId, List.of()), "member.updated");
            for (Map<String, Object> event : updates) {
                List<Object> change = (List<Object>) ((Map<String, Object>) event.get("changes")).get("stakeholders");
                check(change != null && byBefore.put(String.valueOf(change.get(0)), event) == null,
                        "two changes of " + memberId + " started from the same stakeholders: " + change);
            }
            Object current = String.valueOf(List.of());
            for (int k = 1; k <= updates.size(); k++) {
                Map<String, Object> event = byBefore.get(current);
                if (event == null) {
                    check(false, "the change history of " + memberId + " breaks after " + (k - 1) + " of " + updates.size() + " changes");
                    break;
                }
                String after = String.valueOf(((List<Object>) ((Map<String, Object>) event.get("changes")).get("stakeholders")).get(1));
                Long version = versionByStakeholder.get(after);
                check(version != null && version == 1 + k, "change " + k + " of " + memberId + " answered version " + version);
                current = after;
            }
        }

        // 3, invitations: sendCount chained by the resent events; resend answers' versions distinct.
        Map<String, List<Op>> resendsByInvitation = new HashMap<>();
        ledger.stream().filter(op -> op.kind() == Kind.RESEND && op.status() == 200)
                .forEach(op -> resendsByInvitation.computeIfAbsent(op.target(), k -> new ArrayList<>()).add(op));
        invitations.forEach((id, invitation) -> {
            List<Map<String, Object>> resent = only(eventsByTarget.getOrDefault(id, List.of()), "invitation.resent");
            if (resent.isEmpty() && !resendsByInvitation.containsKey(id)) {
                return;
            }
            long stored = number(invitation.get("sendCount"));
            Set<Long> from = new HashSet<>();
            for (Map<String, Object> event : resent) {
                List<Object> change = (List<Object>) ((Map<String, Object>) event.get("changes")).get("sendCount");
                long before = number(change.get(0));
                check(number(change.get(1)) == before + 1 && from.add(before), "invitation " + id + " resent " + change);
            }
            check(stored == 1 + resent.size() && from.equals(range(1, stored)),
                    "invitation " + id + " has sendCount " + stored + " but resent events from " + from);
            Set<Long> versions = new HashSet<>();
            for (Op op : resendsByInvitation.getOrDefault(id, List.of())) {
                long version = number(op.answer().get("version"));
                check(versions.add(version) && version <= number(invitation.get("version")),
                        "resends of " + id + " answered version " + version + " twice or above the stored " + invitation.get("version"));
            }
        });
    }

    // ------------------------------------------------------------------ reading the table

    private static List<Map<String, Object>> auditItems() {
        // The events, not the chain's head (sk HEAD) beside them.
        return query("ORG#" + orgId + "#AUDIT").stream().filter(i -> ((String) i.get("sk")).startsWith("AUD#")).toList();
    }

    /**
     * Every item of one partition, by Query (the test reads the keys of docs/data-model.md:
     * shared's TableKeys is not on this module's classpath, so the key text is spelled here).
     */
    private static List<Map<String, Object>> query(String pk) {
        List<Map<String, Object>> items = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(stack.tableName()).consistentRead(true)
                        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))).build())
                .items().forEach(item -> items.add(plain(item)));
        return items;
    }

    private static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> map = new LinkedHashMap<>();
        item.forEach((k, v) -> map.put(k, plain(v)));
        return map;
    }

    private static Object plain(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            java.math.BigDecimal number = new java.math.BigDecimal(value.n());
            return number.scale() <= 0 ? (Object) number.longValueExact() : (Object) number.doubleValue();
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasL()) {
            return value.l().stream().map(RacesEndToEndTest::plain).toList();
        }
        if (value.hasM()) {
            return plain(value.m());
        }
        return null;
    }

    // ------------------------------------------------------------------ small helpers

    private static void check(boolean holds, String violation) {
        synchronized (violations) {
            checks++;
            if (!holds) {
                violations.add(violation);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String targetId(Map<String, Object> event) {
        return (String) ((Map<String, Object>) event.get("target")).get("id");
    }

    private static List<Map<String, Object>> only(List<Map<String, Object>> events, String action) {
        return events.stream().filter(e -> action.equals(e.get("action"))).toList();
    }

    private static long number(Object value) {
        return value == null ? -1 : ((Number) value).longValue();
    }

    private static Set<Long> range(long from, long toExclusive) {
        Set<Long> range = new HashSet<>();
        for (long i = from; i < toExclusive; i++) {
            range.add(i);
        }
        return range;
    }

    private static <T> T pick(SplittableRandom random, List<T> from) {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    private static String address(String name) {
        return "race-" + name + "-" + RUN + "@race-partner.example";
    }

    /** Answers per operation, status and code, e.g. {@code ACCEPT 410 invitation_used=123}. */
    private static Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        ledger.stream().filter(Op::raced)
                .forEach(op -> counts.merge(op.kind() + " " + op.status() + (op.code() == null ? "" : " " + op.code())
                        + (op.status() == 409 ? " (" + String.join(" ", List.of(String.valueOf(op.answer().get("detail")).split(" "))
                        .subList(0, 4)) + ")" : ""), 1L, Long::sum));
        return counts;
    }

    /**
     * Once the race is over, every invitation it left pending or expired can be revoked (204): no
     * state the race reached may block an admin. This also closes their due items, so none waits
     * for another test's sweep on the shared stack.
     */
    private static void settle() {
        for (String invitationId : query("ORG#" + orgId).stream().filter(i -> ((String) i.get("sk")).startsWith("INV#"))
                .filter(i -> !"accepted".equals(i.get("status")) && !"revoked".equals(i.get("status")))
                .map(i -> (String) i.get("id")).toList()) {
            Op op = run(Kind.REVOKE, false, "RevokeFunction", "DELETE /orgs/{orgId}/invitations/{invitationId}",
                    "/orgs/" + orgId + "/invitations/" + invitationId, Map.of("orgId", orgId, "invitationId", invitationId), Map.of(),
                    null, true, invitationId, null);
            check(op.status() == 204, "after the race, revoking " + invitationId + " answered " + op.status() + " " + op.answer());
        }
    }

    /** Removes the race's members, so their check-ins wait for no other test's reminders run. */
    private static void removeMembers() {
        for (Map<String, Object> member : query("ORG#" + orgId)) {
            if (((String) member.get("sk")).startsWith("MEM#") && member.get("invitationId") != null && "active".equals(member.get("status"))) {
                String memberId = (String) member.get("id");
                run(Kind.REVOKE, false, "MembersFunction", "DELETE /orgs/{orgId}/members/{memberId}", "/orgs/" + orgId + "/members/" + memberId + "?reason=race-over", Map.of("orgId", orgId, "memberId", memberId), Map.of(), null, true,
                        memberId, null);
            }
        }
    }
}
