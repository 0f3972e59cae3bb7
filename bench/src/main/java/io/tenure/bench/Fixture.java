package io.tenure.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data on the local stack, made through its HTTP API as a user would, and each function's sample
 * event from {@code events/} with the sample's ids, tokens and addresses replaced by seeded ones,
 * so every launch or call does the real work: reads find their items, and a mutating route gets a
 * fresh input each time (a new address to invite, a pending invitation of its own to resend,
 * revoke or bounce), never a 404 or 409.
 */
final class Fixture {
    /** Each function's sample event, under events/. */
    static final Map<String, String> EVENTS = Map.ofEntries(
            Map.entry("OrgsFunction", "orgs/get-org.json"),
            Map.entry("InviteFunction", "invite/invite.json"),
            Map.entry("AcceptFunction", "accept/accept-page.json"),
            Map.entry("CheckinsFunction", "checkins/checkin-page.json"),
            Map.entry("ResendFunction", "resend/resend.json"),
            Map.entry("RevokeFunction", "revoke/revoke.json"),
            Map.entry("RequestsFunction", "requests/list-requests.json"),
            Map.entry("ReviewsFunction", "reviews/list-reviews.json"),
            Map.entry("InvitationsFunction", "invitations/list-invitations.json"),
            Map.entry("MeFunction", "me/me.json"),
            Map.entry("MembersFunction", "members/list-members.json"),
            Map.entry("IdentifyFunction", "identify/identify.json"),
            Map.entry("AuditFunction", "audit/list-audit.json"),
            Map.entry("EventsPublisherFunction", "schedules/events-publisher.json"),
            Map.entry("EmailEventsFunction", "email/bounce.json"),
            Map.entry("ExpirySweepFunction", "schedules/expiry-sweep.json"),
            Map.entry("RemindersFunction", "schedules/reminders.json"));

    // The sample events' values, replaced by seeded ones.
    private static final String SAMPLE_ORG = "org_01KAV3Q0M4Y8Z2T5W6X7C9D0EF";
    private static final String SAMPLE_PROJECT = "prj_01KAV3Q7H2J3K4L5M6N7P8Q9RS";
    private static final String SAMPLE_INVITATION = "inv_01KAV3T8B1C2D3E4F5G6H7J8K9";
    private static final String SAMPLE_ADMIN = "admin@acme.example";
    private static final String SAMPLE_INVITEE = "ana.lopez@partner.example";
    private static final String SAMPLE_TOKEN = "q2Zk7w8fJcX1yVbN4mT6rA9sLpE3uHgD0iKoWzQxYtC";
    private static final String SAMPLE_CHECKIN_TOKEN = "Vb7Qw2eRt5yUi8oPa1sDf4gHj6kLz9xCv3bNm0qWe2r";
    private static final String SAMPLE_API_KEY = "tnr_Zm9vYmFyYmF6cXV4cXV1eHp6eXl4eHd3dnZ1dXR0c3M";
    private static final String SAMPLE_USER_ID = "8405932213455901";
    private static final String SAMPLE_MESSAGE_ID = "0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000";
    private static final String SAMPLE_IDEMPOTENCY_KEY = "6f1c2a9e-resend-1";
    /** Below the default invitesPerDay (50): an org takes this many invitations, then the next org is made. */
    private static final int INVITES_PER_ORG = 45;

    /** An org with its admin (who made it), the admin's token and one project. */
    record Org(String adminEmail, String token, String orgId, String projectId) {
    }

    /** A pending invitation made through the API. */
    record Invited(Org org, String invitationId, String email, String messageId) {
    }

    private final LocalApi api;
    private final io.tenure.local.MovableClock clock;
    private final Path events;
    private final String sesUrl;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final AtomicInteger unique = new AtomicInteger();
    private final List<Org> orgs = new ArrayList<>();
    private int usedInCurrentOrg = INVITES_PER_ORG;
    private final Org main;
    private final String apiKey;
    private final String acceptToken;
    private final String checkinToken;

    Fixture(LocalApi api, Path root, String sesUrl, io.tenure.local.MovableClock clock) throws IOException, InterruptedException {
        this.api = api;
        this.clock = clock;
        this.events = root.resolve("events");
        this.sesUrl = sesUrl;
        this.main = newOrg();
        this.apiKey = api.call("POST", "/orgs/" + main.orgId() + "/projects/" + main.projectId() + "/api-keys", main.token(),
                Map.of("name", "bench")).path("secret").asText();
        Invited toAccept = invite(main);
        this.acceptToken = tokenSentTo(api, sesUrl, toAccept.email());
        this.checkinToken = checkinOf(invite(main));
    }

    /**
     * A check-in link's token: the invitation is accepted, the reminders run on the stack's clock
     * moved 30 days on (then moved back), and the inviter's check-in email holds the link. Its
     * page reads only, so one token serves every launch.
     */
    private String checkinOf(Invited invited) throws IOException, InterruptedException {
        api.call("POST", "/invitations/accept", null, Map.of("token", tokenSentTo(api, sesUrl, invited.email())));
        clock.set(java.time.Instant.now().plus(java.time.Duration.ofDays(30).plusHours(1)));
        try {
            api.call("POST", "/_local/schedules/RemindersSchedule", null, null);
        } finally {
            clock.reset();
        }
        JsonNode store = api.getAbsolute(sesUrl + "/store");
        Pattern link = Pattern.compile("/checkins/answer\\?token=([A-Za-z0-9_-]+)");
        for (JsonNode message : store.path("emails")) {
            if (message.toString().contains("30-day check-in: " + invited.email())) {
                Matcher m = link.matcher(message.toString());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new IllegalStateException("No check-in email about " + invited.email() + " at " + sesUrl + "/store");
    }

    /** The org every read-only event reads. */
    Org main() {
        return main;
    }

    /** {@code count} events for one function, each doing the function's real work once. */
    List<String> events(String functionId, int count) throws Exception {
        String file = EVENTS.get(functionId);
        if (file == null) {
            throw new IllegalStateException("No sample event chosen for " + functionId + ": add it to Fixture.EVENTS");
        }
        String sample = Files.readString(events.resolve(file));
        List<String> out = new ArrayList<>();
        switch (functionId) {
            case "InviteFunction" -> {
                for (int i = 0; i < count; i++) {
                    Org org = reserveInvite();
                    out.add(replace(sample, org, Map.of(SAMPLE_INVITEE, freshEmail("invitee"))));
                }
            }
            case "ResendFunction", "RevokeFunction", "EmailEventsFunction" -> {
                List<Invited> pool;
                if (functionId.equals("ResendFunction")) {
                    // A resend within a minute of the last send is refused (429): these invitations are sent on
                    // the stack's clock set 5 minutes back, so the function (on real time) may resend them at once.
                    clock.set(java.time.Instant.now().minus(java.time.Duration.ofMinutes(5)));
                    try {
                        pool = invitations(count);
                    } finally {
                        clock.reset();
                    }
                } else {
                    pool = invitations(count);
                }
                for (Invited invited : pool) {
                    out.add(replace(sample, invited.org(), Map.of(SAMPLE_INVITATION, invited.invitationId(),
                            SAMPLE_INVITEE, invited.email(), SAMPLE_MESSAGE_ID, invited.messageId())));
                }
            }
            case "IdentifyFunction" -> {
                // A new identity and user id each call: the same pair again is a no-op, and 30 a window is the limit.
                for (int i = 0; i < count; i++) {
                    int n = unique.incrementAndGet();
                    out.add(replace(sample, main, Map.of(SAMPLE_INVITEE, "user-" + run + "-" + n + "@shop.example",
                            SAMPLE_USER_ID, Long.toString(8_405_932_213_455_901L + n * 7919L + run.hashCode() % 1000))));
                }
            }
            default -> {
                String event = replace(sample, main, Map.of());
                for (int i = 0; i < count; i++) {
                    out.add(event);
                }
            }
        }
        return out;
    }

    private String replace(String sample, Org org, Map<String, String> more) throws IOException {
        Map<String, String> values = new LinkedHashMap<>(more);
        values.put(SAMPLE_ORG, org.orgId());
        values.put(SAMPLE_PROJECT, org.projectId());
        values.put(SAMPLE_ADMIN, org.adminEmail());
        values.put(SAMPLE_TOKEN, acceptToken);
        values.put(SAMPLE_CHECKIN_TOKEN, checkinToken);
        values.put(SAMPLE_API_KEY, apiKey);
        // A repeated Idempotency-Key would answer the first call's result (or 422 for another request).
        values.put(SAMPLE_IDEMPOTENCY_KEY, "bench-" + run + "-" + unique.incrementAndGet());
        String event = sample;
        for (Map.Entry<String, String> value : values.entrySet()) {
            event = event.replace(value.getKey(), value.getValue());
        }
        // One event per line in the warm file.
        return LocalApi.JSON.readTree(event).toString();
    }

    /** {@code count} pending invitations, made through the API four at a time. */
    List<Invited> invitations(int count) throws Exception {
        List<Org> slots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.add(reserveInvite());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Invited>> made = new ArrayList<>();
            for (Org org : slots) {
                made.add(pool.submit(() -> invite(org)));
            }
            List<Invited> out = new ArrayList<>();
            for (Future<Invited> invited : made) {
                out.add(invited.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Invited invite(Org org) throws IOException, InterruptedException {
        String email = freshEmail("invitee");
        JsonNode invitation = api.call("POST", "/orgs/" + org.orgId() + "/invitations", org.token(), Map.of(
                "email", email, "orgRole", "member",
                "projects", List.of(Map.of("projectId", org.projectId(), "role", "analyst")),
                "note", Map.of("justification", "Benchmark data")));
        return new Invited(org, invitation.path("id").asText(), email, invitation.path("delivery").path("messageId").asText());
    }

    /** An org with quota left for one more invitation today; a new org (and admin) when the current one is used up. */
    private synchronized Org reserveInvite() throws IOException, InterruptedException {
        if (usedInCurrentOrg >= INVITES_PER_ORG) {
            orgs.add(newOrg());
            usedInCurrentOrg = 0;
        }
        usedInCurrentOrg++;
        return orgs.get(orgs.size() - 1);
    }

    private Org newOrg() throws IOException, InterruptedException {
        // One org per admin: a person may make 10 orgs a day.
        String admin = freshEmail("admin").replace("@partner.example", "@acme.example");
        String token = api.token(admin);
        String orgId = api.call("POST", "/orgs", token, Map.of("name", "Bench " + run + " " + unique.get())).path("id").asText();
        String projectId = api.call("POST", "/orgs/" + orgId + "/projects", token,
                Map.of("name", "Web storefront", "platform", "web")).path("id").asText();
        return new Org(admin, token, orgId, projectId);
    }

    private String freshEmail(String who) {
        return "bench-" + who + "-" + run + "-" + unique.incrementAndGet() + "@partner.example";
    }

    /** The accept link's token in the newest email the SES emulator holds for this address. */
    static String tokenSentTo(LocalApi api, String sesUrl, String email) throws IOException, InterruptedException {
        JsonNode store = api.getAbsolute(sesUrl + "/store");
        Pattern token = Pattern.compile("token=([A-Za-z0-9_-]+)");
        String found = null;
        for (JsonNode message : store.path("emails")) {
            if (message.toString().contains(email)) {
                Matcher m = token.matcher(message.toString());
                if (m.find()) {
                    found = m.group(1);
                }
            }
        }
        if (found == null) {
            throw new IllegalStateException("No email with an accept link to " + email + " at " + sesUrl + "/store");
        }
        return found;
    }
}
