package io.tenure.local;

/**
 * Where the end-to-end suite gets DynamoDB, SES and EventBridge when they do not run in this JVM:
 * the LocalStack tier ({@code mvn -Plocalstack verify}) implements this with Testcontainers in
 * {@code local/src/localstack/java}, compiled only in that profile, so the default build needs
 * neither Testcontainers nor Docker. {@link SharedStack} is the one place that asks for it.
 */
interface ExternalTier extends AutoCloseable {
    /** The system property that names the tier: {@code in-process} (the default) or {@code localstack}. */
    String TIER_PROPERTY = "tenure.tier";
    /** The class the localstack profile compiles. */
    String LOCALSTACK_CLASS = "io.tenure.local.LocalStackTier";

    /** Why this tier cannot run on this machine (e.g. no Docker engine), or null when it can. */
    String unavailableReason();

    /** Starts the services and points the stack's options at them. */
    LocalStack.Options start(LocalStack.Options options) throws Exception;

    /** Makes what the template would make there and the stack does not: the SES sender and configuration set, the event bus. */
    void provision(LocalStack stack) throws Exception;

    @Override
    void close();

    /** The tier the run asked for, or null for the in-process one. */
    static ExternalTier fromSystemProperty() {
        String tier = System.getProperty(TIER_PROPERTY, "in-process").trim();
        switch (tier) {
            case "", "in-process" -> {
                return null;
            }
            case "localstack" -> {
                try {
                    return (ExternalTier) Class.forName(LOCALSTACK_CLASS).getDeclaredConstructor().newInstance();
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(TIER_PROPERTY + "=localstack needs the localstack profile's classes:"
                            + " run mvn -Plocalstack verify", e);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Could not make " + LOCALSTACK_CLASS + ": " + e, e);
                }
            }
            default -> throw new IllegalStateException(TIER_PROPERTY + "=" + tier + " is not a tier: in-process or localstack");
        }
    }
}
