package io.tenure.local;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One function of the template, loaded from its own shaded jar in its own class loader (whose
 * parent is the platform loader, so nothing of the local stack's classpath leaks in: a class missing
 * from the jar fails here as it would in Lambda). One handler instance serves every invocation, as
 * one warm Lambda environment would; requests may call it concurrently.
 */
final class LoadedFunction implements AutoCloseable {
    /**
     * What the function's SDK call gate reports after a successful call: the calls it names
     * ({@code Service:Operation}) and who hears of them, with plain JDK types only.
     */
    record CallReporter(java.util.Set<String> calls, java.util.function.Consumer<Map<String, Object>> reporter) {
    }

    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
    private static final String LOGGER = "com.amazonaws.services.lambda.runtime.LambdaLogger";
    private static final Map<Class<?>, PojoSerializer<?>> SERIALIZERS = new ConcurrentHashMap<>();

    private final TemplateModel.FunctionDef definition;
    private final URLClassLoader loader;
    private final Object handler;
    private final Method method;
    private final Class<?> inputType;
    private final Class<?> contextType;
    private final Object logger;
    private final ExecutorService workers;
    /** Invocations running now, counted against the function's reserved concurrency. */
    private final AtomicInteger running = new AtomicInteger();
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-function-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    private LoadedFunction(TemplateModel.FunctionDef definition, URLClassLoader loader, Object handler,
                           Method method, Class<?> contextType, Object logger) {
        this.definition = definition;
        this.loader = loader;
        this.handler = handler;
        this.method = method;
        this.inputType = method.getParameterTypes()[0];
        this.contextType = contextType;
        this.logger = logger;
        AtomicInteger number = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fn-" + definition.logicalId() + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the function's jar, installs its environment and the stack's clock into the function's
     * own copy of {@code io.tenure.runtime.FunctionRuntime}, and makes its handler.
     */
    static LoadedFunction load(TemplateModel.FunctionDef definition, Path templateFolder,
                               Map<String, String> environment, Clock clock,
                               Function<Map<String, Object>, Map<String, String>> iamDecider) throws Exception {
        return load(definition, templateFolder, environment, clock, iamDecider, null);
    }

    /**
     * As {@link #load(TemplateModel.FunctionDef, Path, Map, Clock, Function)}, and installs
     * {@code callReporter} in the function's SDK call gate (null: none), which hears of each
     * successful call it names (e.g. SESv2 SendEmail) with its request and response.
     */
    static LoadedFunction load(TemplateModel.FunctionDef definition, Path templateFolder,
                               Map<String, String> environment, Clock clock,
                               Function<Map<String, Object>, Map<String, String>> iamDecider,
                               CallReporter callReporter) throws Exception {
        Path jar = templateFolder.resolve(definition.codeUri()).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Function " + definition.logicalId() + ": no jar at " + jar
                    + " (CodeUri " + definition.codeUri() + "); run mvn package first");
        }
        // The function's jar first; then the local stack's SDK call gate (IAM and timeouts), which the
        // SDK finds as a global interceptor, and its CRaC implementation, which org.crac finds through
        // org.crac.Core.Compat as in Lambda's runtime. Nothing else of the local stack is visible to the function.
        URLClassLoader loader = new URLClassLoader("function-" + definition.logicalId(),
                new URL[] {jar.toUri().toURL(), GateJar.path().toUri().toURL(), CracJar.path().toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        System.setProperty(CracJar.COMPAT_PROPERTY, CracJar.PACKAGE);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            installRuntime(definition, loader, environment, clock);
            if (loader.getResource("software/amazon/awssdk/core/interceptor/ExecutionInterceptor.class") != null) {
                Class<?> gate = Class.forName(GateJar.GATE_CLASS, true, loader);
                gate.getMethod("install", Function.class).invoke(null, iamDecider);
                if (callReporter != null) {
                    gate.getMethod("installReporter", java.util.Set.class, java.util.function.Consumer.class)
                            .invoke(null, callReporter.calls(), callReporter.reporter());
                }
            } // else the jar has no AWS SDK, so it can make no AWS call to check

            Class<?> handlerClass = Class.forName(definition.handlerClass(), true, loader);
            Class<?> contextType = Class.forName(CONTEXT, false, loader);
            Method method = handlerMethod(definition, handlerClass, contextType);
            Object handler = handlerClass.getConstructor().newInstance();
            if (definition.snapshotted()) {
                publishVersion(definition, loader);
            }
            Class<?> loggerType = Class.forName(LOGGER, false, loader);
            Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType},
                    (proxy, called, args) -> logCall(definition.logicalId(), proxy, called, args));
            return new LoadedFunction(definition, loader, handler, method, contextType, logger);
        } catch (Exception | LinkageError e) {
            loader.close();
            throw new IllegalStateException("Function " + definition.logicalId() + ": could not load "
                    + definition.handlerClass() + " from " + jar + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * What Lambda does when it publishes a version of a function with SnapStart on, after the init
     * phase (the handler's constructor): it runs the beforeCheckpoint hooks, takes the snapshot, and
     * each instance resumed from it runs the afterRestore hooks before its first invocation. Here
     * both run once, in the function's class loader; a hook that throws fails the load, as it fails
     * the version's publication (and the deploy) in AWS.
     */
    private static void publishVersion(TemplateModel.FunctionDef definition, ClassLoader loader) throws Exception {
        Class<?> core;
        try {
            core = Class.forName(CracJar.CORE_CLASS, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the local CRaC implementation is not in the function's class loader", e);
        }
        int hooks = (Integer) core.getMethod("registered").invoke(null);
        for (String phase : List.of("beforeCheckpoint", "afterRestore")) {
            try {
                core.getMethod(phase).invoke(null);
            } catch (InvocationTargetException e) {
                Throwable failure = e.getCause();
                Throwable first = failure.getSuppressed().length > 0 ? failure.getSuppressed()[0] : failure;
                throw new IllegalStateException("SnapStart " + phase + " hook failed, so Lambda would not publish the"
                        + " version for alias " + definition.autoPublishAlias() + ": " + first, first);
            }
        }
        System.out.println("[local] " + definition.logicalId() + ": SnapStart version published for alias "
                + definition.autoPublishAlias() + " (" + hooks + " runtime hook" + (hooks == 1 ? "" : "s")
                + " ran before the snapshot and after the restore)");
    }

    private static void installRuntime(TemplateModel.FunctionDef definition, ClassLoader loader,
                                       Map<String, String> environment, Clock clock) throws Exception {
        Class<?> runtime;
        try {
            runtime = Class.forName("io.tenure.runtime.FunctionRuntime", true, loader);
        } catch (ClassNotFoundException e) {
            System.out.println("[local] " + definition.logicalId()
                    + " has no io.tenure.runtime.FunctionRuntime: it reads the process environment and real time");
            return;
        }
        runtime.getMethod("install", Map.class, Clock.class).invoke(null, environment, clock);
    }

    /** The public 2-argument method named in Handler whose second parameter is the jar's Context. */
    private static Method handlerMethod(TemplateModel.FunctionDef definition, Class<?> handlerClass,
                                        Class<?> contextType) throws NoSuchMethodException {
        return Arrays.stream(handlerClass.getMethods())
                .filter(m -> m.getName().equals(definition.handlerMethod()))
                .filter(m -> m.getParameterCount() == 2 && m.getParameterTypes()[1] == contextType)
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .min(Comparator.comparing((Method m) -> m.isBridge())
                        .thenComparing(m -> m.getParameterTypes()[0] == Object.class))
                .orElseThrow(() -> new NoSuchMethodException(definition.handlerClass() + "::"
                        + definition.handlerMethod() + "(input, Context)"));
    }

    TemplateModel.FunctionDef definition() {
        return definition;
    }

    /**
     * Invokes the handler with {@code eventJson} converted to its input type, as the Java Lambda
     * runtime does, and waits for its result as JSON ("null" for no result).
     *
     * @throws InvocationTargetException when the handler throws
     * @throws FunctionTimeoutException when it runs past the function's Timeout (the run is abandoned)
     */
    String invoke(String eventJson) throws Exception {
        return await(start(eventJson));
    }

    /**
     * Waits for an invocation's result as JSON, throwing what it failed with: the handler's
     * exception in an {@link InvocationTargetException}, {@link FunctionTimeoutException} or
     * {@link FunctionThrottledException}.
     */
    static String await(CompletableFuture<String> invocation) throws Exception {
        try {
            return invocation.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Starts an invocation on its own thread, as Lambda runs it apart from its caller. At the
     * function's Timeout (real time) the invocation is abandoned, as Lambda stops a function that
     * runs too long: the future fails with {@link FunctionTimeoutException}, the thread is
     * interrupted, and any AWS call it still makes is refused before it leaves.
     *
     * <p>With reserved concurrency, an invocation beyond it fails at once with
     * {@link FunctionThrottledException} and the handler never runs, as Lambda throttles it. A
     * finished or abandoned invocation gives its place back.
     */
    CompletableFuture<String> start(String eventJson) {
        return start(eventJson, null);
    }

    /** As {@link #start(String)}, for a request the HTTP API received with this {@code apigw-requestid}. */
    CompletableFuture<String> start(String eventJson, String apiRequestId) {
        return begin(eventJson, apiRequestId).result();
    }

    /** One invocation started: the run (with the events it causes) and its result. */
    record Started(Invocation invocation, CompletableFuture<String> result) {
    }

    /** As {@link #start(String, String)}, with the run itself, whose events the bus delivers once it returns. */
    Started begin(String eventJson, String apiRequestId) {
        String requestId = UUID.randomUUID().toString();
        Invocation invocation = new Invocation(definition.logicalId(), requestId, apiRequestId);
        CompletableFuture<String> result = new CompletableFuture<>();
        Started run = new Started(invocation, result);
        Integer reserved = definition.reservedConcurrency();
        if (reserved != null) {
            if (running.incrementAndGet() > reserved) {
                running.decrementAndGet();
                System.out.println("[" + definition.logicalId() + "] " + requestId + " throttled: "
                        + reserved + " reserved concurrency in use");
                result.completeExceptionally(new FunctionThrottledException(definition, reserved));
                return run;
            }
            // Completes once: by the handler or by the timeout, whichever comes first.
            result.whenComplete((value, failure) -> running.decrementAndGet());
        }
        long started = System.currentTimeMillis();
        Future<?> running = workers.submit(() -> invocation.runHere(() -> {
            try {
                result.complete(invokeHere(eventJson, requestId, started));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        }));
        long timeoutMillis = definition.timeoutSeconds() * 1000L;
        TIMERS.schedule(() -> {
            if (result.completeExceptionally(new FunctionTimeoutException(definition, timeoutMillis))) {
                invocation.abandon();
                running.cancel(true);
                System.out.println("[" + definition.logicalId() + "] " + requestId + " Task timed out after "
                        + String.format(java.util.Locale.ROOT, "%.2f", timeoutMillis / 1000.0) + " seconds");
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return run;
    }

    private String invokeHere(String eventJson, String requestId, long started) throws Exception {
        Object context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType},
                (proxy, called, args) -> contextCall(requestId, started, proxy, called, args));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object input = fromJson(eventJson, inputType);
            Object result = method.invoke(handler, input, context);
            return toJson(result);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Object fromJson(String json, Class<?> type) throws IOException {
        if (type == String.class) {
            return Json.read(json) instanceof String text ? text : json;
        }
        if (type == Object.class || Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type)
                || type.isPrimitive() || Number.class.isAssignableFrom(type) || type == Boolean.class) {
            return Json.MAPPER.readValue(json, type);
        }
        return serializer(type).fromJson(json);
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Object result) {
        if (result == null) {
            return "null";
        }
        Class<?> type = result.getClass();
        if (result instanceof Map || result instanceof List || result instanceof String
                || result instanceof Number || result instanceof Boolean) {
            return Json.write(result);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((PojoSerializer<Object>) serializer(type)).toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PojoSerializer<?> serializer(Class<?> type) {
        return SERIALIZERS.computeIfAbsent(type, t -> JacksonFactory.getInstance().getSerializer(t));
    }

    private Object contextCall(String requestId, long started, Object proxy, Method called, Object[] args) {
        switch (called.getName()) {
            case "getAwsRequestId":
                return requestId;
            case "getFunctionName":
                return definition.functionName();
            case "getFunctionVersion":
                return "$LATEST";
            case "getInvokedFunctionArn":
                return "arn:aws:lambda:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID + ":function:"
                        + definition.functionName();
            case "getLogGroupName":
                return "/aws/lambda/" + definition.functionName();
            case "getLogStreamName":
                return "local";
            case "getMemoryLimitInMB":
                return definition.memoryMb();
            case "getRemainingTimeInMillis":
                long remaining = definition.timeoutSeconds() * 1000L - (System.currentTimeMillis() - started);
                return (int) Math.max(0, remaining);
            case "getLogger":
                return logger;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "LocalContext[" + definition.logicalId() + ", " + requestId + "]";
            default:
                return null; // getIdentity, getClientContext, getTenantId, ...
        }
    }

    private static Object logCall(String functionId, Object proxy, Method called, Object[] args) {
        switch (called.getName()) {
            case "log":
                Object message = args == null || args.length == 0 ? "" : args[0];
                String text = message instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(message);
                for (String line : text.stripTrailing().split("\n")) {
                    System.out.println("[" + functionId + "] " + line);
                }
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "LocalLogger[" + functionId + "]";
            default:
                return null;
        }
    }

    /** The environment a function sees: its template environment plus what Lambda adds. */
    static Map<String, String> lambdaEnvironment(TemplateModel.FunctionDef definition) {
        Map<String, String> environment = new LinkedHashMap<>(definition.environment());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", definition.functionName());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(definition.memoryMb()));
        environment.put("AWS_REGION", TemplateModel.REGION);
        environment.put("AWS_DEFAULT_REGION", TemplateModel.REGION);
        return environment;
    }

    @Override
    public void close() throws IOException {
        workers.shutdownNow();
        loader.close();
    }
}
