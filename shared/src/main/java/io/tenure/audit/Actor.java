package io.tenure.audit;

/** Who made a change: a user (JWT {@code sub}), the system (schedules) or an API key. */
public record Actor(String type, String id, String email) {
    public static Actor user(String sub, String email) {
        return new Actor("user", sub, email);
    }

    public static Actor system(String name) {
        return new Actor("system", name, null);
    }
}
