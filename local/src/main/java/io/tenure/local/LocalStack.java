package io.tenure.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tenure on this machine alone, driven by template.yaml: DynamoDB Local in this JVM with the
 * template's table, the SES emulator as a child process, every function from its own jar in its own
 * class loader, and an HTTP server that serves the template's HttpApi routes with a local JWT
 * authorizer, plus the local-only routes under {@code /_local} and the rendered API reference at
 * {@code /docs/} ({@link ApiReferencePage}). With {@link ExternalServices}
 * (the LocalStack tier), DynamoDB, SES and EventBridge are those instead, and everything else stays.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false))) {
 *     stack.baseUrl(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    /** The options of a local stack; each setter returns a changed copy. */
    public static final class Options {
        private final int port;
        private final int sesPort;
        private final int dynamoDbPort;
        private final Path dataDir;
        private final boolean schedules;
        private final Path root;
        private final Path template;
        private final Map<String, String> parameters;
        private final ExternalServices external;

        private Options(int port, int sesPort, int dynamoDbPort, Path dataDir, boolean schedules, Path root,
                        Path template, Map<String, String> parameters, ExternalServices external) {
            this.port = port;
            this.sesPort = sesPort;
            this.dynamoDbPort = dynamoDbPort;
            this.dataDir = dataDir;
            this.schedules = schedules;
            this.root = root;
            this.template = template;
            this.parameters = Map.copyOf(parameters);
            this.external = external;
        }

        /** Port 3000, SES emulator on 8005, DynamoDB Local on a free port, in memory, schedules on, project root found from the working directory. */
        public static Options defaults() {
            return new Options(3000, 8005, 0, null, true, null, null, Map.of(), null);
        }

        /** The HTTP API's port; 0 picks a free one. */
        public Options port(int value) {
            return new Options(value, sesPort, dynamoDbPort, dataDir, schedules, root, template, parameters, external);
        }

        /** The SES emulator's port; 0 picks a free one. */
        public Options sesPort(int value) {
            return new Options(port, value, dynamoDbPort, dataDir, schedules, root, template, parameters, external);
        }

        /** DynamoDB Local's port; 0 (the default) picks a free one. */
        public Options dynamoDbPort(int value) {
            return new Options(port, sesPort, value, dataDir, schedules, root, template, parameters, external);
        }

        /** Keep DynamoDB Local's data in this folder (null: in memory). */
        public Options dataDir(Path value) {
            return new Options(port, sesPort, dynamoDbPort, value, schedules, root, template, parameters, external);
        }

        /** Whether schedules fire on their expressions in the background. */
        public Options schedules(boolean value) {
            return new Options(port, sesPort, dynamoDbPort, dataDir, value, root, template, parameters, external);
        }

        /** The project root: the folder holding template.yaml, functions/ and local/. */
        public Options root(Path value) {
            return new Options(port, sesPort, dynamoDbPort, dataDir, schedules, value, template, parameters, external);
        }

        /** Another template than {@code <root>/template.yaml}; its CodeUri paths are relative to its folder. */
        public Options template(Path value) {
            return new Options(port, sesPort, dynamoDbPort, dataDir, schedules, root, value, parameters, external);
        }

        /**
         * DynamoDB, SES and EventBridge run elsewhere (e.g. LocalStack) instead of DynamoDB Local,
         * the SES emulator and the fake bus; the SES relay listens on {@link #sesPort}. Null: in-process.
         */
        public Options externalServices(ExternalServices value) {
            return new Options(port, sesPort, dynamoDbPort, dataDir, schedules, root, template, parameters, value);
        }

        /** A value for a template Parameter, over its Default and the local values. */
        public Options parameter(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(parameters);
            changed.put(name, value);
            return new Options(port, sesPort, dynamoDbPort, dataDir, schedules, root, template, changed, external);
        }
    }

    private final Options options;
    private final Path root;
    private final MovableClock clock = new MovableClock();
    private final Map<String, LoadedFunction> functions = new LinkedHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService serverThreads;
    private DynamoDbLocalServer dynamoDb;
    private SesEmulator ses;
    private LocalAuthorizer authorizer;
    private FakeEventBridge eventBridge;
    private HttpApiGateway gateway;
    private ApiReferencePage apiReference;
    private ConsoleFiles console;
    private Schedules schedules;
    private LocalIam iam;
    private TemplateModel template;
    private String tableName;
    private Path templatePath;
    private Thread shutdownHook;
    private final Map<String, String> replacedProperties = new java.util.HashMap<>();
    /** Headers java.net.http sets itself. */
    private static final java.util.Set<String> RESTRICTED_HEADERS = java.util.Set.of("host", "content-length", "connection",
            "expect", "upgrade", "transfer-encoding");
    private final HttpClient forwardClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalStack(Options options, Path root) {
        this.options = options;
        this.root = root;
    }

    /** Starts every part; on failure stops what was started and throws. */
    public static LocalStack start(Options options) throws Exception {
        Path root = options.root != null ? options.root.toAbsolutePath().normalize() : findProjectRoot();
        LocalStack stack = new LocalStack(options, root);
        try {
            stack.startParts();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The nearest folder holding template.yaml, from the working directory up. */
    public static Path findProjectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("No template.yaml in " + Path.of("").toAbsolutePath()
                + " or above it: run from the project, or pass --root");
    }

    private void startParts() throws Exception {
        // Bind first: the API's port goes into the template's parameters (AppBaseUrl, JwtIssuer).
        AtomicInteger threadNumber = new AtomicInteger();
        serverThreads = Executors.newFixedThreadPool(64, runnable -> {
            Thread thread = new Thread(runnable, "local-http-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port), 128);
        server.setExecutor(serverThreads);
        String baseUrl = baseUrl();

        templatePath = options.template != null ? options.template : root.resolve("template.yaml");
        // CodeUri paths are relative to the template's folder, as in SAM.
        Path templateFolder = templatePath.toAbsolutePath().normalize().getParent();
        authorizer = new LocalAuthorizer(baseUrl + "/_local");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("AppBaseUrl", baseUrl);
        parameters.put("SenderEmail", "no-reply@tenure.local");
        parameters.put("JwtIssuer", authorizer.issuer());
        parameters.put("JwtAudience", LocalAuthorizer.AUDIENCE);
        // The console signs in through /_local/token here (GET /console-config says so).
        parameters.put("LocalSignIn", "true");
        parameters.putAll(options.parameters);
        template = TemplateModel.load(templatePath, parameters);
        if (template.tables().isEmpty()) {
            throw new IllegalStateException(templatePath + " has no AWS::DynamoDB::Table");
        }
        tableName = template.tables().get(0).tableName();
        ApiReferencePage.refuseRoutesUnderDocs(template.routes());
        apiReference = ApiReferencePage.of(root);
        ConsoleFiles.refuseRoutesUnderConsole(template.routes());
        authorizer.trust(template.jwtTrust());
        console = ConsoleFiles.of(root, authorizer.signsItsOwnTokens() ? null
                : URI.create(authorizer.trustedIssuer()).resolve("/").toString().replaceAll("/$", ""));
        // Every function's Policies, read before anything starts: a policy the check cannot read stops the stack.
        iam = new LocalIam(template.functions());
        // The bus with the template's rules (a pattern EventBridge would refuse stops the stack) and SES's
        // event destinations; its targets are the functions, loaded below.
        eventBridge = new FakeEventBridge(clock, template.eventRules(), functions, template.sesEventDestinations());

        // The SES emulator (a node process) starts while DynamoDB Local starts here; or the relay to
        // the SES run elsewhere, and that DynamoDB.
        ExternalServices external = options.external;
        ses = external == null ? new SesEmulator(root, options.sesPort) : SesEmulator.relayTo(external.ses(), options.sesPort);
        CompletableFuture<Void> sesStarted = CompletableFuture.runAsync(ses::start);
        dynamoDb = external == null ? DynamoDbLocalServer.start(options.dynamoDbPort, options.dataDir)
                : DynamoDbLocalServer.external(external.dynamoDb());
        for (TemplateModel.TableDef table : template.tables()) {
            dynamoDb.createTable(table);
        }
        sesStarted.join();

        // Functions build their SDK clients with no endpoint code: these point them here. They are
        // JVM-wide, so closing this stack gives back the values it replaced (e.g. another stack's).
        setSdkProperty("aws.region", TemplateModel.REGION);
        setSdkProperty("aws.accessKeyId", "local");
        setSdkProperty("aws.secretAccessKey", "local");
        setSdkProperty("aws.endpointUrlDynamoDb", dynamoDb.endpoint());
        setSdkProperty("aws.endpointUrlSesV2", ses.url());
        setSdkProperty("aws.endpointUrlEventBridge", baseUrl + "/_local/eventbridge");

        for (TemplateModel.FunctionDef function : template.functions()) {
            functions.put(function.logicalId(), LoadedFunction.load(function, templateFolder,
                    LoadedFunction.lambdaEnvironment(function), clock,
                    iam.decider(function, "127.0.0.1", server.getAddress().getPort()),
                    new LoadedFunction.CallReporter(FakeEventBridge.REPORTED_CALLS, eventBridge::reported)));
        }

        gateway = new HttpApiGateway(template.routes(), functions, authorizer, clock, eventBridge);
        schedules = new Schedules(template.functions().stream().flatMap(f -> f.schedules().stream()).toList(),
                functions, clock, eventBridge);
        server.createContext("/", this::handle);
        server.start();
        if (options.schedules) {
            schedules.startBackground();
        }
        shutdownHook = new Thread(this::close, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ---------------------------------------------------------------- public API

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:3000}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Invokes one function directly with an event, as {@code sam local invoke -e} does: no route
     * matching and no authorizer. Returns the handler's result as JSON, once the events the run
     * caused (and theirs) were delivered to the targets of the rules they match.
     */
    public String invoke(String functionLogicalId, String eventJson) throws Exception {
        LoadedFunction function = functions.get(functionLogicalId);
        if (function == null) {
            throw new IllegalArgumentException("No function " + functionLogicalId + " in the template");
        }
        return eventBridge.invokeAndDeliver(function, eventJson);
    }

    /**
     * Where the emails sent can be read: the SES emulator's base URL (its root page lists them,
     * {@code GET /store} as JSON), or with external services the SES run there ({@code GET /_aws/ses}
     * on LocalStack).
     */
    public String sesUrl() {
        return ses.mailboxUrl();
    }

    /** The services run elsewhere instead of in this JVM, or null (in-process). */
    public ExternalServices externalServices() {
        return options.external;
    }

    /** DynamoDB Local's endpoint. */
    public String dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    /**
     * Stops DynamoDB Local in the middle of a run, as an outage: every call the functions make now
     * finds nothing listening. Needs a data folder ({@link Options#dataDir}), so that
     * {@link #startDynamoDb()} brings every item back.
     */
    public void stopDynamoDb() {
        dynamoDb.stop();
    }

    /** Starts DynamoDB Local again on the same port with the data it had; the functions' clients reconnect. */
    public void startDynamoDb() {
        dynamoDb.start();
    }

    /** The table's name, from the template (e.g. tenure-dev). */
    public String tableName() {
        return tableName;
    }

    /** The clock every function reads. */
    public MovableClock clock() {
        return clock;
    }

    /** The SES emulator, to stop and start it. */
    public SesEmulator ses() {
        return ses;
    }

    /** The local JWT authorizer, to mint tokens (also expired ones) directly. */
    public LocalAuthorizer authorizer() {
        return authorizer;
    }

    /** The (fake) event bus: the entries functions put on it, and every event it routed to the template's rules. */
    public FakeEventBridge events() {
        return eventBridge;
    }

    /** The resolved template. */
    public TemplateModel template() {
        return template;
    }

    /** True when DynamoDB Local, the SES emulator and every function are up. */
    public boolean healthy() {
        return health().get("status").equals("ok");
    }

    /** Blocks until {@link #close()} (used by the command line). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops the HTTP server, the schedules, the SES emulator and DynamoDB Local. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
        if (schedules != null) {
            schedules.close();
        }
        if (eventBridge != null) {
            eventBridge.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
        }
        if (ses != null) {
            ses.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        for (LoadedFunction function : functions.values()) {
            try {
                function.close();
            } catch (IOException e) {
                // nothing more to do on the way out
            }
        }
        replacedProperties.forEach((name, previous) -> {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        });
        closed.countDown();
    }

    private void setSdkProperty(String name, String value) {
        replacedProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/_local") || path.startsWith("/_local/")) {
                handleLocal(exchange, path, exchange.getRequestMethod());
            } else if (ApiReferencePage.serves(path)) {
                apiReference.handle(exchange, path);
            } else if (ConsoleFiles.serves(path)) {
                console.handle(exchange, path);
            } else {
                gateway.handle(exchange);
            }
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            LocalHttp.sendJson(exchange, 500, Json.message("Internal Server Error"));
        } finally {
            exchange.close();
        }
    }

    private void handleLocal(HttpExchange exchange, String path, String method) throws IOException {
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (path.equals("/_local/health") && get) {
            Map<String, Object> health = health();
            LocalHttp.sendJson(exchange, health.get("status").equals("ok") ? 200 : 503, Json.write(health));
        } else if (path.equals("/_local/token") && post) {
            token(exchange);
        } else if (path.equals("/_local/clock") && get) {
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("now", clock.instant().toString())));
        } else if (path.equals("/_local/clock") && post) {
            moveClock(exchange);
        } else if ((path.equals("/_local/eventbridge") || path.equals("/_local/eventbridge/")) && post) {
            putEvents(exchange);
        } else if (path.equals("/_local/iam/denied")) {
            iamDenied(exchange);
        } else if (path.equals("/_local/iam/denials") && get) {
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("denials", iam.denials())));
        } else if (path.startsWith("/_local/calls/") && get) {
            String apiRequestId = java.net.URLDecoder.decode(path.substring("/_local/calls/".length()), StandardCharsets.UTF_8);
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("calls", iam.callsOf(apiRequestId))));
        } else if (path.equals("/_local/events") && get) {
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("entries", eventBridge.entries())));
        } else if (path.equals("/_local/events/routed") && get) {
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("events", eventBridge.routed())));
        } else if (path.equals("/_local/schedules") && get) {
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("schedules", schedules.all())));
        } else if (path.startsWith("/_local/schedules/") && post) {
            runSchedule(exchange, path.substring("/_local/schedules/".length()));
        } else if (path.startsWith("/_local/invoke/") && post) {
            invokeFunction(exchange, path.substring("/_local/invoke/".length()));
        } else {
            LocalHttp.sendJson(exchange, 404, Json.message("Not Found"));
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean dynamoUp = dynamoDb != null && dynamoDb.isUp(tableName);
        boolean sesUp = ses != null && ses.isUp();
        parts.put("dynamodb", dynamoUp ? "up" : "down");
        parts.put("ses", sesUp ? "up" : "down");
        Map<String, String> functionStates = new LinkedHashMap<>();
        template.functions().forEach(f -> functionStates.put(f.logicalId(),
                functions.containsKey(f.logicalId()) ? "up" : "down"));
        parts.put("functions", functionStates);
        boolean ok = dynamoUp && sesUp && !functionStates.containsValue("down");
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", ok ? "ok" : "unavailable");
        health.putAll(parts);
        return health;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, Object> request;
        try {
            request = Json.readObject(body(exchange));
        } catch (IllegalArgumentException e) {
            LocalHttp.sendJson(exchange, 400, Json.message("Body must be JSON: {\"email\": ...}"));
            return;
        }
        if (!authorizer.signsItsOwnTokens()) {
            // The template's authorizer trusts another issuer: a token signed here would be refused.
            LocalHttp.sendJson(exchange, 409, Json.message("This stack's authorizer trusts " + authorizer.trustedIssuer()
                    + " (JwtIssuer), not its own tokens: sign in there"));
            return;
        }
        Object email = request.get("email");
        if (!(email instanceof String text) || text.isBlank()) {
            LocalHttp.sendJson(exchange, 400, Json.message("email is required"));
            return;
        }
        Object sub = request.get("sub");
        boolean verified = !Boolean.FALSE.equals(request.get("email_verified"))
                && !"false".equals(String.valueOf(request.get("email_verified")));
        String token = authorizer.token(text, sub == null ? null : String.valueOf(sub), verified);
        LocalHttp.sendJson(exchange, 200, Json.write(Map.of("token", token)));
    }

    private void moveClock(HttpExchange exchange) throws IOException {
        try {
            Map<String, Object> request = Json.readObject(body(exchange));
            Instant now;
            if (request.get("set") != null) {
                now = clock.set(Instant.parse(String.valueOf(request.get("set"))));
            } else if (request.get("advance") != null) {
                now = clock.advance(parseAmount(String.valueOf(request.get("advance"))));
            } else {
                LocalHttp.sendJson(exchange, 400, Json.message("Give {\"advance\": \"P8D\"} or {\"set\": \"<instant>\"}"));
                return;
            }
            LocalHttp.sendJson(exchange, 200, Json.write(Map.of("now", now.toString())));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            LocalHttp.sendJson(exchange, 400, Json.message(e.getMessage()));
        }
    }

    /** An ISO-8601 duration (PT72H, P8D) or period (P1W, P1M), as a duration from now. */
    static Duration parseAmount(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notADuration) {
            Period period = Period.parse(text);
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            return Duration.between(now, now.plus(period));
        }
    }

    private void putEvents(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (!"AWSEvents.PutEvents".equals(target)) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            LocalHttp.send(exchange, 400, Json.write(Map.of("__type", "UnknownOperationException",
                    "message", "The fake EventBridge supports only PutEvents, not " + target))
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        // A function's call gate reports the call once it succeeds, and the bus routes its entries with that run.
        boolean reportedByGate = exchange.getRequestHeaders().getFirst(io.tenure.local.iam.SdkCallGate.REPORTED_HEADER) != null;
        if (options.external != null) {
            forwardPutEvents(exchange, reportedByGate);
            return;
        }
        FakeEventBridge.PutAnswer answer = eventBridge.putEvents(body(exchange), reportedByGate);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        if (answer.refusal() != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "ValidationException");
            LocalHttp.send(exchange, 400, Json.write(Map.of("__type", "ValidationException", "message", answer.refusal()))
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        // Put from outside the functions: this request caused them, so they are delivered before its answer.
        eventBridge.deliver(answer.toRoute());
        LocalHttp.send(exchange, 200, answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Passes a PutEvents call to the EventBridge run elsewhere, answers with its answer, and records
     * the entries it accepted (with the EventIds it gave) for {@link #events()}.
     */
    private void forwardPutEvents(HttpExchange exchange, boolean reportedByGate) throws IOException {
        String body = body(exchange);
        HttpRequest.Builder forward = HttpRequest.newBuilder(options.external.eventBridge())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        HttpResponse<byte[]> answer;
        try {
            answer = forwardClient.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (answer.statusCode() == 200) {
            eventBridge.deliver(eventBridge.recordAccepted(body, new String(answer.body(), StandardCharsets.UTF_8), reportedByGate));
        }
        answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
        answer.headers().firstValue("x-amzn-RequestId").ifPresent(id -> exchange.getResponseHeaders().set("x-amzn-RequestId", id));
        LocalHttp.send(exchange, answer.statusCode(), answer.body());
    }

    /**
     * The answer to an AWS call the caller's policy does not allow, in the service's own wire format,
     * so the SDK raises the exception it raises in AWS. The function's SDK call gate sends refused
     * calls here with the verdict in headers.
     */
    private void iamDenied(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        Headers in = exchange.getRequestHeaders();
        int status = Integer.parseInt(header(in, "status"));
        String code = header(in, "code");
        String message = header(in, "message");
        Headers out = exchange.getResponseHeaders();
        out.set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        out.set("x-amzn-ErrorType", code);
        if ("rest-json".equals(header(in, "protocol"))) {
            out.set("Content-Type", "application/json");
            LocalHttp.send(exchange, status, Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8));
        } else {
            out.set("Content-Type", "application/x-amz-json-1.0");
            LocalHttp.send(exchange, status, Json.write(Map.of("__type", "com.amazon.coral.service#" + code,
                    "Message", message)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String header(Headers headers, String name) {
        String value = headers.getFirst("x-local-deny-" + name);
        return value == null ? "" : java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /**
     * The AWS calls ({@code dynamodb:GetItem}, {@code ses:SendEmail}, ...) the function made for the
     * HTTP request whose response carried this {@code apigw-requestid}, oldest first.
     */
    public List<String> callsOf(String apiRequestId) {
        return iam.callsOf(apiRequestId);
    }

    /** Every AWS call a function made that its policy did not allow, oldest first. */
    List<LocalIam.Denial> iamDenials() {
        return iam.denials();
    }

    private void runSchedule(HttpExchange exchange, String logicalId) throws IOException {
        Optional<TemplateModel.Schedule> schedule = schedules.find(logicalId);
        if (schedule.isEmpty()) {
            LocalHttp.sendJson(exchange, 404, Json.message("No schedule " + logicalId + " in the template"));
            return;
        }
        try {
            LocalHttp.sendJson(exchange, 200, schedules.runNow(schedule.get()));
        } catch (InvocationTargetException e) {
            System.out.println("[" + schedule.get().functionId() + "] handler threw:");
            e.getCause().printStackTrace(System.out);
            LocalHttp.sendJson(exchange, 500, Json.message("Handler failed: " + e.getCause()));
        } catch (Exception e) {
            e.printStackTrace(System.out);
            LocalHttp.sendJson(exchange, 500, Json.message("Invocation failed: " + e));
        }
    }

    /**
     * {@code POST /_local/invoke/{LogicalId}}: runs the function on the body as its event, as
     * {@code sam local invoke -e} does (no route, no authorizer; its IAM policy and Timeout apply),
     * and answers what the handler returned, once the events the run caused were delivered. For
     * events nothing local produces, e.g. a Delivery Delayed event for EmailEventsFunction.
     */
    private void invokeFunction(HttpExchange exchange, String logicalId) throws IOException {
        if (!functions.containsKey(logicalId)) {
            LocalHttp.sendJson(exchange, 404, Json.message("No function " + logicalId + " in the template"));
            return;
        }
        String event = body(exchange);
        try {
            Json.readObject(event);
        } catch (IllegalArgumentException e) {
            LocalHttp.sendJson(exchange, 400, Json.message("The body must be the event, a JSON object"));
            return;
        }
        try {
            LocalHttp.sendJson(exchange, 200, invoke(logicalId, event));
        } catch (InvocationTargetException e) {
            System.out.println("[" + logicalId + "] handler threw:");
            e.getCause().printStackTrace(System.out);
            LocalHttp.sendJson(exchange, 500, Json.message("Handler failed: " + e.getCause()));
        } catch (Exception e) {
            // A timeout or a throttle, as Lambda reports them: a function error.
            LocalHttp.sendJson(exchange, 500, Json.message("Invocation failed: " + e));
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- banner

    /** What the stack prints at start: where everything is and a first command to try. */
    public String banner() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Tenure local stack is up (template: " + templatePath + ")");
        lines.add("  API            " + baseUrl());
        if (options.external != null) {
            lines.add("  SES            " + ses.url() + " -> " + options.external.ses() + "   (emails: " + sesUrl() + "/_aws/ses)");
            lines.add("  DynamoDB       " + dynamoDbEndpoint() + "   table " + tableName);
            lines.add("  EventBridge    " + options.external.eventBridge());
        } else {
            lines.add("  SES emulator   " + sesUrl() + "/   (every email sent)");
            lines.add("  DynamoDB Local " + dynamoDbEndpoint() + "   table " + tableName
                    + (options.dataDir == null ? " (in memory)" : " (data in " + options.dataDir + ")"));
        }
        lines.add("  Clock          " + baseUrl() + "/_local/clock   Events " + baseUrl() + "/_local/events"
                + "   Routed " + baseUrl() + "/_local/events/routed");
        lines.add("  API reference  " + baseUrl() + ApiReferencePage.PATH
                + (apiReference.built() ? "" : "   [not built: " + ApiReferencePage.HOW_TO_BUILD + "]"));
        lines.add("  Console        " + baseUrl() + ConsoleFiles.PATH
                + (console.built() ? "" : "   [not built: " + ConsoleFiles.HOW_TO_BUILD + "]"));
        lines.add("  Functions (any one runs on an event: POST " + baseUrl() + "/_local/invoke/{LogicalId} with the event as the body):");
        for (TemplateModel.FunctionDef function : template.functions()) {
            lines.add("    " + function.logicalId() + "  (" + function.codeUri() + ")");
            for (TemplateModel.Route route : function.routes()) {
                lines.add("      " + route.routeKey() + (route.publicRoute() ? "   [public]" : ""));
            }
            for (TemplateModel.Schedule schedule : function.schedules()) {
                lines.add("      " + schedule.expression() + "   POST /_local/schedules/" + schedule.eventId()
                        + (options.schedules ? "" : "   [background firing off]"));
            }
        }
        lines.add("  Get a token:");
        lines.add("    curl -s -X POST " + baseUrl() + "/_local/token -H 'content-type: application/json'"
                + " -d '{\"email\":\"admin@example.com\"}'");
        lines.add("  Ctrl-C stops everything.");
        return String.join(System.lineSeparator(), lines);
    }
}
