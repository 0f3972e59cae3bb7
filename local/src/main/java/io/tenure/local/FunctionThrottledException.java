package io.tenure.local;

/**
 * Lambda refused an invocation because the function already runs as many invocations as its
 * reserved concurrency allows ({@code TooManyRequestsException}, reason
 * {@code ReservedFunctionConcurrentInvocationLimitExceeded}); the handler never ran.
 */
public final class FunctionThrottledException extends Exception {
    private static final long serialVersionUID = 1L;

    FunctionThrottledException(TemplateModel.FunctionDef function, int reserved) {
        super(function.logicalId() + ": Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded: "
                + reserved + " reserved)");
    }
}
