package io.tenure.idempotency;

import io.tenure.log.Log;

import io.tenure.error.ValidationFailedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on POSTs (SPEC §3): the same key and request within 24 h returns the
 * first response and does nothing again; the same key with another request is 422. The key is
 * claimed with a conditional put before the work, so two concurrent repeats do the work once.
 *
 * <p>A claim is a lease: it lasts the invocation's remaining time plus {@link #LEASE_MARGIN}. A
 * function killed mid-request (Lambda timeout) leaves its claim behind; once the lease lapses, a
 * repeat of the same request takes the claim over and runs again. Each claim has its own id, and
 * the response is stored (or the claim released) only under that id, so an original that wakes
 * up late cannot overwrite the newer claim. A stored response is kept 24 h from when it was
 * stored.
 */
public final class IdempotencyService {
    /** How long a stored response answers repeats, and how long the key stays bound to its request. */
    public static final Duration KEPT = Duration.ofHours(24);
    /** Added to the invocation's remaining time: past it the function is surely gone. */
    public static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final IdempotencyStore store;
    private final Clock clock;

    public IdempotencyService(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Runs {@code work} once per (caller, key); repeats of the same request get its stored response.
     * Responses of 5xx are not kept, so the request can be retried with the same key.
     *
     * @param fingerprint what makes two requests "the same": method, path and body
     * @param remaining   the invocation's remaining time now; the claim lapses this long plus
     *                    {@link #LEASE_MARGIN} from now unless a response is stored first
     */
    public StoredResponse run(String callerSub, String key, String fingerprint, Duration remaining, Supplier<StoredResponse> work) {
        if (key.isBlank() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ValidationFailedException.of("/Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        String hash = io.tenure.id.Hashes.sha256Hex(fingerprint);
        String claimId = UUID.randomUUID().toString();
        Duration lease = (remaining == null || remaining.isNegative() ? Duration.ZERO : remaining).plus(LEASE_MARGIN);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            if (store.claim(callerSub, key, hash, claimId, now, now.plus(lease), now.plus(KEPT))) {
                break;
            }
            IdempotencyStore.Claim record = store.find(callerSub, key).orElse(null);
            boolean gone = record == null || !record.expiresAt().isAfter(now);
            if (!gone && !hash.equals(record.fingerprint())) {
                throw new IdempotencyKeyReusedException();
            }
            if (!gone && record.response() != null) {
                return record.response();
            }
            boolean lapsed = gone || (record.leaseUntil() != null && !record.leaseUntil().isAfter(now));
            if (!lapsed || attempt >= 3) {
                throw new RequestInProgressException();
            }
            // It lapsed, expired or was released between the two calls: claim again.
        }
        StoredResponse response;
        try {
            response = work.get();
        } catch (RuntimeException failure) {
            store.release(callerSub, key, claimId);
            throw failure;
        }
        if (response.status() >= 500) {
            store.release(callerSub, key, claimId);
        } else if (!store.storeResponse(callerSub, key, claimId, response, clock.instant().plus(KEPT))) {
            // A repeat took the claim over after this one's lease lapsed; its record stands.
            Log.warn("idempotency claim was taken over; response not stored");
        }
        return response;
    }
}
