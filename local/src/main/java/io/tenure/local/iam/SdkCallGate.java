package io.tenure.local.iam;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The local stack's view of every AWS SDK call a function makes, loaded inside the function's own
 * class loader as an SDK global interceptor (the local stack adds a jar holding this class and
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} to each function's class
 * path; function jars never contain it).
 *
 * <p>Before a request leaves, it describes the call with plain JDK types (service, operation and
 * the request's fields) and asks the stack's decider. A refused call is sent to the stack's
 * {@code /_local/iam/denied} route instead, which answers the way the service answers a call its
 * caller's IAM policy does not allow; the SDK's own unmarshaller then raises the exception it
 * raises in AWS. A call from an invocation the stack already abandoned (past the function's
 * timeout) never leaves: Lambda would have stopped the function.
 *
 * <p>After a call the stack asked about succeeds (e.g. SESv2 SendEmail, EventBridge PutEvents), it
 * reports the call with its request and response fields, still as plain JDK types, to the stack's
 * reporter: what AWS does next with such a call (SES publishing its events, the bus routing them)
 * needs what was sent and what the service answered. A reported EventBridge call carries the
 * header {@value #REPORTED_HEADER}, so the stack's bus knows the report will follow.
 *
 * <p>This class must only use JDK and SDK core types: it is linked against the function's copy
 * of the SDK.
 */
public final class SdkCallGate implements ExecutionInterceptor {
    private static final String DENIED_PATH = "/_local/iam/denied";
    private static final Map<String, String> ALLOWED = Map.of("outcome", "allowed");
    /** The decision for one call: made once, applied by each registration of the gate. */
    private static final ExecutionAttribute<Map<String, String>> VERDICT = new ExecutionAttribute<>("TenureLocalIamVerdict");
    private static volatile Function<Map<String, Object>, Map<String, String>> decider;
    /** Marks a request whose successful outcome the gate reports ({@link #afterExecution}). */
    public static final String REPORTED_HEADER = "x-tenure-local-reported";
    /** Whether this call's success was reported already (the gate is registered twice). */
    private static final ExecutionAttribute<Boolean> REPORTED = new ExecutionAttribute<>("TenureLocalReported");
    private static volatile Set<String> reportedCalls = Set.of();
    private static volatile Consumer<Map<String, Object>> reporter;

    /** Called by the local stack, through reflection, on this class's copy in a function's class loader. */
    public static void install(Function<Map<String, Object>, Map<String, String>> newDecider) {
        decider = newDecider;
    }

    /**
     * Called by the local stack, through reflection: after each successful call named in
     * {@code calls} ({@code Service:Operation}, e.g. {@code SesV2:SendEmail}), {@code newReporter}
     * gets its service, operation, request and response fields.
     */
    public static void installReporter(Set<String> calls, Consumer<Map<String, Object>> newReporter) {
        reportedCalls = Set.copyOf(calls);
        reporter = newReporter;
    }

    /**
     * The gate is registered twice: globally, so no service's calls escape it, and for each known
     * service, because a service's own endpoint interceptors run after the global ones and would
     * otherwise point a refused call back at the real endpoint. The first to run decides; each
     * applies the decision; {@link #beforeTransmission} makes sure a refused call never leaves.
     */
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        Map<String, String> verdict = attributes.getAttribute(VERDICT);
        if (verdict == null) {
            Function<Map<String, Object>, Map<String, String>> current = decider;
            if (current == null) {
                throw new IllegalStateException("The local stack has not installed its IAM decider in this function");
            }
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("service", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
            call.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            call.put("request", plain(context.request(), 0));
            Map<String, String> decided = current.apply(call);
            verdict = decided == null ? ALLOWED : decided;
            attributes.putAttribute(VERDICT, verdict);
        }
        if (verdict == ALLOWED) {
            if (reporter != null && reported(attributes)) {
                return context.httpRequest().toBuilder().putHeader(REPORTED_HEADER, "after-execution").build();
            }
            return context.httpRequest();
        }
        if ("stopped".equals(verdict.get("outcome"))) {
            throw new IllegalStateException(verdict.get("message"));
        }
        SdkHttpRequest.Builder denied = context.httpRequest().toBuilder()
                .protocol("http")
                .host(verdict.get("host"))
                .port(Integer.parseInt(verdict.get("port")))
                .encodedPath(DENIED_PATH)
                .clearQueryParameters();
        for (String name : List.of("status", "code", "protocol", "message")) {
            denied.putHeader("x-local-deny-" + name, URLEncoder.encode(verdict.get(name), StandardCharsets.UTF_8));
        }
        return denied.build();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Map<String, String> verdict = attributes.getAttribute(VERDICT);
        if (verdict != null && verdict != ALLOWED && !DENIED_PATH.equals(context.httpRequest().encodedPath())) {
            // Some later interceptor pointed the refused call back at the service: never let it leave.
            throw new IllegalStateException("The local stack refused this call, but the SDK would still send it to "
                    + context.httpRequest().host() + ": register io.tenure.local.iam.SdkCallGate for this service");
        }
    }

    /** Reports a successful call the stack wants to hear of, once (the gate is registered twice). */
    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Consumer<Map<String, Object>> current = reporter;
        if (current == null || attributes.getAttribute(VERDICT) != ALLOWED || !reported(attributes)
                || attributes.getAttribute(REPORTED) != null) {
            return;
        }
        attributes.putAttribute(REPORTED, Boolean.TRUE);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("service", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        call.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        call.put("request", plain(context.request(), 0));
        call.put("response", plain(context.response(), 0));
        current.accept(call);
    }

    private static boolean reported(ExecutionAttributes attributes) {
        return reportedCalls.contains(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** The request as maps, lists and strings: enough for the decider to find tables, indexes and addresses. */
    private static Object plain(Object value, int depth) {
        if (value == null || depth > 8) {
            return null;
        }
        if (value instanceof SdkPojo pojo) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object fieldValue = plain(field.getValueOrDefault(pojo), depth + 1);
                if (fieldValue != null) {
                    fields.put(field.memberName(), fieldValue);
                }
            }
            return fields;
        }
        if (value instanceof List<?> items) {
            List<Object> plainItems = new ArrayList<>();
            for (Object item : items) {
                plainItems.add(plain(item, depth + 1));
            }
            return plainItems;
        }
        if (value instanceof Map<?, ?> entries) {
            Map<String, Object> plainEntries = new LinkedHashMap<>();
            entries.forEach((k, v) -> plainEntries.put(String.valueOf(k), plain(v, depth + 1)));
            return plainEntries;
        }
        return String.valueOf(value);
    }
}
