package io.tenure.identity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small cache of values read recently, each kept until its own expiry and never more than
 * {@code capacity} of them: adding one more drops the least recently used. Bounded, so callers who
 * send many distinct keys cannot grow it without limit. Thread-safe (one lock; every operation is
 * a map lookup).
 */
final class RecentCache<V> {
    private record Entry<V>(V value, Instant until) {
    }

    private final Map<String, Entry<V>> entries;

    RecentCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        // Access order: a get moves the entry to the young end, so the eldest is the least recently used.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value for {@code key} if it is cached and not expired at {@code now}, else null. */
    synchronized V get(String key, Instant now) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.until().isBefore(now)) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    /** Caches {@code value} until {@code until}, dropping the least recently used entry if full. */
    synchronized void put(String key, V value, Instant until) {
        entries.put(key, new Entry<>(value, until));
    }

    /** How many entries are held now. */
    synchronized int size() {
        return entries.size();
    }
}
