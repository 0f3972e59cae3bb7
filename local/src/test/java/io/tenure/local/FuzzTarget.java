package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzz suite's world on the shared stack: orgs, projects, members, invitations and an API key
 * made once (names and settings full of HTML, so every email and page they reach is an escaping
 * check); sending a request (retrying API Gateway's throttling answer after moving the clock a
 * second); checking every answer; checking every email the SES emulator received; and counting.
 */
final class FuzzTarget {
    /** API Gateway's own answers (not the function's), byte for byte. */
    static final String GATEWAY_THROTTLED = "{\"message\":\"Too Many Requests\"}";
    static final String GATEWAY_TOO_LONG = "{\"message\":\"Request Too Long\"}";
    static final String GATEWAY_CONTENT_LENGTH = "HTTP content length exceeded 10485760 bytes.";
    static final String GATEWAY_NOT_FOUND = "{\"message\":\"Not Found\"}";
    static final String GATEWAY_UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";
    /** The local HTTP server's (the JDK's) refusal of a request line java.net.URI cannot parse, before any route. */
    static final String LOCAL_SERVER_BAD_URI = "<h1>400 Bad Request</h1>URISyntaxException thrown";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");
    private static FuzzTarget instance;

    final LocalStack stack;
    final String base;
    final String[] admin;
    final String[] htmlAdmin;
    final String orgF;
    final String projectF1;
    final String projectF2;
    final String orgG;
    final String projectG1;
    final String projectG2;
    final String orgH;
    final String projectH;
    final String apiKey;
    final String victimKeyId;
    final String memberM;
    final String removedMemberR;
    final String pendingInvitation;
    final String revokeInvitation;
    final String previewToken;
    /** A member of F (which takes requests from its members), and the requests they made. */
    final String[] requester;
    final List<String> madeRequests = new CopyOnWriteArrayList<>();
    /** An open review of F, and a member of F it holds (the one its decisions may change or remove). */
    final String review;
    final String reviewee;
    /** Invitations the fuzzing made (org, id), for resend and revoke. */
    final List<String[]> madeInvitations = new CopyOnWriteArrayList<>();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int iamDenialsAtStart;
    private final long startedNanos = System.nanoTime();
    private final long startedEpochSecond = Instant.now().getEpochSecond();
    private final Map<Integer, String[]> creators = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inputsByRoute = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gatewayAnswers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicLong throttleRetries = new AtomicLong();
    private final Set<String> checkedEmails = ConcurrentHashMap.newKeySet();

    /** A request as sent: the template route it targets, and everything that goes on the wire. */
    record Request(String route, String method, String path, String query, List<String> headers, byte[] body) {
        Request {
            headers = List.copyOf(headers);
        }

        static Request of(String route, String method, String path, String query, String body, String... headers) {
            List<String> all = new ArrayList<>(List.of(headers));
            if (body != null && all.stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
                all.add("Content-Type");
                all.add("application/json");
            }
            return new Request(route, method, path, query, all, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        Request withHeaders(String... more) {
            List<String> all = new ArrayList<>(headers);
            all.addAll(List.of(more));
            return new Request(route, method, path, query, all, body);
        }

        String header(String name) {
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }

        String target() {
            return path + (query == null || query.isEmpty() ? "" : "?" + query);
        }

        @Override
        public String toString() {
            String shownBody = body == null ? "" : " body(" + body.length + " bytes)="
                    + FuzzInputs.abbreviate(new String(body, StandardCharsets.UTF_8), 400);
            List<String> shownHeaders = new ArrayList<>();
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                shownHeaders.add(headers.get(i) + ": " + (headers.get(i).equalsIgnoreCase("authorization") ? "…"
                        : FuzzInputs.abbreviate(headers.get(i + 1), 80)));
            }
            return method + " " + FuzzInputs.abbreviate(target(), 300) + " " + shownHeaders + shownBody;
        }
    }

    /** An answer: status, headers (lower-case names, first value) and body text. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " " + FuzzInputs.abbreviate(body, 400);
        }
    }

    /** The target, set up on first use. */
    static synchronized FuzzTarget get() {
        if (instance == null) {
            instance = new FuzzTarget(SharedStack.get());
        }
        return instance;
    }

    /** The target if a property has used it, else null. */
    static synchronized FuzzTarget startedOrNull() {
        return instance;
    }

    private FuzzTarget(LocalStack stack) {
        this.stack = stack;
        this.base = stack.baseUrl();
        this.iamDenialsAtStart = stack.iamDenials().size();
        String id = UUID.randomUUID().toString().substring(0, 8);
        admin = TestHttp.bearer(stack, "fuzz-admin-" + id + "@acme.example");
        // The inviter's address reaches invitation emails: it carries HTML too.
        htmlAdmin = TestHttp.bearer(stack, "fuzz-<b>fz-bold</b>-" + id + "@acme.example");

        ObjectNode settings = MAPPER.createObjectNode();
        settings.put("invitesPerDay", 500);
        settings.put("supportContact", "<img src=x onerror=alert('fz-img')> support");
        settings.put("loginUrl", "https://login.example/\" onfocus=\"alert(1)\" autofocus=\"");
        settings.put("loginMethod", "sso");
        settings.put("invitationRequests", "members");
        settings.putArray("welcomeLinks").addObject()
                .put("title", "<script>alert('fz-script')</script>")
                .put("url", "https://example.com/?q=\"><svg onload=alert('fz-svg')>");
        ObjectNode org = MAPPER.createObjectNode().put("name", "Fuzz <script>alert('fz-script')</script> & Co");
        org.set("settings", settings);
        orgF = created(setup(Request.of("POST /orgs", "POST", "/orgs", "", org.toString(), admin)));
        projectF1 = project(orgF, "<img src=x onerror=alert('fz-img')> Web", admin);
        projectF2 = project(orgF, "</td></tr></table><h1>fz-heading</h1>", admin);
        apiKey = setup(Request.of("POST key", "POST", "/orgs/" + orgF + "/projects/" + projectF1 + "/api-keys", "",
                "{\"name\":\"fuzz <b>fz-bold</b>\"}", admin)).json().get("secret").asText();
        victimKeyId = created(setup(Request.of("POST key", "POST", "/orgs/" + orgF + "/projects/" + projectF2 + "/api-keys", "",
                "{\"name\":\"victim\"}", admin)));

        orgG = created(setup(Request.of("POST /orgs", "POST", "/orgs", "",
                "{\"name\":\"Fuzz settings <b>fz-bold</b>\",\"settings\":{\"invitesPerDay\":500}}", admin)));
        projectG1 = project(orgG, "\"><svg onload=alert('fz-svg')> target", admin);
        projectG2 = project(orgG, "' onmouseover='alert(1) stable", admin);

        orgH = created(setup(Request.of("POST /orgs", "POST", "/orgs", "",
                "{\"name\":\"<iframe src=\\\"javascript:alert('fz-frame')\\\"></iframe>\"}", htmlAdmin)));
        projectH = project(orgH, "<a href=\"https://evil.example\">fz-link</a>", htmlAdmin);

        memberM = acceptedMember(orgF, projectF1);
        removedMemberR = acceptedMember(orgF, projectF1);
        setup(Request.of("DELETE member", "DELETE", "/orgs/" + orgF + "/members/" + removedMemberR, "reason=fuzz%20setup", null, admin));
        pendingInvitation = invite(orgF, projectF1, "fz-pending-" + id + "@partner.example", admin)[0];
        revokeInvitation = invite(orgF, projectF1, "fz-revoke-" + id + "@partner.example", admin)[0];
        previewToken = invite(orgF, projectF1, "fz-preview-" + id + "@partner.example", admin)[1];
        String requesterEmail = "fz-requester-" + id + "@partner.example";
        String requesterToken = invite(orgF, projectF1, requesterEmail, admin)[1];
        setup(Request.of("POST accept", "POST", "/invitations/accept", "", MAPPER.createObjectNode().put("token", requesterToken).toString()));
        requester = TestHttp.bearer(stack, requesterEmail);
        ObjectNode asked = MAPPER.createObjectNode().put("reason", "<script>alert('fz-script')</script> needed");
        asked.putObject("invitation").put("email", "fz-asked-" + id + "@partner.example").put("orgRole", "member")
                .putArray("projects").addObject().put("projectId", projectF1).put("role", "viewer");
        madeRequests.add(created(setup(Request.of("POST request", "POST", "/orgs/" + orgF + "/invitation-requests", "",
                asked.toString(), requester))));
        reviewee = acceptedMember(orgF, projectF2);
        review = created(setup(Request.of("POST review", "POST", "/orgs/" + orgF + "/reviews", "", "{}", admin)));
    }

    // ------------------------------------------------------------------ setup helpers

    private String project(String orgId, String name, String[] caller) {
        return created(setup(Request.of("POST project", "POST", "/orgs/" + orgId + "/projects", "",
                MAPPER.createObjectNode().put("name", name).toString(), caller)));
    }

    private static String created(Response response) {
        return response.json().get("id").asText();
    }

    /** A setup step: sent and checked like an input, not counted as one; must succeed. */
    Response setup(Request request) {
        Response response = send(request);
        assertThat(response.status()).as("setup " + request + " → " + response).isBetween(200, 299);
        return response;
    }

    /** Invites {@code email} (a viewer of one project) and returns {invitationId, token}. */
    String[] invite(String orgId, String projectId, String email, String[] caller) {
        long since = Instant.now().getEpochSecond() - 1;
        ObjectNode body = MAPPER.createObjectNode().put("email", email).put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", projectId).put("role", "viewer");
        body.putObject("note").put("engagement", "<script>alert('fz-script')</script> engagement")
                .put("justification", "<img src=x onerror=alert('fz-img')> because");
        Response response = setup(Request.of("POST invitation", "POST", "/orgs/" + orgId + "/invitations", "", body.toString(), caller));
        checkEmailsSince(since);
        return new String[] {created(response), tokenSentTo(email, since)};
    }

    /** A member of {@code orgId} made through invite and accept; returns the member id. */
    String acceptedMember(String orgId, String projectId) {
        String email = "fz-member-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example";
        String token = invite(orgId, projectId, email, admin)[1];
        long since = Instant.now().getEpochSecond() - 1;
        Response accepted = setup(Request.of("POST accept", "POST", "/invitations/accept", "",
                MAPPER.createObjectNode().put("token", token).toString()));
        checkEmailsSince(since);
        return accepted.json().get("id").asText();
    }

    /** The accept token of the newest invitation email to {@code email} since then. */
    String tokenSentTo(String email, long sinceEpochSecond) {
        List<Map<String, Object>> emails = emailsSince(sinceEpochSecond);
        for (int i = emails.size() - 1; i >= 0; i--) {
            Map<String, Object> mail = emails.get(i);
            if (String.valueOf(mail.get("destination")).toLowerCase(Locale.ROOT).contains(email.toLowerCase(Locale.ROOT))) {
                Matcher link = TOKEN.matcher(SesMailbox.text(mail));
                if (link.find()) {
                    return link.group(1);
                }
            }
        }
        throw new AssertionError("No invitation email to " + email);
    }

    /**
     * A signed-in person to create orgs as: a new one every few calls, since one person may create
     * only so many orgs a day (the limit answers 429, which would leave the rest of the inputs
     * testing only that).
     */
    synchronized String[] creator(int call) {
        return creators.computeIfAbsent(call / 8, n -> TestHttp.bearer(stack, "fuzz-creator-" + n + "-" + UUID.randomUUID() + "@acme.example"));
    }

    /** The member's current version (its ETag), read as a setup step. */
    String memberVersion(String orgId, String memberId) {
        Response response = send(Request.of("GET member", "GET", "/orgs/" + orgId + "/members/" + FuzzInputs.encode(memberId), "", null, admin));
        return response.status() == 200 ? response.header("etag") : "\"1\"";
    }

    /** The invitation's version as If-Match, or a stale one when it cannot be read. */
    String invitationVersion(String orgId, String invitationId) {
        Response response = send(Request.of("GET invitation", "GET", "/orgs/" + orgId + "/invitations/" + FuzzInputs.encode(invitationId), "",
                null, admin));
        return response.status() == 200 ? "\"" + response.json().get("version").asText() + "\"" : "\"1\"";
    }

    Instant now() {
        return stack.clock().instant();
    }

    // ------------------------------------------------------------------ sending and checking

    /**
     * Sends one fuzz input, checks the answer (and, for routes that send email, every email since),
     * counts it, and returns the answer.
     */
    Response fuzz(Request generated, boolean sendsEmail) {
        long since = Instant.now().getEpochSecond() - 1;
        Request request = onTheWire(generated);
        Response response = send(request);
        inputsByRoute.computeIfAbsent(request.route(), r -> new AtomicInteger()).incrementAndGet();
        statuses.computeIfAbsent(request.route() + " " + response.status(), r -> new AtomicInteger()).incrementAndGet();
        check(request, response);
        if (sendsEmail && response.status() < 300) {
            checkEmailsSince(since);
        }
        return response;
    }

    /**
     * One JSON body in ten goes another way on the wire, chosen by its content (so one input is
     * always sent alike): as bytes API Gateway base64-encodes for the function (octet-stream, or
     * invalid UTF-8), as Latin-1, as text/plain, or with no Content-Type at all.
     */
    static Request onTheWire(Request request) {
        String type = request.header("content-type");
        if (request.body() == null || type == null || !type.equals("application/json")) {
            return request;
        }
        byte[] body = request.body();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i + 1 < request.headers().size(); i += 2) {
            if (!request.headers().get(i).equalsIgnoreCase("content-type")) {
                headers.add(request.headers().get(i));
                headers.add(request.headers().get(i + 1));
            }
        }
        String text = new String(body, StandardCharsets.UTF_8);
        switch (Math.floorMod(java.util.Arrays.hashCode(body), 40)) {
            case 0 -> headers.addAll(List.of("Content-Type", "application/octet-stream"));
            case 1 -> headers.addAll(List.of("Content-Type", "text/plain"));
            case 2 -> { }
            case 3 -> {
                headers.addAll(List.of("Content-Type", "application/json; charset=iso-8859-1"));
                body = text.getBytes(StandardCharsets.ISO_8859_1);
            }
            case 4 -> {
                headers.addAll(List.of("Content-Type", "application/json"));
                // A truncated UTF-8 sequence and a byte UTF-8 never uses, inside the first string.
                int at = text.indexOf('"') + 1;
                byte[] broken = new byte[body.length + 3];
                int cut = at <= 0 ? 0 : new String(body, StandardCharsets.UTF_8).substring(0, at).getBytes(StandardCharsets.UTF_8).length;
                System.arraycopy(body, 0, broken, 0, cut);
                broken[cut] = (byte) 0xE2;
                broken[cut + 1] = (byte) 0x82;
                broken[cut + 2] = (byte) 0xFF;
                System.arraycopy(body, cut, broken, cut + 3, body.length - cut);
                body = broken;
            }
            default -> {
                return request;
            }
        }
        return new Request(request.route(), request.method(), request.path(), request.query(), headers, body);
    }

    /** Sends, and after API Gateway's throttling answer moves the clock a second (the buckets refill) and tries again. */
    Response send(Request request) {
        for (int attempt = 1; ; attempt++) {
            Response response = sendOnce(request);
            if (response.status() == 429 && GATEWAY_THROTTLED.equals(response.body()) && attempt < 120) {
                throttleRetries.incrementAndGet();
                stack.clock().advance(Duration.ofSeconds(1));
                continue;
            }
            return response;
        }
    }

    private Response sendOnce(Request request) {
        if (request.query() != null && FuzzInputs.malformedEscape(request.query())) {
            // java.net.URI refuses such a query; a client on a socket can still send it.
            return sendOnSocket(request, false);
        }
        if (request.headers().stream().anyMatch(value -> value.chars().anyMatch(c -> c > 0x7e))) {
            // The JDK client sends such a header as "?" (US-ASCII); a client on a socket sends its UTF-8 bytes.
            return sendOnSocket(request, true);
        }
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(base + request.target()))
                .timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (int i = 0; i + 1 < request.headers().size(); i += 2) {
            http.header(request.headers().get(i), request.headers().get(i + 1));
        }
        try {
            HttpRequest built = http.build();
            HttpResponse<byte[]> response = client.send(built, HttpResponse.BodyHandlers.ofByteArray());
            TestHttp.checkContract(request.method(), built.uri(), built.headers().map(), request.body(),
                    response.statusCode(), response.headers().map(), response.body());
            Map<String, String> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            return new Response(response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("No answer to " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the request's bytes as written, headers in UTF-8. With {@code whole} false (a request line
     * the JDK server refuses before it reads further) the body is left out: a socket closed with
     * unread bytes answers with a reset that can arrive before its 400. With {@code whole} true the
     * body goes too and the exchange is checked against openapi.yaml, headers as the server reads
     * them (ISO-8859-1).
     */
    private Response sendOnSocket(Request request, boolean whole) {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + uri.getPort() + "\r\nConnection: close\r\n");
            Map<String, List<String>> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i + 1 < request.headers().size(); i += 2) {
                head.append(request.headers().get(i)).append(": ").append(request.headers().get(i + 1)).append("\r\n");
                sent.computeIfAbsent(request.headers().get(i), name -> new ArrayList<>()).add(new String(
                        request.headers().get(i + 1).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            }
            byte[] body = whole && request.body() != null ? request.body() : new byte[0];
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            bytes.write(head.toString().getBytes(StandardCharsets.UTF_8));
            bytes.write(body);
            OutputStream out = socket.getOutputStream();
            out.write(bytes.toByteArray());
            out.flush();
            Answer answer = parse(socket.getInputStream());
            if (whole) {
                TestHttp.checkContract(request.method(), URI.create(base + request.target()), sent, request.body(),
                        answer.status(), answer.headers(), answer.body());
            }
            Map<String, String> headers = new TreeMap<>();
            answer.headers().forEach((name, values) -> headers.put(name, values.get(0)));
            return new Response(answer.status(), headers, new String(answer.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("No answer to " + request, e);
        }
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private static Answer parse(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("No HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Answer(status, headers, java.util.Arrays.copyOfRange(all, end + 4, all.length));
    }

    /** API Gateway's own answer (it never reached the function), by name, or null. */
    static String gatewayAnswer(Response response) {
        if (response.status() == 413 && GATEWAY_TOO_LONG.equals(response.body())) {
            return "413 Request Too Long (Lambda's 6 MB event limit)";
        }
        if (response.status() == 413 && GATEWAY_CONTENT_LENGTH.equals(response.body())) {
            return "413 content length exceeded (10 MB)";
        }
        if (response.status() == 429 && GATEWAY_THROTTLED.equals(response.body())) {
            return "429 Too Many Requests (after 120 retries)";
        }
        if (response.status() == 404 && GATEWAY_NOT_FOUND.equals(response.body())) {
            return "404 no route";
        }
        if (response.status() == 401 && GATEWAY_UNAUTHORIZED.equals(response.body())) {
            return "401 JWT authorizer";
        }
        if (response.status() == 400 && LOCAL_SERVER_BAD_URI.equals(response.body())) {
            return "400 local HTTP server: malformed percent escape in the query";
        }
        return null;
    }

    /** Whether the route answers with HTML pages (the accept and check-in pages, and their forms' answers). */
    static boolean answersHtml(Request request) {
        if (request.route().equals("GET /invitations/accept") || request.route().equals("GET /checkins/answer")) {
            return true;
        }
        if (!request.route().equals("POST /invitations/accept") && !request.route().equals("POST /checkins/answer")) {
            return false;
        }
        String type = request.header("content-type");
        boolean form = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        return form || request.body() == null || new String(request.body(), StandardCharsets.UTF_8).isBlank();
    }

    private void check(Request request, Response response) {
        String gateway = gatewayAnswer(response);
        if (gateway != null) {
            gatewayAnswers.computeIfAbsent(gateway, g -> new AtomicInteger()).incrementAndGet();
            return;
        }
        String what = request + "\n  → " + response;
        assertThat(response.status()).as("no 5xx: " + what).isLessThan(500);
        String type = Optional.ofNullable(response.header("content-type")).orElse("");
        if (answersHtml(request) && !type.equals("application/problem+json")) {
            // The accept page's answers are pages; only a form body that is not URL encoding is a problem+json 422.
            assertThat(type).as("an HTML page: " + what).startsWith("text/html");
            assertNoMarkup(response.body(), "the page answering " + request);
            return;
        }
        if (response.status() >= 400) {
            assertThat(type).as("problem+json: " + what).isEqualTo("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.path("type").asText()).as(what).startsWith("urn:tenure:problem:");
            assertThat(problem.path("title").asText()).as(what).isNotBlank();
            assertThat(problem.path("code").asText()).as(what).isNotBlank();
            assertThat(problem.path("status").asInt()).as(what).isEqualTo(response.status());
            assertThat(problem.path("detail").isTextual()).as(what).isTrue();
            if (problem.path("code").asText().equals("validation_failed")) {
                assertThat(problem.path("errors").isArray() && !problem.path("errors").isEmpty()).as("422 names a field: " + what).isTrue();
                problem.path("errors").forEach(error -> assertThat(error.path("pointer").asText()).as(what).matches("(?s)(/.*)?"));
            }
            assertThat(response.body()).as("no internals: " + what).doesNotContain("Exception", "io.tenure.", "\tat ");
        } else if (type.contains("json") && !response.body().isEmpty()) {
            assertThat(response.json()).as(what).isNotNull();
        }
    }

    /** Fails when the HTML holds any of the injected markup unescaped. */
    static void assertNoMarkup(String html, String where) {
        String lower = html.toLowerCase(Locale.ROOT);
        for (String signature : FuzzInputs.HTML_SIGNATURES) {
            int at = lower.indexOf(signature.toLowerCase(Locale.ROOT));
            assertThat(at).as("unescaped %s in %s: …%s…", signature, where,
                    at < 0 ? "" : html.substring(Math.max(0, at - 80), Math.min(html.length(), at + 80))).isLessThan(0);
        }
    }

    /** Every email since then (not already checked): no injected markup in the HTML part, no line break in the subject. */
    @SuppressWarnings("unchecked")
    void checkEmailsSince(long epochSecond) {
        for (Map<String, Object> email : emailsSince(epochSecond)) {
            String id = String.valueOf(email.get("messageId"));
            if (!checkedEmails.add(id)) {
                continue;
            }
            Map<String, Object> body = (Map<String, Object>) email.getOrDefault("body", Map.of());
            String where = "the email \"" + email.get("subject") + "\" to " + email.get("destination");
            assertNoMarkup(String.valueOf(body.get("html")), where);
            assertThat(String.valueOf(email.get("subject"))).as(where).doesNotContain("\r", "\n");
        }
    }

    /** The emails the SES emulator received since then (its {@code /store?since=} filter, in its own seconds). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> emailsSince(long epochSecond) {
        TestHttp.Response response = TestHttp.get(stack.sesUrl() + "/store?since=" + epochSecond);
        assertThat(response.status()).as("the SES emulator's store").isEqualTo(200);
        return (List<Map<String, Object>>) readMap(response.body()).getOrDefault("emails", List.of());
    }

    // ------------------------------------------------------------------ the figures

    /** Fails when a function made an AWS call its policy does not allow (the Jupiter extension does not run for jqwik). */
    void assertNoAccessDenied() {
        List<LocalIam.Denial> denials = stack.iamDenials();
        List<LocalIam.Denial> fresh = denials.subList(Math.min(iamDenialsAtStart, denials.size()), denials.size());
        assertThat(fresh).as("AWS calls the template's policies refused during fuzzing").isEmpty();
    }

    /** Every email since the suite began, checked again (none is skipped). */
    void checkAllEmails() {
        checkEmailsSince(startedEpochSecond - 1);
    }

    String summary() {
        int total = inputsByRoute.values().stream().mapToInt(AtomicInteger::get).sum();
        StringBuilder out = new StringBuilder();
        out.append(String.format("fuzz: %d inputs, %d routes%n", total, inputsByRoute.size()));
        new TreeMap<>(inputsByRoute).forEach((route, count) -> out.append(String.format("fuzz:   %5d  %s%n", count.get(), route)));
        Map<String, Integer> byClass = new TreeMap<>();
        statuses.forEach((key, count) -> byClass.merge(key.substring(key.lastIndexOf(' ') + 1, key.lastIndexOf(' ') + 2) + "xx", count.get(), Integer::sum));
        out.append("fuzz: answers by class ").append(byClass).append(String.format("%n"));
        out.append(String.format("fuzz: API Gateway's own answers %s; throttling retries (clock +1 s each) %d%n",
                new TreeMap<>(Collections.unmodifiableMap(gatewayAnswers)), throttleRetries.get()));
        out.append(String.format("fuzz: emails checked for unescaped markup: %d%n", checkedEmails.size()));
        out.append(String.format("fuzz: %.1f s%n", (System.nanoTime() - startedNanos) / 1e9));
        return out.toString();
    }

    /** The template's HTTP API routes no input reached. */
    List<String> routesNotFuzzed() {
        return stack.template().routes().stream().map(TemplateModel.Route::routeKey)
                .filter(route -> !inputsByRoute.containsKey(route)).sorted().toList();
    }

    static Map<String, Object> readMap(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
