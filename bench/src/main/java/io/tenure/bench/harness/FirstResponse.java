package io.tenure.bench.harness;

/**
 * The marker class the harness loads right after the first response: in the child's
 * {@code -Xlog:class+load} file, the lines before this class's line are the classes loaded up to
 * the first response.
 */
public final class FirstResponse {
    private FirstResponse() {
    }
}
