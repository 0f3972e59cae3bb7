package io.tenure.local.crac;

/**
 * The local stack's side of {@code org.crac.Resource}: what {@code org.crac} registers with this
 * package's {@link Context} (through a proxy) when {@code org.crac.Core.Compat} names this package,
 * as Lambda's Java runtime names its own ({@code com.amazonaws.services.lambda.crac}).
 */
public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
