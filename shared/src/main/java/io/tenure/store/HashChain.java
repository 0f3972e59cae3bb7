package io.tenure.store;

import io.tenure.id.Hashes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A hash chain of items (the audit trail's, docs/data-model.md "The audit hash chain"). Each link
 * stores {@code seq}, the hash of the link before it ({@code prevHash}) and its own {@code hash}:
 * the SHA-256 (hex) of its canonical form. A head item per chain holds the last {@code seq} and
 * {@code hash}; {@link Table#transact} links new items and moves the head in the same transaction,
 * on the condition that the head is where it was read, so concurrent writers never fork a chain.
 */
public final class HashChain {
    /** The {@code prevHash} of a chain's first link. */
    public static final String GENESIS = "0".repeat(64);
    /** The attributes a link adds to its item. */
    public static final String SEQ = "seq";
    public static final String PREV_HASH = "prevHash";
    public static final String HASH = "hash";

    private HashChain() {
    }

    /** Where a chain ends: its last link's number (0: none yet) and hash. */
    public record Head(long seq, String hash) {
        public static final Head EMPTY = new Head(0, GENESIS);

        /** The head a head item (or its absence, null) says. */
        public static Head of(Map<String, AttributeValue> item) {
            if (item == null || item.isEmpty() || item.get(SEQ) == null) {
                return EMPTY;
            }
            return new Head(Long.parseLong(item.get(SEQ).n()), item.get(HASH).s());
        }
    }

    /**
     * The hash of a stored link: SHA-256 over the canonical form of its attributes except
     * {@code hash} and those named in {@code unhashed} (keys and bookkeeping that change after the
     * write). {@code seq} and {@code prevHash} are attributes of the item, so they are hashed.
     */
    public static String hash(Map<String, AttributeValue> item, Set<String> unhashed) {
        Map<String, AttributeValue> hashed = new TreeMap<>();
        item.forEach((name, value) -> {
            if (!HASH.equals(name) && !unhashed.contains(name)) {
                hashed.put(name, value);
            }
        });
        StringBuilder out = new StringBuilder();
        canonical(AttributeValue.fromM(hashed), out);
        return Hashes.sha256Hex(out.toString());
    }

    /** {@code item} as link {@code seq} after {@code prevHash}, with its hash. */
    static Map<String, AttributeValue> link(Map<String, AttributeValue> item, Set<String> unhashed, long seq, String prevHash) {
        Map<String, AttributeValue> linked = new LinkedHashMap<>(item);
        linked.put(SEQ, AttributeValue.fromN(Long.toString(seq)));
        linked.put(PREV_HASH, AttributeValue.fromS(prevHash));
        linked.put(HASH, AttributeValue.fromS(hash(linked, unhashed)));
        return linked;
    }

    /**
     * Canonical JSON of an attribute value: object keys sorted by UTF-16 code units, no
     * whitespace, numbers without trailing zeros or exponent (DynamoDB keeps a number's value,
     * not its spelling), sets sorted. The same item always gives the same text.
     */
    static void canonical(AttributeValue value, StringBuilder out) {
        if (value.s() != null) {
            string(value.s(), out);
        } else if (value.n() != null) {
            out.append(number(value.n()));
        } else if (value.bool() != null) {
            out.append(value.bool());
        } else if (value.hasM()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, AttributeValue> e : new TreeMap<>(value.m()).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                canonical(e.getValue(), out);
            }
            out.append('}');
        } else if (value.hasL()) {
            out.append('[');
            for (int i = 0; i < value.l().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(value.l().get(i), out);
            }
            out.append(']');
        } else if (value.hasSs()) {
            List<String> sorted = new ArrayList<>(value.ss());
            sorted.sort(null);
            out.append('[');
            for (int i = 0; i < sorted.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(sorted.get(i), out);
            }
            out.append(']');
        } else if (value.hasNs()) {
            List<BigDecimal> sorted = new ArrayList<>(value.ns().stream().map(BigDecimal::new).toList());
            sorted.sort(null);
            out.append('[');
            for (int i = 0; i < sorted.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(number(sorted.get(i).toPlainString()));
            }
            out.append(']');
        } else {
            out.append("null");
        }
    }

    private static String number(String n) {
        BigDecimal value = new BigDecimal(n);
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** A JSON string: quote, backslash and control characters escaped, everything else as is. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
