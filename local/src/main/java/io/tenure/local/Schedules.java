package io.tenure.local;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's Schedule and ScheduleV2 events: run one now ({@code POST /_local/schedules/{id}}),
 * or in the background on its expression, on real time. Supported expressions: {@code rate(N unit)}
 * and {@code cron(...)} whose minute and hour fields are {@code *}, a number, a list or {@code *}/N
 * (the day, month and weekday fields must be {@code *} or {@code ?}).
 */
final class Schedules implements AutoCloseable {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minutes?|hours?|days?)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    private final Map<String, TemplateModel.Schedule> byEventId = new LinkedHashMap<>();
    private final Map<String, LoadedFunction> functions;
    private final Clock clock;
    private final FakeEventBridge bus;
    private ScheduledExecutorService background;

    /** @param bus delivers the events each run causes before the run counts as done */
    Schedules(List<TemplateModel.Schedule> schedules, Map<String, LoadedFunction> functions, Clock clock,
              FakeEventBridge bus) {
        schedules.forEach(s -> byEventId.put(s.eventId(), s));
        this.functions = functions;
        this.clock = clock;
        this.bus = bus;
    }

    List<TemplateModel.Schedule> all() {
        return List.copyOf(byEventId.values());
    }

    /** The schedule with this event logical id, or the first schedule of the function with this id. */
    Optional<TemplateModel.Schedule> find(String logicalId) {
        if (byEventId.containsKey(logicalId)) {
            return Optional.of(byEventId.get(logicalId));
        }
        return byEventId.values().stream().filter(s -> s.functionId().equals(logicalId)).findFirst();
    }

    /** Invokes the schedule's function now, then delivers the events the run caused; returns its result as JSON. */
    String runNow(TemplateModel.Schedule schedule) throws Exception {
        return bus.invokeAndDeliver(functions.get(schedule.functionId()), event(schedule));
    }

    /** The event EventBridge Scheduler (ScheduleV2) or an EventBridge rule (Schedule) would send. */
    String event(TemplateModel.Schedule schedule) {
        if (schedule.input() != null && !schedule.input().isBlank()) {
            return schedule.input();
        }
        boolean scheduler = "ScheduleV2".equals(schedule.type());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", scheduler ? "aws.scheduler" : "aws.events");
        event.put("account", TemplateModel.ACCOUNT_ID);
        event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", TemplateModel.REGION);
        event.put("resources", List.of(scheduler
                ? "arn:aws:scheduler:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID
                        + ":schedule/default/" + schedule.eventId()
                : "arn:aws:events:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID
                        + ":rule/" + schedule.eventId()));
        event.put("detail", scheduler ? "{}" : Map.of());
        return Json.write(event);
    }

    /** Starts firing every enabled schedule on its expression (real time). */
    void startBackground() {
        List<TemplateModel.Schedule> enabled = new ArrayList<>();
        for (TemplateModel.Schedule schedule : byEventId.values()) {
            if (schedule.enabled()) {
                enabled.add(schedule);
            }
        }
        if (enabled.isEmpty()) {
            return;
        }
        background = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "local-schedules");
            thread.setDaemon(true);
            return thread;
        });
        for (TemplateModel.Schedule schedule : enabled) {
            String expression = schedule.expression() == null ? "" : schedule.expression().trim();
            Matcher rate = RATE.matcher(expression);
            Matcher cron = CRON.matcher(expression);
            if (rate.matches()) {
                long amount = Long.parseLong(rate.group(1));
                String unit = rate.group(2);
                Duration period = unit.startsWith("minute") ? Duration.ofMinutes(amount)
                        : unit.startsWith("hour") ? Duration.ofHours(amount) : Duration.ofDays(amount);
                background.scheduleAtFixedRate(() -> fire(schedule), period.toMillis(), period.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else if (cron.matches() && cronFields(cron.group(1)) != null) {
                String[] fields = cronFields(cron.group(1));
                long untilNextMinute = 60_000 - (System.currentTimeMillis() % 60_000);
                background.scheduleAtFixedRate(() -> {
                    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                    if (cronFieldMatches(fields[0], now.getMinute()) && cronFieldMatches(fields[1], now.getHour())) {
                        fire(schedule);
                    }
                }, untilNextMinute + 500, 60_000, TimeUnit.MILLISECONDS);
            } else {
                System.out.println("[local] " + schedule.eventId() + ": expression " + expression
                        + " is not supported in the background; run it with POST /_local/schedules/"
                        + schedule.eventId());
            }
        }
    }

    private void fire(TemplateModel.Schedule schedule) {
        try {
            String result = runNow(schedule);
            System.out.println("[local] schedule " + schedule.eventId() + " ran: " + result);
        } catch (Exception e) {
            System.out.println("[local] schedule " + schedule.eventId() + " failed: " + e);
        }
    }

    /** The six cron fields when only minute and hour are constrained; null otherwise. */
    private static String[] cronFields(String body) {
        String[] fields = body.trim().split("\\s+");
        if (fields.length != 6) {
            return null;
        }
        for (int i = 2; i < 6; i++) {
            if (!fields[i].equals("*") && !fields[i].equals("?")) {
                return null;
            }
        }
        return fields;
    }

    static boolean cronFieldMatches(String field, int value) {
        for (String part : field.toLowerCase(Locale.ROOT).split(",")) {
            if (part.equals("*") || part.equals("?")) {
                return true;
            }
            if (part.contains("/")) {
                String[] stepped = part.split("/");
                int start = stepped[0].equals("*") ? 0 : Integer.parseInt(stepped[0]);
                int step = Integer.parseInt(stepped[1]);
                if (value >= start && (value - start) % step == 0) {
                    return true;
                }
            } else if (part.contains("-")) {
                String[] range = part.split("-");
                if (value >= Integer.parseInt(range[0]) && value <= Integer.parseInt(range[1])) {
                    return true;
                }
            } else if (Integer.parseInt(part) == value) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdownNow();
        }
    }
}
