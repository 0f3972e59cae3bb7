package io.tenure.bench.harness;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The main of every child JVM the benchmark launches: it does what the Lambda Java runtime does for
 * one function instance (load the handler class, construct it, turn each event's JSON into the
 * handler's input type with aws-lambda-java-serialization, call it with a Context, turn the result
 * into JSON) and prints one {@code BENCH_RESULT} line the parent reads.
 *
 * <pre>
 * java -cp harness.jar:serialization.jar:function.jar io.tenure.bench.harness.Harness cold Class::method event.json
 * java ... Harness warm Class::method events.jsonl      (one event per line, one call each)
 * </pre>
 *
 * The bare and floor variants run this same main with {@link BareHandler} or {@link FloorHandler},
 * so the three variants differ only in the handler. Right after the first response the harness
 * loads {@link FirstResponse}, the marker that ends the class count in {@code -Xlog:class+load}.
 * No JSON library here: the bare variant has none on its class path.
 */
public final class Harness {
    private Harness() {
    }

    public static void main(String[] args) throws Throwable {
        long started = System.nanoTime();
        if (args.length != 3 || !List.of("cold", "warm").contains(args[0]) || !args[1].contains("::")) {
            System.err.println("usage: Harness cold|warm <handler Class::method> <event file>");
            System.exit(2);
        }
        String mode = args[0];
        String className = args[1].substring(0, args[1].indexOf("::"));
        String methodName = args[1].substring(args[1].indexOf("::") + 2);
        List<String> events = mode.equals("cold") ? List.of(Files.readString(Path.of(args[2])))
                : Files.readAllLines(Path.of(args[2])).stream().filter(line -> !line.isBlank()).toList();

        ClassLoader loader = Harness.class.getClassLoader();
        Class<?> handlerClass = Class.forName(className, true, loader);
        Method method = handlerMethod(handlerClass, methodName);
        Object handler = handlerClass.getConstructor().newInstance();
        Class<?> inputType = method.getParameterTypes()[0];
        PojoSerializer<Object> input = serializer(inputType, loader);
        Object context = method.getParameterCount() == 2 ? context(loader) : null;

        String first = invoke(handler, method, input, context, events.get(0));
        long firstResponse = System.nanoTime();
        // The marker: classes logged after this one were loaded after the first response.
        Class.forName("io.tenure.bench.harness.FirstResponse", true, loader);
        if (mode.equals("cold")) {
            System.out.println("BENCH_RESULT {\"firstResponseMs\":" + millis(firstResponse - started)
                    + ",\"statusCode\":" + statusCode(first) + ",\"response\":" + quote(first) + "}");
            System.exit(0);
        }
        long[] nanos = new long[events.size() - 1];
        String last = first;
        for (int i = 1; i < events.size(); i++) {
            long t = System.nanoTime();
            last = invoke(handler, method, input, context, events.get(i));
            nanos[i - 1] = System.nanoTime() - t;
        }
        StringBuilder out = new StringBuilder("BENCH_RESULT {\"firstResponseMs\":").append(millis(firstResponse - started))
                .append(",\"calls\":").append(nanos.length)
                .append(",\"p50Ms\":").append(millis(percentile(nanos, 50)))
                .append(",\"p99Ms\":").append(millis(percentile(nanos, 99)))
                .append(",\"statusCode\":").append(statusCode(last))
                .append(",\"response\":").append(quote(last));
        if (System.getProperty("bench.raw") != null) {
            // Raw SDK calls with clients built as the function builds them, in this warm JVM.
            out.append(",\"raw\":").append(RawCalls.run(nanos.length));
        }
        System.out.println(out.append('}'));
        System.exit(0);
    }

    private static String invoke(Object handler, Method method, PojoSerializer<Object> serializer, Object context,
                                 String json) throws Throwable {
        Object event = serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        Object result;
        try {
            result = method.getParameterCount() == 2 ? method.invoke(handler, event, context) : method.invoke(handler, event);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result == null) {
            return "null";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(result.getClass(), handler.getClass().getClassLoader()).toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** As the Java runtime: AWS event types by LambdaEventSerializers, anything else by its Jackson factory. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    /** The public method named in Handler, (input, Context) or (input); the most specific one, as the runtime. */
    private static Method handlerMethod(Class<?> handlerClass, String name) throws NoSuchMethodException {
        return Arrays.stream(handlerClass.getMethods())
                .filter(m -> m.getName().equals(name) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 1 || m.getParameterCount() == 2)
                .min(Comparator.comparing(Method::isBridge).thenComparing(m -> m.getParameterTypes()[0] == Object.class))
                .orElseThrow(() -> new NoSuchMethodException(handlerClass.getName() + "::" + name));
    }

    /** A Context as Lambda gives one: the function's name from the environment, 15 minutes left. */
    private static Object context(ClassLoader loader) throws ClassNotFoundException {
        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
        Class<?> loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger", false, loader);
        Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, called, args) -> {
            if (called.getName().equals("log") && args != null && args.length > 0) {
                Object message = args[0];
                System.err.println(message instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : message);
            }
            return null;
        });
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        long deadline = System.currentTimeMillis() + 900_000;
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, called, args) -> switch (called.getName()) {
            case "getAwsRequestId" -> UUID.randomUUID().toString();
            case "getFunctionName" -> name;
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:123456789012:function:" + name;
            case "getLogGroupName" -> "/aws/lambda/" + name;
            case "getLogStreamName" -> "bench";
            case "getMemoryLimitInMB" -> 512;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
            case "getLogger" -> logger;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "BenchContext";
            default -> null;
        });
    }

    /** The HTTP status of an API Gateway answer, or -1 for an answer that has none (a scheduled function's). */
    static int statusCode(String response) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static long percentile(long[] values, int percent) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String quote(String text) {
        String cut = text.length() > 2000 ? text.substring(0, 2000) : text;
        StringBuilder out = new StringBuilder("\"");
        for (char c : cut.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
