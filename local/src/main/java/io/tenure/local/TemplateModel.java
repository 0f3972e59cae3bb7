package io.tenure.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the local stack takes from template.yaml, with CloudFormation intrinsics resolved for this
 * machine: the functions (handler, jar, timeout, environment, HTTP routes, schedules, EventBridge
 * rules), whether the HTTP API has a default authorizer, the DynamoDB tables, and the SES
 * configuration sets' event destinations.
 */
public final class TemplateModel {
    static final String REGION = "us-east-1";
    static final String ACCOUNT_ID = "000000000000";
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /**
     * One HTTP API route of a function: {@code Method Path}, public when its Auth.Authorizer is NONE.
     *
     * @param throttle the route's throttle from the HttpApi's route settings, or null when it has none
     */
    public record Route(String functionId, String eventId, String method, String path, boolean publicRoute,
                        Throttle throttle) {
        /** API Gateway's route key, e.g. {@code POST /orgs/{orgId}/invitations}. */
        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * A route's throttle, as API Gateway applies it to every caller of the route together: a bucket
     * of {@code burstLimit} requests refilled at {@code rateLimit} a second.
     */
    public record Throttle(double rateLimit, int burstLimit) {
    }

    /** One Schedule/ScheduleV2 event: its expression and the optional Input JSON. */
    public record Schedule(String functionId, String eventId, String type, String expression, String input,
                           boolean enabled) {
    }

    /**
     * One EventBridgeRule event of a function: a rule on a bus whose one target is the function,
     * invoked with the matched event itself.
     *
     * @param ruleName its RuleName, or the logical id SAM gives the rule (function id + event id) when unnamed
     * @param eventBusName the bus's name (an ARN in EventBusName is cut to its name); {@code default} when none is named
     * @param pattern the event pattern as JSON, intrinsics resolved
     * @param enabled false when its State is DISABLED
     */
    public record EventRule(String functionId, String eventId, String ruleName, String eventBusName, String pattern,
                            boolean enabled) {
    }

    /**
     * One AWS::SES::ConfigurationSetEventDestination: which event types SES publishes for the
     * emails sent with a configuration set, and to which EventBridge bus.
     *
     * @param matchingEventTypes as the template names them (e.g. {@code delivery}, {@code bounce})
     * @param eventBusName the name of the bus its EventBridgeDestination names, or null when it publishes elsewhere
     */
    public record SesEventDestination(String logicalId, String configurationSetName, String name, boolean enabled,
                                      List<String> matchingEventTypes, String eventBusName) {
        public SesEventDestination {
            matchingEventTypes = List.copyOf(matchingEventTypes);
        }
    }

    /**
     * One AWS::Serverless::Function, with Globals merged in.
     *
     * @param policyStatements the statements of its inline policy documents, intrinsics resolved
     * @param reservedConcurrency its ReservedConcurrentExecutions: at most this many invocations at
     *     once (0 stops every invocation), or null when none is reserved
     * @param autoPublishAlias its AutoPublishAlias: the alias each deploy points at a newly
     *     published version, or null when none is published
     * @param snapStart whether its SnapStart ApplyOn is PublishedVersions
     * @param eventRules its EventBridgeRule events
     */
    public record FunctionDef(String logicalId, String functionName, String codeUri, String handlerClass,
                              String handlerMethod, int timeoutSeconds, int memoryMb,
                              Map<String, String> environment, List<Route> routes, List<Schedule> schedules,
                              List<Map<String, Object>> policyStatements, Integer reservedConcurrency,
                              String autoPublishAlias, boolean snapStart, List<EventRule> eventRules) {
        public FunctionDef {
            eventRules = eventRules == null ? List.of() : List.copyOf(eventRules);
        }

        /** A function with no EventBridge rule. */
        public FunctionDef(String logicalId, String functionName, String codeUri, String handlerClass,
                           String handlerMethod, int timeoutSeconds, int memoryMb,
                           Map<String, String> environment, List<Route> routes, List<Schedule> schedules,
                           List<Map<String, Object>> policyStatements, Integer reservedConcurrency,
                           String autoPublishAlias, boolean snapStart) {
            this(logicalId, functionName, codeUri, handlerClass, handlerMethod, timeoutSeconds, memoryMb, environment,
                    routes, schedules, policyStatements, reservedConcurrency, autoPublishAlias, snapStart, List.of());
        }

        /** A function with no reserved concurrency, no published version and no SnapStart. */
        public FunctionDef(String logicalId, String functionName, String codeUri, String handlerClass,
                           String handlerMethod, int timeoutSeconds, int memoryMb,
                           Map<String, String> environment, List<Route> routes, List<Schedule> schedules,
                           List<Map<String, Object>> policyStatements) {
            this(logicalId, functionName, codeUri, handlerClass, handlerMethod, timeoutSeconds, memoryMb, environment,
                    routes, schedules, policyStatements, null);
        }

        /** A function with no published version and no SnapStart. */
        public FunctionDef(String logicalId, String functionName, String codeUri, String handlerClass,
                           String handlerMethod, int timeoutSeconds, int memoryMb,
                           Map<String, String> environment, List<Route> routes, List<Schedule> schedules,
                           List<Map<String, Object>> policyStatements, Integer reservedConcurrency) {
            this(logicalId, functionName, codeUri, handlerClass, handlerMethod, timeoutSeconds, memoryMb, environment,
                    routes, schedules, policyStatements, reservedConcurrency, null, false);
        }

        /**
         * Whether Lambda snapshots it: SnapStart on published versions, and a version published
         * (AutoPublishAlias), which its events then invoke. SnapStart without a published version
         * changes nothing: $LATEST is never snapshotted.
         */
        public boolean snapshotted() {
            return snapStart && autoPublishAlias != null;
        }

        /** The execution role SAM makes for the function, as named in AWS's AccessDenied messages. */
        public String roleName() {
            return logicalId + "Role";
        }
    }

    /** One AWS::DynamoDB::Table with its properties resolved. */
    public record TableDef(String logicalId, String tableName, Map<String, Object> properties) {
    }

    /** Resource types the local stack runs: it serves, invokes or stores with them, or publishes SES's events through them. */
    static final Set<String> RUN_TYPES = Set.of("AWS::Serverless::Function", "AWS::Serverless::HttpApi",
            "AWS::DynamoDB::Table", "AWS::SES::ConfigurationSetEventDestination");

    /**
     * Resource types the local stack knows and does not run, each with why that is enough. A type in
     * neither list stops the stack (as AWS refuses a type it does not know): a resource skipped without
     * a decision could be one the functions need.
     */
    static final Map<String, String> NOT_RUN_TYPES = Map.ofEntries(
            Map.entry("AWS::Events::EventBus", "the fake bus at /_local/eventbridge takes every PutEvents, to any bus name"),
            Map.entry("AWS::SES::ConfigurationSet", "the SES emulator takes any configuration set"),
            Map.entry("AWS::Logs::LogGroup", "functions log to the stack's output"),
            Map.entry("AWS::SQS::Queue", "the dead-letter queue of asynchronous invocations; locally a failure is printed"),
            Map.entry("AWS::SQS::QueuePolicy", "the dead-letter queue's policy"),
            Map.entry("AWS::KMS::Key", "encrypts the alarm topic"),
            Map.entry("AWS::SNS::Topic", "alarms notify it; alarms watch AWS metrics only"),
            Map.entry("AWS::SNS::TopicPolicy", "the alarm topic's policy"),
            Map.entry("AWS::SNS::Subscription", "the alarm topic's email subscription"),
            Map.entry("AWS::CloudWatch::Alarm", "watches AWS metrics only"),
            Map.entry("AWS::S3::Bucket", "holds the console's built files, which only the distribution reads"),
            Map.entry("AWS::S3::BucketPolicy", "lets the distribution read the console's bucket"),
            Map.entry("AWS::CloudFront::Distribution", "puts the console and the API on one origin in AWS; the local stack is one origin already"),
            Map.entry("AWS::CloudFront::OriginAccessControl", "signs the distribution's requests to the bucket"),
            Map.entry("AWS::CloudFront::Function", "rewrites the console's paths at the edge"),
            Map.entry("AWS::CloudFront::ResponseHeadersPolicy", "adds security headers at the edge"));

    private final Map<String, Object> parameters;
    private final Map<String, Object> resources;
    private final Map<String, Object> conditions;
    private final List<FunctionDef> functions = new ArrayList<>();
    private final List<TableDef> tables = new ArrayList<>();
    private final List<SesEventDestination> sesEventDestinations = new ArrayList<>();
    private final String defaultAuthorizer;
    private final JwtTrust jwtTrust;
    /** Each HttpApi's route settings, by its logical id and by the name a Ref of it gives. */
    private final Map<String, ApiRouteSettings> routeSettings = new LinkedHashMap<>();

    /** An HttpApi's DefaultRouteSettings and its RouteSettings by route key. */
    private record ApiRouteSettings(Map<String, Object> defaults, Map<String, Object> byRouteKey) {
    }

    private TemplateModel(Map<String, Object> template, Map<String, String> parameterOverrides) {
        this.resources = map(template.get("Resources"));
        this.conditions = map(template.get("Conditions"));
        this.parameters = parameterValues(map(template.get("Parameters")), parameterOverrides);
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            String type = text(map(entry.getValue()).get("Type"));
            if (!RUN_TYPES.contains(type) && !NOT_RUN_TYPES.containsKey(type)) {
                throw new IllegalArgumentException(entry.getKey() + ": resource type " + type + " is not known to the"
                        + " local stack. If AWS has it, decide how the local stack treats it: run it, or list it in"
                        + " TemplateModel.NOT_RUN_TYPES with why not running it is enough");
            }
        }

        String authorizer = null;
        JwtTrust trust = null;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            if ("AWS::Serverless::HttpApi".equals(resource.get("Type"))) {
                Map<String, Object> auth = map(resolve(map(resource.get("Properties")).get("Auth")));
                if (auth.get("DefaultAuthorizer") != null) {
                    authorizer = String.valueOf(auth.get("DefaultAuthorizer"));
                    Map<String, Object> jwt = map(map(map(auth.get("Authorizers")).get(authorizer)).get("JwtConfiguration"));
                    if (jwt.get("issuer") != null) {
                        trust = new JwtTrust(String.valueOf(jwt.get("issuer")), audiences(jwt.get("audience")));
                    }
                }
                Map<String, Object> properties = map(resource.get("Properties"));
                ApiRouteSettings settings = new ApiRouteSettings(map(resolve(properties.get("DefaultRouteSettings"))),
                        map(resolve(properties.get("RouteSettings"))));
                routeSettings.put(entry.getKey(), settings);
                routeSettings.put(physicalName(entry.getKey()), settings);
            }
        }
        this.defaultAuthorizer = authorizer;
        this.jwtTrust = trust;

        Map<String, Object> globals = map(resolve(map(map(template.get("Globals")).get("Function"))));
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            Object type = resource.get("Type");
            if ("AWS::Serverless::Function".equals(type)) {
                functions.add(function(entry.getKey(), map(resolve(resource.get("Properties"))), globals));
            } else if ("AWS::DynamoDB::Table".equals(type)) {
                Map<String, Object> properties = map(resolve(resource.get("Properties")));
                Object name = properties.get("TableName");
                tables.add(new TableDef(entry.getKey(), name == null ? entry.getKey() : name.toString(), properties));
            } else if ("AWS::SES::ConfigurationSetEventDestination".equals(type)) {
                sesEventDestinations.add(sesEventDestination(entry.getKey(), map(resolve(resource.get("Properties")))));
            }
        }
    }

    /**
     * Reads and resolves a template.
     *
     * @param parameterOverrides values for template Parameters, over their Defaults
     */
    public static TemplateModel load(Path template, Map<String, String> parameterOverrides) throws IOException {
        return new TemplateModel(CloudFormationYaml.read(template), parameterOverrides);
    }

    public List<FunctionDef> functions() {
        return List.copyOf(functions);
    }

    public List<TableDef> tables() {
        return List.copyOf(tables);
    }

    /** Every EventBridgeRule event of every function, in template order. */
    public List<EventRule> eventRules() {
        return functions.stream().flatMap(f -> f.eventRules().stream()).toList();
    }

    /** Every SES configuration set event destination, in template order. */
    public List<SesEventDestination> sesEventDestinations() {
        return List.copyOf(sesEventDestinations);
    }

    /** Every HTTP API route of every function. */
    public List<Route> routes() {
        return functions.stream().flatMap(f -> f.routes().stream()).toList();
    }

    /**
     * The issuer and audiences of the default authorizer's JwtConfiguration, resolved, or null when
     * the HTTP API has no JWT authorizer.
     */
    public JwtTrust jwtTrust() {
        return jwtTrust;
    }

    /** What a JWT authorizer accepts: tokens from {@code issuer} whose aud (or client_id) is one of {@code audiences}. */
    public record JwtTrust(String issuer, List<String> audiences) {
        public JwtTrust {
            audiences = List.copyOf(audiences);
        }
    }

    /** A resolved {@code audience}: a list, or a CommaDelimitedList parameter's text. */
    private static List<String> audiences(Object value) {
        if (value instanceof List<?> items) {
            return items.stream().map(String::valueOf).map(String::trim).filter(a -> !a.isEmpty()).toList();
        }
        return value == null ? List.of() : java.util.Arrays.stream(String.valueOf(value).split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
    }

    /** The HTTP API's DefaultAuthorizer, or null when routes are public unless they say otherwise. */
    public String defaultAuthorizer() {
        return defaultAuthorizer;
    }

    /** The resources the local stack knows and does not run, logical id to type, in template order. */
    public Map<String, String> resourcesNotRun() {
        Map<String, String> notRun = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            String type = text(map(resource).get("Type"));
            if (NOT_RUN_TYPES.containsKey(type)) {
                notRun.put(id, type);
            }
        });
        return notRun;
    }

    /** A parameter's resolved value. */
    public Object parameter(String name) {
        return parameters.get(name);
    }

    private FunctionDef function(String logicalId, Map<String, Object> properties, Map<String, Object> globals) {
        String handler = text(properties.getOrDefault("Handler", globals.get("Handler")));
        if (handler == null) {
            throw new IllegalArgumentException(logicalId + " has no Handler");
        }
        int separator = handler.indexOf("::");
        String handlerClass = separator < 0 ? handler : handler.substring(0, separator);
        String handlerMethod = separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        String codeUri = text(properties.getOrDefault("CodeUri", globals.get("CodeUri")));
        int timeout = integer(properties.getOrDefault("Timeout", globals.get("Timeout")), 3);
        int memory = integer(properties.getOrDefault("MemorySize", globals.get("MemorySize")), 128);
        String functionName = text(properties.get("FunctionName"));

        Map<String, String> environment = new LinkedHashMap<>();
        map(map(globals.get("Environment")).get("Variables")).forEach((k, v) -> environment.put(k, envValue(v)));
        map(map(properties.get("Environment")).get("Variables")).forEach((k, v) -> environment.put(k, envValue(v)));

        List<Route> routes = new ArrayList<>();
        List<Schedule> schedules = new ArrayList<>();
        List<EventRule> eventRules = new ArrayList<>();
        for (Map.Entry<String, Object> event : map(properties.get("Events")).entrySet()) {
            Map<String, Object> eventDef = map(event.getValue());
            String type = text(eventDef.get("Type"));
            Map<String, Object> eventProperties = map(eventDef.get("Properties"));
            if ("HttpApi".equals(type)) {
                String authorizer = text(map(eventProperties.get("Auth")).get("Authorizer"));
                boolean isPublic = "NONE".equals(authorizer) || (authorizer == null && defaultAuthorizer == null);
                String method = text(eventProperties.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT);
                String path = text(eventProperties.getOrDefault("Path", "$default"));
                routes.add(new Route(logicalId, event.getKey(), method, path, isPublic,
                        throttle(logicalId + "." + event.getKey(), text(eventProperties.get("ApiId")), method + " " + path,
                                map(eventProperties.get("RouteSettings")))));
            } else if ("Schedule".equals(type) || "ScheduleV2".equals(type)) {
                Object state = eventProperties.get("State");
                Object enabled = eventProperties.get("Enabled");
                boolean on = !"DISABLED".equals(state) && !"false".equalsIgnoreCase(String.valueOf(enabled));
                schedules.add(new Schedule(logicalId, event.getKey(), type,
                        text(eventProperties.get("ScheduleExpression")), text(eventProperties.get("Input")), on));
            } else if ("EventBridgeRule".equals(type)) {
                eventRules.add(eventRule(logicalId, event.getKey(), eventProperties));
            }
        }
        if (properties.containsKey("Role")) {
            throw new IllegalArgumentException(logicalId + ": Role is not supported by the local stack, which checks"
                    + " each call against the function's Policies; write the statements in Policies");
        }
        Object reserved = properties.get("ReservedConcurrentExecutions");
        String alias = autoPublishAlias(logicalId, properties.getOrDefault("AutoPublishAlias", globals.get("AutoPublishAlias")));
        boolean snapStart = snapStart(logicalId, properties, globals, alias);
        return new FunctionDef(logicalId, functionName == null ? logicalId : functionName, codeUri,
                handlerClass, handlerMethod, timeout, memory, environment, routes, schedules,
                policyStatements(logicalId, properties.get("Policies")),
                reserved == null ? null : integer(reserved, 0), alias, snapStart, eventRules);
    }

    /**
     * A SAM EventBridgeRule event. Its pattern must be one EventBridge accepts, checked with AWS's
     * own pattern library (event-ruler): EventBridge refuses the rule otherwise, so the stack stops.
     * Input, InputPath and InputTransformer change what the target receives; the local bus delivers
     * the event itself only, so they stop the stack too rather than deliver something else.
     */
    private static EventRule eventRule(String functionId, String eventId, Map<String, Object> properties) {
        String where = functionId + ".Events." + eventId;
        for (String unsupported : List.of("Input", "InputPath", "InputTransformer")) {
            if (properties.containsKey(unsupported)) {
                throw new IllegalArgumentException(where + ": " + unsupported + " is not supported by the local stack's"
                        + " bus, which delivers the matched event itself to the function");
            }
        }
        Object pattern = properties.get("Pattern");
        if (!(pattern instanceof Map<?, ?> patternMap) || patternMap.isEmpty()) {
            throw new IllegalArgumentException(where + ": an EventBridgeRule needs a Pattern, a non-empty object");
        }
        String patternJson = Json.write(pattern);
        String refusal = software.amazon.event.ruler.JsonRuleCompiler.check(patternJson);
        if (refusal != null) {
            throw new IllegalArgumentException(where + ": EventBridge would refuse this rule's Pattern " + patternJson
                    + " (InvalidEventPatternException): " + refusal);
        }
        String state = text(properties.get("State"));
        boolean enabled = !"DISABLED".equals(state) && !"false".equalsIgnoreCase(String.valueOf(properties.get("Enabled")));
        String ruleName = text(properties.get("RuleName"));
        return new EventRule(functionId, eventId, ruleName == null ? functionId + eventId : ruleName,
                busName(text(properties.get("EventBusName"))), patternJson, enabled);
    }

    /** A bus's name from its name or ARN; {@code default} when none is given. */
    static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return "default";
        }
        int slash = nameOrArn.indexOf(":event-bus/");
        return slash < 0 ? nameOrArn : nameOrArn.substring(slash + ":event-bus/".length());
    }

    private static SesEventDestination sesEventDestination(String logicalId, Map<String, Object> properties) {
        Map<String, Object> destination = map(properties.get("EventDestination"));
        Map<String, Object> eventBridge = map(destination.get("EventBridgeDestination"));
        List<String> types = list(destination.get("MatchingEventTypes")).stream().map(String::valueOf).toList();
        // CloudFormation's Enabled defaults to false: a destination that does not say so publishes nothing.
        boolean enabled = "true".equalsIgnoreCase(String.valueOf(destination.get("Enabled")));
        return new SesEventDestination(logicalId, text(properties.get("ConfigurationSetName")), text(destination.get("Name")),
                enabled, types, eventBridge.get("EventBusArn") == null ? null : busName(text(eventBridge.get("EventBusArn"))));
    }

    /** An alias name as Lambda allows it: letters, digits, - and _, not only digits, at most 128 characters. */
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}");

    private static String autoPublishAlias(String logicalId, Object value) {
        String alias = text(value);
        if (alias != null && !ALIAS_NAME.matcher(alias).matches()) {
            throw new IllegalArgumentException(logicalId + ": AutoPublishAlias '" + alias + "' is not an alias name Lambda"
                    + " accepts (letters, digits, - and _, not only digits, at most 128 characters)");
        }
        return alias;
    }

    /** Runtimes Lambda offers SnapStart on: Java 11 and later, Python 3.12 and later, .NET 8 and later. */
    private static final Pattern SNAPSTART_RUNTIMES = Pattern.compile(
            "java(1[1-9]|[2-9][0-9])|python3\\.(1[2-9]|[2-9][0-9])|dotnet([89]|[1-9][0-9])");

    /**
     * Whether SnapStart applies to the function's published versions, refusing what Lambda refuses
     * with it (docs/snapstart.md): an ApplyOn other than PublishedVersions or None, a runtime
     * without SnapStart, a container image, provisioned concurrency, EFS, or ephemeral storage over
     * 512 MB.
     */
    private static boolean snapStart(String logicalId, Map<String, Object> properties, Map<String, Object> globals,
                                     String alias) {
        Object setting = properties.getOrDefault("SnapStart", globals.get("SnapStart"));
        if (setting == null) {
            return false;
        }
        String applyOn = text(map(setting).get("ApplyOn"));
        if ("None".equals(applyOn)) {
            return false;
        }
        if (!"PublishedVersions".equals(applyOn)) {
            throw new IllegalArgumentException(logicalId + ": SnapStart ApplyOn is '" + applyOn
                    + "'; Lambda accepts PublishedVersions or None");
        }
        String runtime = text(properties.getOrDefault("Runtime", globals.get("Runtime")));
        String refusal = null;
        if ("Image".equals(text(properties.getOrDefault("PackageType", globals.get("PackageType"))))) {
            refusal = "a container image";
        } else if (runtime == null || !SNAPSTART_RUNTIMES.matcher(runtime).matches()) {
            refusal = "runtime " + runtime;
        } else if (properties.getOrDefault("ProvisionedConcurrencyConfig", globals.get("ProvisionedConcurrencyConfig")) != null) {
            refusal = "provisioned concurrency";
        } else if (!list(properties.getOrDefault("FileSystemConfigs", globals.get("FileSystemConfigs"))).isEmpty()) {
            refusal = "an EFS file system";
        } else if (integer(map(properties.getOrDefault("EphemeralStorage", globals.get("EphemeralStorage"))).get("Size"), 512) > 512) {
            refusal = "ephemeral storage over 512 MB";
        }
        if (refusal != null) {
            throw new IllegalArgumentException(logicalId + ": Lambda does not support SnapStart with " + refusal
                    + "; turn SnapStart off for it (SnapStart: {ApplyOn: None}) or remove the " + refusal);
        }
        if (alias == null) {
            System.out.println("[local] " + logicalId + ": SnapStart is on but no AutoPublishAlias publishes a version;"
                    + " its events invoke $LATEST, which SnapStart never applies to");
        }
        return true;
    }

    /**
     * A route's throttle as SAM builds the stage's route settings: the event's own RouteSettings
     * over the HttpApi's RouteSettings for its route key, over the HttpApi's DefaultRouteSettings,
     * field by field. Null when no rate and burst apply. A rate without a burst (or the reverse)
     * stops the stack rather than guess what AWS would make of it.
     */
    private Throttle throttle(String where, String apiId, String routeKey, Map<String, Object> eventSettings) {
        ApiRouteSettings api = apiId == null ? null : routeSettings.get(apiId);
        Map<String, Object> merged = new LinkedHashMap<>();
        if (api != null) {
            merged.putAll(api.defaults());
            merged.putAll(map(api.byRouteKey().get(routeKey)));
        }
        merged.putAll(eventSettings);
        Object rate = merged.get("ThrottlingRateLimit");
        Object burst = merged.get("ThrottlingBurstLimit");
        if (rate == null && burst == null) {
            return null;
        }
        if (rate == null || burst == null) {
            throw new IllegalArgumentException(where + " (" + routeKey + "): give both ThrottlingRateLimit and"
                    + " ThrottlingBurstLimit in its route settings, or neither");
        }
        return new Throttle(Double.parseDouble(String.valueOf(rate)), integer(burst, 0));
    }

    /** Managed policies that grant nothing the functions' SDK calls use (only CloudWatch Logs). */
    private static final Set<String> LOGS_ONLY_POLICIES = Set.of("AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");

    /** The statements of a function's Policies: inline documents only, so the local stack can check every call. */
    private static List<Map<String, Object>> policyStatements(String logicalId, Object policies) {
        List<Map<String, Object>> statements = new ArrayList<>();
        List<Object> entries = policies == null ? List.of()
                : policies instanceof List<?> ? list(policies) : List.of(policies);
        for (Object entry : entries) {
            if (entry instanceof String name) {
                if (!LOGS_ONLY_POLICIES.contains(name)) {
                    throw new IllegalArgumentException(logicalId + ": managed policy " + name + " is not known to the local"
                            + " stack's IAM check; write the statements it needs in Policies");
                }
                continue;
            }
            Map<String, Object> document = map(entry);
            if (!document.containsKey("Statement")) {
                throw new IllegalArgumentException(logicalId + ": policy " + document.keySet() + " is a SAM policy template"
                        + " or unknown form; the local stack checks calls against inline statements only");
            }
            Object statement = document.get("Statement");
            for (Object item : statement instanceof List<?> ? list(statement)
                    : statement == null ? List.of() : List.of(statement)) {
                statements.add(map(item));
            }
        }
        return List.copyOf(statements);
    }

    private static Map<String, Object> parameterValues(Map<String, Object> declared, Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : declared.entrySet()) {
            Map<String, Object> parameter = map(entry.getValue());
            Object value = overrides.containsKey(entry.getKey())
                    ? overrides.get(entry.getKey()) : parameter.get("Default");
            if (value == null) {
                continue; // referenced later: fails there with a clear message
            }
            String type = String.valueOf(parameter.get("Type"));
            values.put(entry.getKey(), type.startsWith("CommaDelimitedList") || type.startsWith("List<")
                    ? List.of(value.toString().split("\\s*,\\s*")) : value.toString());
        }
        return values;
    }

    // ---------------------------------------------------------------- intrinsics

    /** Resolves every intrinsic function in {@code node}. */
    Object resolve(Object node) {
        if (node instanceof Map<?, ?> rawMap) {
            Map<String, Object> mapNode = map(rawMap);
            if (mapNode.size() == 1) {
                String key = mapNode.keySet().iterator().next();
                Object argument = mapNode.get(key);
                switch (key) {
                    case "Ref":
                        return ref(text(resolve(argument)));
                    case "Fn::Sub":
                        return sub(argument);
                    case "Fn::GetAtt":
                        return getAtt(argument);
                    case "Fn::Join": {
                        List<Object> args = list(argument);
                        String delimiter = text(resolve(args.get(0)));
                        List<String> parts = new ArrayList<>();
                        for (Object part : list(resolve(args.get(1)))) {
                            parts.add(text(part));
                        }
                        return String.join(delimiter, parts);
                    }
                    case "Fn::Select": {
                        List<Object> args = list(argument);
                        return list(resolve(args.get(1))).get(Integer.parseInt(text(resolve(args.get(0)))));
                    }
                    case "Fn::Split": {
                        List<Object> args = list(argument);
                        String delimiter = text(resolve(args.get(0)));
                        return List.of(text(resolve(args.get(1))).split(Pattern.quote(delimiter), -1));
                    }
                    case "Fn::If": {
                        List<Object> args = list(argument);
                        return resolve(condition(text(args.get(0))) ? args.get(1) : args.get(2));
                    }
                    default:
                        break;
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : mapNode.entrySet()) {
                Object value = resolve(entry.getValue());
                if (value != NO_VALUE) {
                    resolved.put(entry.getKey(), value);
                }
            }
            return resolved;
        }
        if (node instanceof List<?> listNode) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : listNode) {
                Object value = resolve(item);
                if (value != NO_VALUE) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        return node;
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT_ID;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return "tenure-local";
            case "AWS::StackId":
                return "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/tenure-local/local";
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (resources.containsKey(name)) {
            String type = text(map(resources.get(name)).get("Type"));
            if ("AWS::SNS::Topic".equals(type)) {
                return attribute(name, "TopicArn"); // Ref of a topic is its ARN
            }
            if ("AWS::SQS::Queue".equals(type)) {
                return attribute(name, "QueueUrl"); // Ref of a queue is its URL
            }
            return physicalName(name);
        }
        throw new IllegalArgumentException("Ref to unknown name " + name
                + " (a Parameter with no Default needs a value from the local stack)");
    }

    private Object getAtt(Object argument) {
        Object resolved = resolve(argument);
        if (resolved instanceof String dotted && dotted.contains(".")) {
            return attribute(dotted.substring(0, dotted.indexOf('.')), dotted.substring(dotted.indexOf('.') + 1));
        }
        List<Object> args = list(resolved);
        return attribute(text(args.get(0)), args.size() > 1 ? text(args.get(1)) : "Arn");
    }

    /** A resource attribute, as AWS would form it for this account and region. */
    private String attribute(String logicalId, String attribute) {
        Map<String, Object> resource = map(resources.get(logicalId));
        String type = text(resource.get("Type"));
        if (type == null) {
            throw new IllegalArgumentException("GetAtt of unknown resource " + logicalId);
        }
        if (!attribute.equals("Arn") && !attribute.equals("TopicArn")) {
            if (type.equals("AWS::SQS::Queue") && attribute.equals("QueueName")) {
                return physicalName(logicalId);
            }
            if (type.equals("AWS::SQS::Queue") && attribute.equals("QueueUrl")) {
                return "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT_ID + "/" + physicalName(logicalId);
            }
            return fakeArn(logicalId) + "/" + attribute;
        }
        String name = physicalName(logicalId);
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + name;
            case "AWS::Events::EventBus" -> "arn:aws:events:" + REGION + ":" + ACCOUNT_ID + ":event-bus/" + name;
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT_ID + ":" + name;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":" + name;
            case "AWS::Serverless::Function", "AWS::Lambda::Function" ->
                    "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + name;
            case "AWS::SES::ConfigurationSet" ->
                    "arn:aws:ses:" + REGION + ":" + ACCOUNT_ID + ":configuration-set/" + name;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT_ID + ":log-group:" + name + ":*";
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT_ID + ":role/" + name;
            default -> fakeArn(logicalId);
        };
    }

    /** The name a resource gets: its name property, else the logical id. */
    private String physicalName(String logicalId) {
        Map<String, Object> properties = map(map(resources.get(logicalId)).get("Properties"));
        for (String nameProperty : List.of("TableName", "Name", "FunctionName", "LogGroupName", "QueueName",
                "TopicName", "RoleName")) {
            if (properties.get(nameProperty) != null) {
                return text(resolve(properties.get(nameProperty)));
            }
        }
        return logicalId;
    }

    static String fakeArn(String logicalId) {
        return "arn:aws:local:" + REGION + ":" + ACCOUNT_ID + ":" + logicalId;
    }

    private String sub(Object argument) {
        String template;
        Map<String, Object> variables = new LinkedHashMap<>();
        if (argument instanceof List<?> args) {
            template = text(args.get(0));
            map(resolve(args.get(1))).forEach(variables::put);
        } else {
            template = text(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1).trim();
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}"; // ${!Literal} stays literal
            } else if (variables.containsKey(variable)) {
                replacement = text(variables.get(variable));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                int dot = variable.indexOf('.');
                replacement = attribute(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                replacement = text(ref(variable));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("Unknown condition " + name);
        }
        return truth(definition);
    }

    private boolean truth(Object node) {
        Map<String, Object> mapNode = map(node);
        if (mapNode.containsKey("Condition")) {
            return condition(text(mapNode.get("Condition")));
        }
        if (mapNode.containsKey("Fn::Equals")) {
            List<Object> args = list(mapNode.get("Fn::Equals"));
            return text(resolve(args.get(0))).equals(text(resolve(args.get(1))));
        }
        if (mapNode.containsKey("Fn::Not")) {
            return !truth(list(mapNode.get("Fn::Not")).get(0));
        }
        if (mapNode.containsKey("Fn::And")) {
            return list(mapNode.get("Fn::And")).stream().allMatch(this::truth);
        }
        if (mapNode.containsKey("Fn::Or")) {
            return list(mapNode.get("Fn::Or")).stream().anyMatch(this::truth);
        }
        throw new IllegalArgumentException("Unsupported condition " + node);
    }

    // ---------------------------------------------------------------- helpers

    private static String envValue(Object value) {
        if (value instanceof List<?> items) {
            return String.join(",", items.stream().map(String::valueOf).toList());
        }
        return value == null ? "" : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> items) {
            return String.join(",", items.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static int integer(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(String.valueOf(value));
    }
}
