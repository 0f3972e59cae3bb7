package io.tenure.local;

/** A function ran past its Timeout and the local stack abandoned the invocation, as Lambda stops it. */
public final class FunctionTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    FunctionTimeoutException(TemplateModel.FunctionDef function, long timeoutMillis) {
        super(function.logicalId() + ": Task timed out after " + String.format(java.util.Locale.ROOT, "%.2f", timeoutMillis / 1000.0)
                + " seconds");
    }
}
