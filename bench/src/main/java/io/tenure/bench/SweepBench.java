package io.tenure.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailTemplates;
import io.tenure.email.SesEmailSender;
import io.tenure.lifecycle.ExpirySweep;
import io.tenure.lifecycle.Reminders;
import io.tenure.local.LocalStack;
import io.tenure.org.OrgStore;
import io.tenure.runtime.SdkClients;
import io.tenure.runtime.WholeSecondClock;
import io.tenure.schedule.Deadline;
import io.tenure.schedule.RunSummary;
import io.tenure.store.Table;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Sweeps at scale: on a local stack of its own, seeds {@code items} invitations and members (half
 * each, 1% of them due), then runs the real {@link Reminders} and {@link ExpirySweep}, wired as
 * {@code io.tenure.runtime.Services} wires them, and a Scan-based baseline written only here, and
 * counts the items each read per due item ({@link ReadCounter}).
 *
 * <p>The seed items are the real code's: through the stack's API one org gets a pending invitation
 * and a member (invited, accepted, with an access end); every item the real stores wrote for them
 * is then copied with its ids, address, token hash and message id varied per copy (one org per
 * {@value #ORG_SIZE} copies, its org, admin and project items copied too), by BatchWriteItem, 25 a
 * request, four requests at a time. The copies that are not due get their due items' times moved to
 * 2099; the due ones keep the times the real code planned, and the runs happen on a clock past them.
 */
final class SweepBench {
    static final int ORG_SIZE = 100;
    /** What the sweep section says of how it measures, with the Scan baseline's cap in minutes. */
    static String description(int scanMinutes) {
        return """
            The benchmark seeds DynamoDB Local with invitations and members (half each; 1%% of them due), all
            copies of the items the real code wrote through the API for one pending invitation and one member
            (invited, accepted, access ending in 20 days), with ids, addresses, token hashes and message ids
            varied per copy, %d copies per org (its org, admin and project items copied too). Audit events and
            the org's quarterly review item are not copied. The runs are the real `Reminders` then the real
            `ExpirySweep` (as `runtime.Services` wires them; emails go to the SES emulator) on a clock 31 days
            ahead, past every planned step of the due copies; the not-due copies' steps are moved to 2099.
            *Items read* counts, with an SDK interceptor on the runs' DynamoDB client, each Query's and Scan's
            ScannedCount, each BatchGetItem's returned items and each GetItem that found an item. The baseline
            Scans the whole table with a filter for the due items (finding them only, doing no step), for at
            most %d minutes: DynamoDB Local pages a Scan ever slower as it goes (a full Scan of 805,000 items did
            not end in 20 minutes), so a Scan stopped at that cap reports what it had read by then, with the
            share of the table that is, and the wall time a whole Scan would take at its average pace so far (a
            lower bound). Goal: at most 1.1 items read per due item.
            """.formatted(ORG_SIZE, scanMinutes);
    }

    private SweepBench() {
    }

    static List<SweepFigures> run(Path root, int items, int scanMinutes) throws Exception {
        try (LocalStack stack = LocalStack.start(BenchStack.options(root))) {
            ReadCounter counter = new ReadCounter();
            DynamoDbClient dynamo = DynamoDbClient.builder()
                    .endpointOverride(URI.create(stack.dynamoDbEndpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            String table = stack.tableName();
            Templates templates = Templates.make(stack, root);
            List<Map<String, AttributeValue>> all = scanAll(dynamo, table);
            Seeding seeding = new Seeding(templates, all);
            long seedStart = System.nanoTime();
            int written = seeding.write(dynamo, table, items);
            System.out.printf("[bench] sweep: seeded %d entities (%d items) in %.0f s%n", items, written,
                    (System.nanoTime() - seedStart) / 1e9);

            Instant at = Instant.now().plus(Duration.ofDays(31)).truncatedTo(ChronoUnit.SECONDS);
            Clock clock = new WholeSecondClock(Clock.fixed(at, java.time.ZoneOffset.UTC));
            Table tableOf = new Table(dynamo, table);
            OrgStore orgs = new OrgStore(tableOf);
            AuditLog audit = new AuditLog();
            SesEmailSender email = new SesEmailSender(SdkClients.sesV2(),
                    stack.template().functions().get(0).environment().getOrDefault("SENDER_EMAIL", "no-reply@tenure.local"), null);

            List<SweepFigures> out = new ArrayList<>();
            // The baseline first: it only reads, and finds the due items before the real runs do them.
            SweepFigures baseline = scanBaseline(dynamo, counter, table, items, written + all.size(), seeding.dueBefore(at),
                    Duration.ofMinutes(scanMinutes));
            counter.reset();
            long start = System.nanoTime();
            RunSummary reminders = new Reminders(tableOf, orgs, audit, email, new EmailTemplates(), "https://tenure.example", clock).run(Deadline.none());
            out.add(new SweepFigures("Reminders (real)", items, reminders.found(), counter.read(), (System.nanoTime() - start) / 1e6,
                    counter.byCall()));
            System.out.println("[bench] sweep: reminders " + reminders.reported());
            counter.reset();
            start = System.nanoTime();
            RunSummary sweep = new ExpirySweep(tableOf, orgs, audit, email, new EmailTemplates(), clock).run(Deadline.none());
            out.add(new SweepFigures("ExpirySweep (real)", items, sweep.found(), counter.read(), (System.nanoTime() - start) / 1e6,
                    counter.byCall()));
            System.out.println("[bench] sweep: expiry sweep " + sweep.reported());
            out.add(baseline);
            return out;
        }
    }

    /**
     * The baseline: one Scan of the whole table (paged) whose filter keeps the items due by now (of
     * both queues), as a sweep without the sparse DueIndex would have to find them. Stops after
     * {@code cap} and says so in its row: how much of the table it read, and the wall time of a whole
     * Scan at its average pace so far.
     */
    private static SweepFigures scanBaseline(DynamoDbClient dynamo, ReadCounter counter, String table, int items,
                                             long tableItems, String bound, Duration cap) {
        counter.reset();
        long start = System.nanoTime();
        int found = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table)
                    .filterExpression("begins_with(sk, :due) AND dueSk <= :now")
                    .expressionAttributeValues(Map.of(":due", AttributeValue.fromS("DUE#"), ":now", AttributeValue.fromS(bound)))
                    .exclusiveStartKey(startKey).build());
            found += page.count();
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (startKey != null && System.nanoTime() - start > cap.toNanos()) {
                double wall = (System.nanoTime() - start) / 1e6;
                long read = counter.read();
                String run = String.format(java.util.Locale.ROOT,
                        "Scan baseline (finds only), stopped at its %d-minute cap having read %,d of the table's %,d items (%.0f%%);"
                                + " a whole Scan at that pace: at least %.1f min",
                        cap.toMinutes(), read, tableItems, 100.0 * read / tableItems, wall * tableItems / read / 60_000);
                System.out.println("[bench] sweep: " + run);
                return new SweepFigures(run, items, found, read, wall, counter.byCall());
            }
        } while (startKey != null);
        return new SweepFigures("Scan baseline (finds only)", items, found, counter.read(), (System.nanoTime() - start) / 1e6,
                counter.byCall());
    }

    static List<Map<String, AttributeValue>> scanAll(DynamoDbClient dynamo, String table) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(startKey).build());
            out.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return out;
    }

    /** What the real code made through the API: one org with a pending invitation and a member. */
    record Templates(String orgId, String adminEmail, String projectId, String invitationId, String inviteeEmail,
                     String memberId, String memberEmail, String memberInvitationId) {
        static Templates make(LocalStack stack, Path root) throws Exception {
            LocalApi api = new LocalApi(stack.baseUrl());
            String admin = "sweep-admin@acme.example";
            String adminToken = api.token(admin);
            String orgId = api.call("POST", "/orgs", adminToken, Map.of("name", "Sweep template")).path("id").asText();
            String projectId = api.call("POST", "/orgs/" + orgId + "/projects", adminToken,
                    Map.of("name", "Web storefront", "platform", "web")).path("id").asText();
            Fixture.Org org = new Fixture.Org(admin, adminToken, orgId, projectId);
            String invitee = "sweep-invitee@partner.example";
            JsonNode invitation = api.call("POST", "/orgs/" + org.orgId() + "/invitations", org.token(), Map.of(
                    "email", invitee, "orgRole", "member",
                    "projects", List.of(Map.of("projectId", org.projectId(), "role", "analyst")),
                    "note", Map.of("justification", "Benchmark data")));
            String memberEmail = "sweep-member@partner.example";
            JsonNode memberInvitation = api.call("POST", "/orgs/" + org.orgId() + "/invitations", org.token(), Map.of(
                    "email", memberEmail, "orgRole", "member",
                    "projects", List.of(Map.of("projectId", org.projectId(), "role", "analyst")),
                    "note", Map.of("justification", "Benchmark data"),
                    "accessEndsAt", Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS).toString()));
            String memberToken = api.token(memberEmail);
            JsonNode accepted = api.call("POST", "/invitations/accept", memberToken,
                    Map.of("token", Fixture.tokenSentTo(api, stack.ses().url(), memberEmail)));
            JsonNode me = api.call("GET", "/me", memberToken, null);
            String memberId = null;
            for (JsonNode membership : me.path("memberships")) {
                if (membership.path("orgId").asText().equals(org.orgId())) {
                    memberId = membership.path("memberId").asText(null);
                }
            }
            if (memberId == null) {
                throw new IllegalStateException("The accepted member is not in GET /me: " + me + " (accept answered " + accepted + ")");
            }
            return new Templates(org.orgId(), org.adminEmail(), org.projectId(), invitation.path("id").asText(), invitee,
                    memberId, memberEmail, memberInvitation.path("id").asText());
        }
    }

    /** Copies of the template items, varied per copy. */
    static final class Seeding {
        private final Templates t;
        private final List<Map<String, AttributeValue>> orgItems = new ArrayList<>();
        private final List<Map<String, AttributeValue>> invitationItems = new ArrayList<>();
        private final List<Map<String, AttributeValue>> memberItems = new ArrayList<>();
        private final List<String> variable = new ArrayList<>();

        Seeding(Templates t, List<Map<String, AttributeValue>> all) {
            this.t = t;
            for (Map<String, AttributeValue> item : all) {
                String pk = item.get("pk").s();
                String sk = item.get("sk").s();
                String text = item.toString();
                if (pk.endsWith("#AUDIT") || sk.startsWith("DUE#quarterly_review") || sk.startsWith("QUOTA#")
                        || pk.startsWith("QUOTA#") || pk.startsWith("RATE#") || pk.startsWith("IDEM#") || pk.startsWith("SLUG#")) {
                    continue; // audit, the org's review, quotas and limits: not per invitation or member
                }
                if (text.contains(t.memberId()) || text.contains(t.memberInvitationId()) || text.contains("sweep-member")) {
                    memberItems.add(item);
                } else if (text.contains(t.invitationId()) || text.contains("sweep-invitee")) {
                    invitationItems.add(item);
                } else if (pk.equals("ORG#" + t.orgId())) {
                    orgItems.add(item); // the org, its admin, the admin's guard, the project
                }
                if (pk.startsWith("TOKEN#")) {
                    variable.add(pk.substring("TOKEN#".length()));
                }
                if (pk.startsWith("SESMSG#")) {
                    variable.add(pk.substring("SESMSG#".length()));
                }
            }
            System.out.printf("[bench] sweep: templates: %d org items, %d invitation items, %d member items%n",
                    orgItems.size(), invitationItems.size(), memberItems.size());
        }

        /** The bound of the due items' sort keys at {@code at}, as DueItems queries it. */
        String dueBefore(Instant at) {
            return at.toString() + "#~";
        }

        int write(DynamoDbClient dynamo, String table, int entities) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                List<Map<String, AttributeValue>> batch = new ArrayList<>();
                int written = 0;
                for (int n = 0; n < entities; n++) {
                    int org = n / ORG_SIZE;
                    boolean due = (n / 2) % 100 == 0; // 1% of the invitations and 1% of the members
                    if (n % ORG_SIZE == 0) {
                        for (Map<String, AttributeValue> item : orgItems) {
                            batch.add(vary(item, org, n, false));
                        }
                    }
                    for (Map<String, AttributeValue> item : n % 2 == 0 ? invitationItems : memberItems) {
                        batch.add(vary(item, org, n, !due));
                    }
                    while (batch.size() >= 25) {
                        List<Map<String, AttributeValue>> request = new ArrayList<>(batch.subList(0, 25));
                        batch.subList(0, 25).clear();
                        done.add(pool.submit(() -> put(dynamo, table, request)));
                        written += 25;
                    }
                    if (done.size() > 64) {
                        for (Future<Integer> f : done) {
                            f.get();
                        }
                        done.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    List<Map<String, AttributeValue>> rest = batch;
                    done.add(pool.submit(() -> put(dynamo, table, rest)));
                    written += rest.size();
                }
                for (Future<Integer> f : done) {
                    f.get();
                }
                return written;
            } finally {
                pool.shutdownNow();
            }
        }

        private static int put(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
            List<WriteRequest> requests = items.stream()
                    .map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, requests);
            while (!pending.isEmpty()) {
                BatchWriteItemResponse response = dynamo.batchWriteItem(pendingCopy(pending));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
            return items.size();
        }

        private static software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest pendingCopy(
                Map<String, List<WriteRequest>> pending) {
            return software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest.builder().requestItems(new HashMap<>(pending)).build();
        }

        /** One copy: every string of the item with the template's ids and addresses replaced by copy n's. */
        private Map<String, AttributeValue> vary(Map<String, AttributeValue> item, int org, int n, boolean notDue) {
            Map<String, String> replace = new LinkedHashMap<>();
            replace.put(t.orgId(), varied(t.orgId(), org));
            replace.put(t.projectId(), varied(t.projectId(), org));
            replace.put(t.invitationId(), varied(t.invitationId(), n));
            replace.put(t.memberId(), varied(t.memberId(), n));
            replace.put(t.memberInvitationId(), varied(t.memberInvitationId(), n));
            replace.put("sweep-invitee", "sweep-invitee-" + n);
            replace.put("sweep-member", "sweep-member-" + n);
            replace.put(t.adminEmail().substring(0, t.adminEmail().indexOf('@')),
                    t.adminEmail().substring(0, t.adminEmail().indexOf('@')) + "-" + org);
            for (String value : variable) {
                replace.put(value, varied(value, n));
            }
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                out.put(e.getKey(), replaceIn(e.getValue(), replace));
            }
            if (out.containsKey("duePk")) {
                // Spread the copies over the four shards, and move the steps of the copies that are not due to 2099.
                String duePk = out.get("duePk").s();
                out.put("duePk", AttributeValue.fromS(duePk.substring(0, duePk.lastIndexOf('#') + 1) + (n % 4)));
                if (notDue && out.get("sk").s().startsWith("DUE#")) {
                    String dueSk = out.get("dueSk").s();
                    out.put("dueSk", AttributeValue.fromS("2099" + dueSk.substring(4)));
                }
            }
            return out;
        }

        /** The same length and alphabet: the last characters of the value replaced by n in base 32 (ULID letters). */
        private static String varied(String value, int n) {
            String suffix = Integer.toString(n, 32).toUpperCase(java.util.Locale.ROOT);
            boolean hex = value.chars().allMatch(c -> Character.isDigit(c) || (c >= 'a' && c <= 'f') || c == '-');
            if (hex) {
                suffix = Integer.toHexString(n);
            } else if (value.chars().anyMatch(Character::isLowerCase) && !value.contains("_")) {
                suffix = suffix.toLowerCase(java.util.Locale.ROOT);
            }
            String padded = "0".repeat(Math.max(0, 8 - suffix.length())) + suffix;
            // Crockford's base 32 has no I, L, O, U: map Java's base-32 digits past H onto ULID letters.
            if (!hex && value.contains("_")) {
                padded = ulidDigits(padded);
            }
            return value.substring(0, value.length() - padded.length()) + padded;
        }

        private static String ulidDigits(String base32) {
            String java = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
            String crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
            StringBuilder out = new StringBuilder();
            for (char c : base32.toCharArray()) {
                out.append(crockford.charAt(java.indexOf(c)));
            }
            return out.toString();
        }

        private static AttributeValue replaceIn(AttributeValue value, Map<String, String> replace) {
            if (value.s() != null) {
                return AttributeValue.fromS(replaceAll(value.s(), replace));
            }
            if (value.hasM()) {
                Map<String, AttributeValue> out = new LinkedHashMap<>();
                value.m().forEach((k, v) -> out.put(k, replaceIn(v, replace)));
                return AttributeValue.fromM(out);
            }
            if (value.hasL()) {
                return AttributeValue.fromL(value.l().stream().map(v -> replaceIn(v, replace)).toList());
            }
            if (value.hasSs()) {
                return AttributeValue.fromSs(value.ss().stream().map(s -> replaceAll(s, replace)).toList());
            }
            return value;
        }

        private static String replaceAll(String text, Map<String, String> replace) {
            String out = text;
            for (Map.Entry<String, String> e : replace.entrySet()) {
                out = out.replace(e.getKey(), e.getValue());
            }
            return out;
        }
    }
}
