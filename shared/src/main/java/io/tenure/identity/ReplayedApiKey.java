package io.tenure.identity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A key's creation as a repeat of that request answers it: the key, and {@code secretWithheld:
 * true} instead of the secret, which only the first answer carries and nothing stores.
 */
public record ReplayedApiKey(@JsonUnwrapped ApiKey key, boolean secretWithheld) {
}
