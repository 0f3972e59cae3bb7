package io.tenure.local;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Around every test class (registered by autodetection): fails the class when a function of the
 * shared stack made an AWS call that its policy in template.yaml does not allow. Functions often
 * catch such failures (an email not sent, an event left for the next run), so the test that made
 * the call may still pass; this makes every route and schedule the suite exercises an IAM check.
 */
public final class NoAccessDenied implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoAccessDenied.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalStack stack = SharedStack.startedOrNull();
        context.getStore(NAMESPACE).put("before", stack == null ? 0 : stack.iamDenials().size());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LocalStack stack = SharedStack.startedOrNull();
        if (stack == null) {
            return;
        }
        int before = context.getStore(NAMESPACE).getOrDefault("before", Integer.class, 0);
        List<LocalIam.Denial> denials = stack.iamDenials();
        List<LocalIam.Denial> fresh = denials.subList(Math.min(before, denials.size()), denials.size());
        if (!fresh.isEmpty()) {
            StringBuilder message = new StringBuilder(context.getDisplayName()
                    + ": functions made AWS calls their policies in template.yaml do not allow:");
            fresh.forEach(d -> message.append("\n  ").append(d.functionId()).append(": ").append(d.message()));
            throw new AssertionError(message.toString());
        }
    }
}
