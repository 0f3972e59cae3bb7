package io.tenure.org;

/**
 * A project's identify settings (SPEC §8): {@code identityHashing} {@code none} or
 * {@code hmac-sha256} (identities stored and returned as {@code h1:<hex>} under a per-project key),
 * and {@code keylessIdentify} (accept Heap's server-side clients, which send only app_id).
 */
public record ProjectSettings(String identityHashing, boolean keylessIdentify) {
    public static final String HMAC = "hmac-sha256";

    public static ProjectSettings defaults() {
        return new ProjectSettings("none", false);
    }

    public boolean hashing() {
        return HMAC.equals(identityHashing);
    }
}
