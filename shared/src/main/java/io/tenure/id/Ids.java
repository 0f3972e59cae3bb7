package io.tenure.id;

import com.github.f4b6a3.ulid.UlidFactory;
import java.time.Clock;

/**
 * Prefixed, URL-safe ids sortable by creation time (ULID), e.g. {@code inv_01JD...}.
 * The time part comes from the injected clock, so ids follow the local stack's clock too. The
 * random part comes from {@link Randomness}: after a SnapStart restore renews it, the next id
 * rebuilds the ULID factory, so two instances resumed from one snapshot never continue the same
 * monotonic sequence.
 */
public final class Ids {
    private final Clock clock;
    private UlidFactory factory;
    private long generation = -1;

    public Ids(Clock clock) {
        this.clock = clock;
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

    public String reviewCampaign() {
        return "rev_" + next();
    }

    public String invitationRequest() {
        return "req_" + next();
    }

    public String audit() {
        return "aud_" + next();
    }

    public String apiKey() {
        return "key_" + next();
    }

    private synchronized String next() {
        Randomness.Source source = Randomness.source();
        if (source.generation() != generation) {
            factory = UlidFactory.newMonotonicInstance(source.random(), clock::millis);
            generation = source.generation();
        }
        return factory.create().toString();
    }
}
