package io.tenure.bench;

import io.tenure.local.LocalStack;
import java.nio.file.Path;

/** The local stack the benchmark and the guard run against: free ports, no background schedules. */
final class BenchStack {
    private BenchStack() {
    }

    static LocalStack.Options options(Path root) {
        // The whole deployment's daily ceiling would stop the thousands of invitations a full run makes.
        return LocalStack.Options.defaults().port(0).sesPort(0).schedules(false).root(root)
                .parameter("DailyInviteCeiling", "100000000");
    }
}
