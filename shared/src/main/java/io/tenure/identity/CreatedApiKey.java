package io.tenure.identity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A new key and its secret: the only response that ever carries the secret. */
public record CreatedApiKey(@JsonUnwrapped ApiKey key, String secret) {
}
