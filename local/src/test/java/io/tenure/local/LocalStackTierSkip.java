package io.tenure.local;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In the LocalStack tier on a machine without Docker, skips each test class that uses
 * {@link SharedStack}, before its set-up and tear-down run, with {@link SharedStack#NO_DOCKER}.
 * Registered for JUnit Jupiter and for jqwik's properties (service files, autodetected). In the
 * in-process tier it skips nothing and reads nothing.
 */
public final class LocalStackTierSkip implements ExecutionCondition, SkipExecutionHook {
    private static final String SHARED_STACK = SharedStack.class.getName().replace('.', '/');
    private static final Pattern PACKAGE_CLASS = Pattern.compile("io/tenure/local/[A-Za-z0-9_$]+");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = reason(context.getTestClass());
        return reason.map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("the shared stack's tier can run here"));
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return reason(context.optionalContainerClass()).map(SkipResult::skip).orElseGet(SkipResult::doNotSkip);
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return true;
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    private static Optional<String> reason(Optional<Class<?>> testClass) {
        if (testClass.isEmpty() || System.getProperty(ExternalTier.TIER_PROPERTY) == null) {
            return Optional.empty();
        }
        String reason = SharedStack.skipReason();
        return reason != null && usesSharedStack(testClass.get()) ? Optional.of(reason) : Optional.empty();
    }

    /**
     * Whether the class, or a class of this package it uses (a helper such as FuzzTarget), directly
     * or through others, names SharedStack: the name is in the constant pool of every class that
     * calls it.
     */
    static boolean usesSharedStack(Class<?> testClass) {
        Class<?> outer = testClass;
        while (outer.getEnclosingClass() != null) {
            outer = outer.getEnclosingClass();
        }
        ClassLoader loader = outer.getClassLoader();
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(outer.getName().replace('.', '/')));
        while (!next.isEmpty()) {
            String name = next.pop();
            if (!seen.add(name)) {
                continue;
            }
            if (name.equals(SHARED_STACK)) {
                return true;
            }
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                if (in == null) {
                    continue;
                }
                Matcher used = PACKAGE_CLASS.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                while (used.find()) {
                    next.push(used.group());
                }
            } catch (IOException e) {
                return true; // cannot tell: skip rather than let its set-up fail
            }
        }
        return false;
    }
}
