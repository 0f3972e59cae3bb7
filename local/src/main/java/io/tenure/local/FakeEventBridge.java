package io.tenure.local;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.event.ruler.Machine;

/**
 * A stand-in for EventBridge: no EventBridge emulator exists here, so this answers the SDK's
 * PutEvents (JSON 1.1 protocol) at {@code POST /_local/eventbridge}, records every entry (listed at
 * {@code GET /_local/events}), and routes every event to the targets of the template's rules on its
 * bus: the SAM EventBridgeRule events of the functions, matched with AWS's own pattern library
 * (event-ruler), so prefix, anything-but, exists, numeric and the rest mean what they mean in
 * EventBridge. The events routed are those functions put, those put from outside the functions,
 * and those SES publishes for emails to the mailbox simulator ({@link SesEventPublishing}).
 *
 * <p>A target is invoked as Lambda invokes a function asynchronously for EventBridge: with the
 * event itself, through its {@link LoadedFunction} (its IAM policy and Timeout apply), its result
 * discarded. Unlike AWS, which delivers seconds later, delivery here is deterministic: the events
 * an invocation causes are delivered after it returns and before the stack answers the request
 * that started it (an HTTP API request, a schedule or invoke run); the events those deliveries
 * cause are delivered in turn, until none is left. A target that fails is recorded (listed at
 * {@code GET /_local/events/routed}), not retried, and never thrown at the original caller.
 *
 * <p>With an EventBridge run elsewhere (the LocalStack tier) the stack passes each PutEvents call
 * on, and this records what that bus accepted ({@link #recordAccepted}) and still routes it to the
 * template's rules here, where the functions run.
 */
public final class FakeEventBridge {
    /**
     * An event on its way to a bus.
     *
     * @param bus the bus's name ({@code default} for the default bus)
     * @param event the event as EventBridge delivers it: version, id, detail-type, source, account, time, region, resources, detail
     * @param origin who put it: {@code PutEvents} (with the caller) or {@code SES} (with the event destination)
     */
    record BusEvent(String bus, Map<String, Object> event, String origin) {
    }

    /** The calls the functions' SDK call gates report to {@link #reported} once they succeed. */
    static final Set<String> REPORTED_CALLS = Set.of("SesV2:SendEmail", "EventBridge:PutEvents");

    private final List<Map<String, Object>> entries = new ArrayList<>();
    private final List<Map<String, Object>> routed = new ArrayList<>();
    private final Clock clock;
    private final List<TemplateModel.EventRule> rules;
    private final Map<String, Machine> machinesByBus = new LinkedHashMap<>();
    private final Map<String, LoadedFunction> targets;
    private final SesEventPublishing ses;
    /** Delivers what a run caused when nobody waits for it: a run past API Gateway's wait, a run on a thread of its own. */
    private final ExecutorService detached = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-bus-delivery");
        thread.setDaemon(true);
        return thread;
    });

    /** A bus with no rules and no SES event destination: it records and routes nowhere. */
    FakeEventBridge(Clock clock) {
        this(clock, List.of(), Map.of(), List.of());
    }

    /**
     * A bus routing to the template's rules.
     *
     * @param rules the template's EventBridgeRule events; a disabled one matches nothing
     * @param targets the loaded functions by logical id (read when an event is delivered, so it may fill later)
     * @param sesDestinations the template's SES configuration set event destinations
     * @throws IllegalArgumentException when event-ruler refuses a rule's pattern, as EventBridge refuses the rule
     */
    FakeEventBridge(Clock clock, List<TemplateModel.EventRule> rules, Map<String, LoadedFunction> targets,
                    List<TemplateModel.SesEventDestination> sesDestinations) {
        this.clock = clock;
        this.rules = List.copyOf(rules);
        this.targets = targets;
        this.ses = new SesEventPublishing(sesDestinations, clock);
        for (int i = 0; i < this.rules.size(); i++) {
            TemplateModel.EventRule rule = this.rules.get(i);
            if (!rule.enabled()) {
                continue;
            }
            try {
                machinesByBus.computeIfAbsent(rule.eventBusName(), bus -> new Machine()).addRule(Integer.toString(i), rule.pattern());
            } catch (Exception | Error e) {
                throw new IllegalArgumentException(rule.functionId() + ".Events." + rule.eventId() + " (rule " + rule.ruleName()
                        + "): EventBridge would refuse its pattern " + rule.pattern() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The answer to one PutEvents call, as the SDK expects it. An entry a function's SDK call gate
     * will report after the call ({@code reportedByGate}) is routed with the run that put it; any
     * other is returned, to be routed before the call is answered.
     */
    PutAnswer putEvents(String requestBody, boolean reportedByGate) {
        Map<String, Object> request = Json.readObject(requestBody);
        List<Object> sent = TemplateModel.list(request.get("Entries"));
        // What EventBridge refuses whole (ValidationException): 1 to 10 entries, 256 KB in all.
        if (sent.isEmpty() || sent.size() > MAX_ENTRIES) {
            return PutAnswer.refused("1 validation error detected: Value at 'entries' failed to satisfy constraint: "
                    + "Member must have length between 1 and " + MAX_ENTRIES);
        }
        if (sent.stream().mapToLong(entry -> entrySize(TemplateModel.map(entry))).sum() > MAX_REQUEST_BYTES) {
            return PutAnswer.refused("Total size of the entries in the request is over the limit.");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        List<BusEvent> toRoute = new ArrayList<>();
        int failed = 0;
        for (Object entry : sent) {
            Map<String, String> refusal = entryRefusal(TemplateModel.map(entry));
            if (refusal != null) {
                // EventBridge fails the entry and takes the others; the caller must put it again.
                results.add(new LinkedHashMap<>(refusal));
                failed++;
                continue;
            }
            String eventId = UUID.randomUUID().toString();
            Map<String, Object> recorded = new LinkedHashMap<>(TemplateModel.map(entry));
            recorded.put("EventId", eventId);
            recorded.put("ReceivedAt", clock.instant().toString());
            synchronized (entries) {
                entries.add(recorded);
            }
            results.add(Map.of("EventId", eventId));
            if (!reportedByGate) {
                BusEvent event = busEvent(TemplateModel.map(entry), eventId, "PutEvents from outside the functions");
                if (event != null) {
                    toRoute.add(event);
                }
            }
        }
        return new PutAnswer(Json.write(Map.of("FailedEntryCount", failed, "Entries", results)), toRoute, null);
    }

    /** PutEvents takes at most 10 entries a request. */
    static final int MAX_ENTRIES = 10;
    /** PutEvents takes at most 256 KB of entries a request, counted as EventBridge counts them ({@link #entrySize}). */
    static final long MAX_REQUEST_BYTES = 256 * 1024;

    /**
     * An entry's size as EventBridge's user guide computes it ("Calculating PutEvents event entry
     * size"): 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType, Detail and each Resource.
     */
    static long entrySize(Map<String, Object> entry) {
        long size = entry.get("Time") == null ? 0 : 14;
        for (String field : List.of("Source", "DetailType", "Detail")) {
            Object value = entry.get(field);
            size += value == null ? 0 : String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        for (Object resource : TemplateModel.list(entry.get("Resources"))) {
            size += String.valueOf(resource).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /**
     * Why EventBridge fails this entry (its ErrorCode and ErrorMessage), or null when it takes it:
     * Source, DetailType and Detail are required ({@code InvalidArgument}), and Detail must be a
     * JSON object ({@code MalformedDetail}).
     */
    static Map<String, String> entryRefusal(Map<String, Object> entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            Object value = entry.get(field);
            if (value == null || String.valueOf(value).isBlank()) {
                return Map.of("ErrorCode", "InvalidArgument", "ErrorMessage", "Parameter " + field + " is not valid. Reason: "
                        + field + " is a required argument.");
            }
        }
        Map<String, Object> detail;
        try {
            detail = Json.readObject(String.valueOf(entry.get("Detail")));
        } catch (IllegalArgumentException notAnObject) {
            detail = null;
        }
        return detail == null ? Map.of("ErrorCode", "MalformedDetail", "ErrorMessage", "Detail is malformed.") : null;
    }

    /**
     * A PutEvents answer, and the events to route before it is sent; or, with {@code refusal}, the
     * ValidationException message of a request EventBridge refuses whole.
     */
    record PutAnswer(String body, List<BusEvent> toRoute, String refusal) {
        static PutAnswer refused(String message) {
            return new PutAnswer(null, List.of(), message);
        }
    }

    /**
     * Records the entries of a PutEvents request that the real bus accepted, with the EventIds of
     * its answer; returns those to route here when no function's gate reports them.
     */
    List<BusEvent> recordAccepted(String requestBody, String answerBody, boolean reportedByGate) {
        List<Object> sent = TemplateModel.list(Json.readObject(requestBody).get("Entries"));
        List<Object> results = TemplateModel.list(Json.readObject(answerBody).get("Entries"));
        List<BusEvent> toRoute = new ArrayList<>();
        for (int i = 0; i < sent.size() && i < results.size(); i++) {
            Object eventId = TemplateModel.map(results.get(i)).get("EventId");
            if (eventId == null) {
                continue; // this entry failed: the publisher keeps it for its next run
            }
            Map<String, Object> recorded = new LinkedHashMap<>(TemplateModel.map(sent.get(i)));
            recorded.put("EventId", String.valueOf(eventId));
            recorded.put("ReceivedAt", clock.instant().toString());
            synchronized (entries) {
                entries.add(recorded);
            }
            if (!reportedByGate) {
                BusEvent event = busEvent(TemplateModel.map(sent.get(i)), String.valueOf(eventId),
                        "PutEvents from outside the functions");
                if (event != null) {
                    toRoute.add(event);
                }
            }
        }
        return toRoute;
    }

    /**
     * Hears of a successful call a function made (through its SDK call gate, on the function's
     * thread): the events it causes (SES's for a SendEmail, the entries of a PutEvents) wait on the
     * run that made it, to be delivered when it returns. Never throws into the function.
     */
    void reported(Map<String, Object> call) {
        try {
            Map<String, Object> request = TemplateModel.map(call.get("request"));
            Map<String, Object> response = TemplateModel.map(call.get("response"));
            List<BusEvent> caused = new ArrayList<>();
            Invocation invocation = Invocation.current();
            String caller = invocation == null ? "a function" : invocation.functionId();
            if ("SesV2".equals(call.get("service")) && "SendEmail".equals(call.get("operation"))) {
                caused.addAll(ses.eventsFor(request, response));
            } else if ("EventBridge".equals(call.get("service")) && "PutEvents".equals(call.get("operation"))) {
                List<Object> sent = TemplateModel.list(request.get("Entries"));
                List<Object> answered = TemplateModel.list(response.get("Entries"));
                for (int i = 0; i < sent.size() && i < answered.size(); i++) {
                    Object eventId = TemplateModel.map(answered.get(i)).get("EventId");
                    if (eventId != null) {
                        BusEvent event = busEvent(TemplateModel.map(sent.get(i)), String.valueOf(eventId), "PutEvents from " + caller);
                        if (event != null) {
                            caused.add(event);
                        }
                    }
                }
            }
            if (invocation != null) {
                caused.forEach(invocation::produced);
            } else if (!caused.isEmpty()) {
                // A call from a thread the function started itself: no run to wait for.
                detached.execute(() -> deliver(caused));
            }
        } catch (RuntimeException e) {
            System.out.println("[bus] could not take the events of " + call.get("service") + " " + call.get("operation") + ": " + e);
        }
    }

    /**
     * A PutEvents entry as the event EventBridge delivers, or null when EventBridge would have
     * refused the entry (no Source, DetailType or Detail, or a Detail that is not a JSON object).
     * The entry's fields come from the wire (Time in epoch seconds) or from the gate (Time as an ISO instant).
     */
    private BusEvent busEvent(Map<String, Object> entry, String eventId, String origin) {
        Object source = entry.get("Source");
        Object detailType = entry.get("DetailType");
        Map<String, Object> detail;
        try {
            detail = Json.readObject(String.valueOf(entry.get("Detail")));
        } catch (IllegalArgumentException notAnObject) {
            detail = null;
        }
        if (source == null || detailType == null || detail == null) {
            System.out.println("[bus] entry " + eventId + " not routed: EventBridge needs Source, DetailType and a JSON object Detail");
            return null;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", eventId);
        event.put("detail-type", String.valueOf(detailType));
        event.put("source", String.valueOf(source));
        event.put("account", TemplateModel.ACCOUNT_ID);
        event.put("time", time(entry.get("Time")).truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", TemplateModel.REGION);
        event.put("resources", TemplateModel.list(entry.get("Resources")).stream().map(String::valueOf).toList());
        event.put("detail", detail);
        return new BusEvent(TemplateModel.busName(entry.get("EventBusName") == null ? null
                : String.valueOf(entry.get("EventBusName"))), event, origin);
    }

    private Instant time(Object given) {
        if (given == null) {
            return clock.instant();
        }
        if (given instanceof Number seconds) {
            return Instant.ofEpochMilli(Math.round(seconds.doubleValue() * 1000));
        }
        try {
            return Instant.parse(String.valueOf(given));
        } catch (java.time.format.DateTimeParseException e) {
            return clock.instant();
        }
    }

    /** The template's rules on {@code bus} whose pattern matches {@code eventJson}, in template order. */
    List<TemplateModel.EventRule> matchingRules(String bus, String eventJson) {
        Machine machine = machinesByBus.get(bus);
        if (machine == null) {
            return List.of();
        }
        List<String> matched;
        try {
            matched = machine.rulesForJSONEvent(eventJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("Not an event EventBridge can match: " + eventJson, e);
        }
        return matched.stream().mapToInt(Integer::parseInt).sorted().mapToObj(rules::get).toList();
    }

    /** Runs {@code function} on {@code eventJson}, then delivers what the run caused; answers its result. */
    String invokeAndDeliver(LoadedFunction function, String eventJson) throws Exception {
        LoadedFunction.Started started = function.begin(eventJson, null);
        try {
            return LoadedFunction.await(started.result());
        } finally {
            deliverAfter(started.invocation());
        }
    }

    /** Delivers what this run caused, once it has returned (the caller waited for it). */
    void deliverAfter(Invocation invocation) {
        deliver(invocation.takeProduced());
    }

    /** Delivers what this run causes once it returns, with nobody waiting (API Gateway stopped waiting for it). */
    void deliverWhenDone(LoadedFunction.Started started) {
        started.result().whenCompleteAsync((result, failure) -> deliverAfter(started.invocation()), detached);
    }

    /**
     * Routes each event to the targets of the rules it matches, and each event a target's run
     * causes, until none is left; each event and each target's outcome is recorded.
     */
    void deliver(List<BusEvent> events) {
        Deque<BusEvent> queue = new ArrayDeque<>(events);
        while (!queue.isEmpty()) {
            BusEvent event = queue.poll();
            String eventJson = Json.write(event.event());
            List<TemplateModel.EventRule> matched = matchingRules(event.bus(), eventJson);
            List<Map<String, Object>> deliveries = new CopyOnWriteArrayList<>();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", event.event().get("id"));
            record.put("bus", event.bus());
            record.put("origin", event.origin());
            record.put("source", event.event().get("source"));
            record.put("detailType", event.event().get("detail-type"));
            record.put("routedAt", clock.instant().toString());
            record.put("matchedRules", matched.stream().map(TemplateModel.EventRule::ruleName).toList());
            record.put("deliveries", deliveries);
            record.put("event", event.event());
            synchronized (routed) {
                routed.add(record);
            }
            for (TemplateModel.EventRule rule : matched) {
                Map<String, Object> delivery = new LinkedHashMap<>();
                delivery.put("rule", rule.ruleName());
                delivery.put("function", rule.functionId());
                LoadedFunction target = targets.get(rule.functionId());
                if (target == null) {
                    delivery.put("outcome", "failed");
                    delivery.put("error", "no function " + rule.functionId() + " is loaded");
                    deliveries.add(delivery);
                    continue;
                }
                LoadedFunction.Started started = target.begin(eventJson, null);
                delivery.put("requestId", started.invocation().requestId());
                try {
                    String result = LoadedFunction.await(started.result());
                    delivery.put("outcome", "succeeded");
                    delivery.put("result", parsed(result));
                } catch (FunctionTimeoutException e) {
                    delivery.put("outcome", "timed out");
                    delivery.put("error", e.getMessage());
                } catch (FunctionThrottledException e) {
                    delivery.put("outcome", "throttled");
                    delivery.put("error", e.getMessage());
                } catch (InvocationTargetException e) {
                    delivery.put("outcome", "failed");
                    delivery.put("error", String.valueOf(e.getCause()));
                    System.out.println("[" + rule.functionId() + "] handler threw on the event of rule " + rule.ruleName() + ":");
                    e.getCause().printStackTrace(System.out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    delivery.put("outcome", "interrupted");
                    deliveries.add(delivery);
                    return;
                } catch (Exception e) {
                    delivery.put("outcome", "failed");
                    delivery.put("error", String.valueOf(e));
                }
                deliveries.add(delivery);
                System.out.println("[bus] " + event.event().get("detail-type") + " (" + event.event().get("source") + ") on "
                        + event.bus() + " -> rule " + rule.ruleName() + " -> " + rule.functionId() + ": " + delivery.get("outcome"));
                queue.addAll(started.invocation().takeProduced());
            }
        }
    }

    private static Object parsed(String json) {
        try {
            return Json.read(json);
        } catch (IllegalArgumentException e) {
            return json;
        }
    }

    /** Every entry put so far, oldest first, each with its EventId. */
    public List<Map<String, Object>> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /**
     * Every event routed so far, oldest first: id, bus, origin, source, detailType, routedAt,
     * matchedRules (rule names), deliveries (rule, function, requestId, outcome: succeeded, failed,
     * timed out or throttled, with result or error) and the event itself.
     */
    public List<Map<String, Object>> routed() {
        synchronized (routed) {
            return List.copyOf(routed);
        }
    }

    /** Stops the deliveries nobody waits for. */
    void close() {
        detached.shutdownNow();
    }
}
