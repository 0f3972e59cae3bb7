package io.tenure.id;

import com.github.f4b6a3.ulid.UlidFactory;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Prefixed, URL-safe ids sortable by creation time (ULID), e.g. {@code inv_01JD...}.
 * The time part comes from the injected clock, so ids follow the local stack's clock too.
 */
public final class Ids {
    private final UlidFactory factory;

    public Ids(Clock clock) {
        this.factory = UlidFactory.newMonotonicInstance(new SecureRandom(), clock::millis);
    }

    public String org() {
        return "org_" + next();
    }

    public String project() {
        return "prj_" + next();
    }

    public String member() {
        return "mem_" + next();
    }

    public String invitation() {
        return "inv_" + next();
    }

    public String audit() {
        return "aud_" + next();
    }

    public String apiKey() {
        return "key_" + next();
    }

    private String next() {
        return factory.create().toString();
    }
}
