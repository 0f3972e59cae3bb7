package io.tenure.local;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseParameter;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.openapi.validation.impl.ValidatableResponseImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks HTTP exchanges of the end-to-end tests against {@code openapi.yaml} with Vert.x OpenAPI, a maintained
 * OpenAPI 3.1 validator (JSON Schema 2020-12): the request's parameters and body against its operation, and the
 * answer's status, documented headers, media type and body against that operation's responses.
 *
 * <p>Tests send requests outside the contract on purpose (bad input); those must be refused with a 4xx.
 */
final class OpenApiValidation {
    private static final Object LOCK = new Object();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenApiValidation instance;
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final AtomicLong OFF_CONTRACT_REFUSED = new AtomicLong();
    private static final Set<String> OPERATIONS = ConcurrentHashMap.newKeySet();

    /** The media types the contract uses beyond the validator's defaults. */
    private static final List<String> PROBLEM_JSON = List.of("application/problem+json");
    private static final List<String> TEXT = List.of("text/html", "text/csv");

    private final Vertx vertx;
    private final OpenAPIContract contract;
    private final RequestValidator requests;
    private final ResponseValidator responses;

    private OpenApiValidation(Path file) {
        // Daemon threads: the validator must never keep a test JVM alive.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setUseDaemonThread(true));
        MediaTypeRegistry registry = MediaTypeRegistry.createDefault()
                .register(registration(PROBLEM_JSON, ContentAnalyserFactory.json()))
                .register(registration(TEXT, (type, content, context) -> new TextContent(content)));
        this.contract = await(OpenAPIContract.builder(vertx).setContract(withoutExamples(file))
                .mediaTypeRegistry(registry).build(), "load " + file);
        this.requests = RequestValidator.create(vertx, contract);
        this.responses = ResponseValidator.create(vertx, contract);
    }

    /**
     * The contract as the validator needs it. Without its examples: they document, they are not checked here (the
     * linter checks them), and Vert.x's reference walker reads an example's {@code properties} field as a schema.
     * And with {@code format: email} guarded against Vert.x's crash on an empty string.
     */
    private static JsonObject withoutExamples(Path file) {
        try {
            Object tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> stripped = (Map<String, Object>) stripExamples(tree, false);
            return new JsonObject(stripped);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static Object stripExamples(Object node, boolean namesAreProperties) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (!namesAreProperties && (key.equals("example") || key.equals("examples"))) {
                    continue;
                }
                copy.put(key, stripExamples(entry.getValue(), !namesAreProperties && key.equals("properties")));
            }
            if (!namesAreProperties && "email".equals(copy.get("format")) && !copy.containsKey("if")) {
                // Vert.x's email format check throws on "" (charAt(0)); the same rule, with the check run only on text.
                copy.remove("format");
                copy.put("minLength", Math.max(1, copy.get("minLength") instanceof Number n ? n.intValue() : 0));
                copy.put("if", new LinkedHashMap<>(Map.of("minLength", 1)));
                copy.put("then", new LinkedHashMap<>(Map.of("format", "email")));
            }
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> stripExamples(item, false)).collect(Collectors.toCollection(ArrayList::new));
        }
        return node;
    }

    /** The one validator of this JVM, loaded from the project's openapi.yaml on first use. */
    static OpenApiValidation get() {
        synchronized (LOCK) {
            if (instance == null) {
                Path file = ProjectFiles.root().resolve("openapi.yaml");
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("No contract at " + file + ": openapi.yaml is at the project root");
                }
                instance = new OpenApiValidation(file);
                // The figures of the run, for docs/reliability.md (a shutdown hook's stdout is lost under surefire).
                Path report = ProjectFiles.root().resolve("local/target/openapi-validation.txt");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(report, figures() + System.lineSeparator());
                    } catch (IOException e) {
                        System.err.println("[openapi] " + figures());
                    }
                }));
            }
            return instance;
        }
    }

    /** One request and its answer, as sent and received. */
    record Exchange(String method, URI uri, Map<String, List<String>> requestHeaders, byte[] requestBody,
                    int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {
    }

    /**
     * What in the exchange breaks the contract; empty when it conforms. The answer must match the operation's
     * responses. A request outside the contract conforms only when it was refused with a 4xx: tests send such
     * requests on purpose, and the API must turn them away, never act on them.
     */
    List<String> check(Exchange exchange) {
        String path = exchange.uri().getRawPath();
        Operation operation = contract.findOperation(path, HttpMethod.valueOf(exchange.method()));
        if (operation == null) {
            return List.of();
        }
        String operationId = operation.getOperationId();
        List<String> problems = new ArrayList<>();
        String requestProblem = null;
        try {
            await(requests.validate(request(exchange, operation), operationId), operationId);
        } catch (ContractViolation | IllegalArgumentException e) {
            requestProblem = e.getMessage();
        }
        if (requestProblem != null) {
            if (exchange.status() >= 400 && exchange.status() < 500) {
                OFF_CONTRACT_REFUSED.incrementAndGet();
            } else {
                problems.add("request outside the contract (" + requestProblem + ") was answered " + exchange.status()
                        + ", not refused with a 4xx");
            }
        }
        try {
            await(responses.validate(response(exchange), operationId), operationId);
        } catch (ContractViolation e) {
            problems.add("response " + exchange.status() + ": " + e.getMessage());
        }
        CHECKED.incrementAndGet();
        OPERATIONS.add(operationId);
        return problems;
    }

    /** Exchanges checked so far in this JVM, requests among them outside the contract and refused, operations seen. */
    static String figures() {
        return CHECKED.get() + " exchanges checked against openapi.yaml, " + OFF_CONTRACT_REFUSED.get()
                + " of them requests outside the contract that were refused with a 4xx, covering "
                + OPERATIONS.size() + " operations";
    }

    private static ValidatableRequestImpl request(Exchange exchange, Operation operation) {
        Map<String, RequestParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, RequestParameter> pathParameters = new LinkedHashMap<>();
        Map<String, RequestParameter> query = new LinkedHashMap<>();
        Map<String, List<String>> queryValues = queryValues(exchange.uri().getRawQuery());
        String[] templateSegments = operation.getOpenAPIPath().substring(1).split("/", -1);
        String[] segments = exchange.uri().getRawPath().substring(1).split("/", -1);
        for (Parameter parameter : operation.getParameters()) {
            String name = parameter.getName();
            switch (parameter.getIn()) {
                case HEADER -> headers.put(name, new RequestParameterImpl(first(exchange.requestHeaders(), name)));
                case QUERY -> query.put(name, new RequestParameterImpl(joined(name, queryValues.get(name), parameter)));
                case PATH -> {
                    String value = null;
                    for (int i = 0; i < templateSegments.length && i < segments.length; i++) {
                        if (templateSegments[i].equals("{" + name + "}")) {
                            value = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                        }
                    }
                    pathParameters.put(name, new RequestParameterImpl(value));
                }
                default -> {
                    // No operation of the contract takes a cookie.
                }
            }
        }
        String contentType = first(exchange.requestHeaders(), "content-type");
        if (operation.getRequestBody() != null && operation.getRequestBody().determineContentType(contentType) == null
                && operation.getRequestBody().getContent().containsKey("application/json")) {
            // The API reads a body as JSON whatever its Content-Type says (openapi.yaml, Conventions).
            contentType = "application/json";
        }
        if (operation.getRequestBody() == null) {
            return new ValidatableRequestImpl(Map.of(), headers, pathParameters, query);
        }
        byte[] bytes = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
                ? withoutNulls(exchange.requestBody(), charset(contentType)) : exchange.requestBody();
        RequestParameter body = new RequestParameterImpl(bytes == null || bytes.length == 0 ? null : Buffer.buffer(bytes));
        return new ValidatableRequestImpl(Map.of(), headers, pathParameters, query, body, contentType);
    }

    /**
     * A JSON body without its {@code null} members: the API reads {@code null} as leaving the field out
     * (openapi.yaml, Conventions). Anything that is not JSON is left as it is, for the validator to refuse.
     */
    private static byte[] withoutNulls(byte[] body, Charset charset) {
        if (body == null || body.length == 0) {
            return body;
        }
        try {
            JsonNode tree = JSON.readTree(new String(body, charset));
            if (tree == null) {
                return body;
            }
            dropNulls(tree);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            return body;
        }
    }

    private static void dropNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    nulls.add(field.getKey());
                } else {
                    dropNulls(field.getValue());
                }
            });
            object.remove(nulls);
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiValidation::dropNulls);
        }
    }

    private static ValidatableResponseImpl response(Exchange exchange) {
        Map<String, ResponseParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.responseHeaders().forEach((name, values) -> {
            if (name != null && !values.isEmpty()) {
                headers.put(name, new RequestParameterImpl(values.get(0)));
            }
        });
        String contentType = first(exchange.responseHeaders(), "content-type");
        // The contract names bare media types; the answers add "; charset=utf-8".
        String mediaType = contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean hasBody = exchange.responseBody() != null && exchange.responseBody().length > 0;
        return new ValidatableResponseImpl(exchange.status(), headers,
                new RequestParameterImpl(hasBody ? Buffer.buffer(exchange.responseBody()) : null), mediaType);
    }

    /** The charset a Content-Type names, UTF-8 when none or unknown (the validator reads UTF-8). */
    private static Charset charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** A query parameter's value in the form the validator parses for its style (form, explode by default). */
    private static String joined(String name, List<String> values, Parameter parameter) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return switch (parameter.getSchemaType()) {
            case ARRAY -> parameter.isExplode()
                    ? String.join("&", values.stream().map(v -> name + "=" + v).toList()) : values.get(0);
            default -> values.get(0);
        };
    }

    private static Map<String, List<String>> queryValues(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (value.isEmpty()) {
                // An empty query parameter is the same as leaving it out (openapi.yaml, Conventions).
                continue;
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String details = cause instanceof SchemaValidationException schema && schema.getOutputUnit() != null
                    ? cause.getMessage() + " " + schema.getOutputUnit().getErrors()
                    : String.valueOf(cause.getMessage());
            throw new ContractViolation(details, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The OpenAPI validator did not answer in 30 s: " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MediaTypeRegistration registration(List<String> types, ContentAnalyserFactory analysers) {
        return new MediaTypeRegistration() {
            @Override
            public ContentAnalyser createContentAnalyser(String contentType, Buffer content, ValidationContext context) {
                return analysers.create(contentType, content, context);
            }

            @Override
            public boolean canHandle(String mediaType) {
                return types.contains(mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
            }

            @Override
            public List<String> supportedTypes() {
                return types;
            }
        };
    }

    /** An HTML page or a CSV export: text, checked against a {@code type: string} schema. */
    private record TextContent(Buffer content) implements ContentAnalyser {
        @Override
        public void checkSyntacticalCorrectness() {
            // Any text is well-formed here; the schema says what else it must be.
        }

        @Override
        public Object transform() {
            return content == null ? "" : content.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the validator found wrong with one side of an exchange. */
    private static final class ContractViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ContractViolation(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
