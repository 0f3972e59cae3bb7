package io.tenure.invitation;

import io.tenure.value.EmailAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.DamerauLevenshteinDistance;

/**
 * The domain an invited address probably meant (issue 15): a domain the org knows, or a common
 * mailbox provider, that is close to the invited one. Close means a Damerau-Levenshtein distance
 * of 1 or 2 (a letter missing, extra, changed or two swapped: {@code partnr.example},
 * {@code gmial.com}), or the same name under another top-level domain ({@code agency.co} for
 * {@code agency.com}). A domain that is itself known is never a typo.
 */
public final class DomainTypos {
    /** Mailbox providers people mistype, beyond the org's own domains: the free providers and a few more. */
    static final Set<String> PROVIDERS;

    static {
        Set<String> providers = new TreeSet<>(EmailAddress.CONSUMER_DOMAINS);
        providers.addAll(Set.of("fastmail.com", "hey.com", "pm.me", "tutanota.com", "yahoo.co.uk", "hotmail.co.uk", "outlook.de",
                "t-online.de", "orange.fr", "free.fr", "comcast.net", "verizon.net", "att.net"));
        PROVIDERS = Set.copyOf(providers);
    }

    /** Two edits at most; a domain shorter than this takes one (two edits turn "ab.io" into anything short). */
    private static final int TWO_EDITS_FROM_LENGTH = 8;
    private static final DamerauLevenshteinDistance DISTANCE = new DamerauLevenshteinDistance(2);

    private DomainTypos() {
    }

    /**
     * The domain {@code domain} probably meant, among {@code known} (the org's: its members', its
     * invitations', {@code internalDomains}, {@code allowedEmailDomains}) and the providers; empty
     * when it is known itself or nothing is close. The closest wins; on a tie, the org's own domain,
     * then the first in alphabetical order.
     */
    public static Optional<String> suggest(String domain, Collection<String> known) {
        if (domain == null || domain.isBlank()) {
            return Optional.empty();
        }
        String typed = domain.trim().toLowerCase(Locale.ROOT);
        Set<String> org = new TreeSet<>();
        known.stream().filter(d -> d != null && !d.isBlank()).map(d -> d.trim().toLowerCase(Locale.ROOT)).forEach(org::add);
        if (org.contains(typed) || PROVIDERS.contains(typed)) {
            return Optional.empty();
        }
        record Candidate(String domain, int distance, boolean own) {
        }
        Comparator<Candidate> best = Comparator.comparingInt(Candidate::distance)
                .thenComparing(c -> !c.own()).thenComparing(Candidate::domain);
        Set<String> all = new TreeSet<>(org);
        all.addAll(PROVIDERS);
        return all.stream().map(d -> new Candidate(d, closeness(typed, d), org.contains(d)))
                .filter(c -> c.distance() > 0).min(best).map(Candidate::domain);
    }

    /** The domain of {@code candidates} closest to {@code domain} (on a tie, the first alphabetically), or empty when none is close. */
    public static Optional<String> closestOf(String domain, Collection<String> candidates) {
        String typed = domain.trim().toLowerCase(Locale.ROOT);
        return candidates.stream().filter(c -> closeness(typed, c) > 0)
                .min(Comparator.comparingInt((String c) -> closeness(typed, c)).thenComparing(c -> c));
    }

    /** 1 or 2 for a close domain (a swapped top-level domain counts as 1), 0 when not close. */
    static int closeness(String typed, String candidate) {
        if (typed.equals(candidate)) {
            return 0;
        }
        int cut = typed.lastIndexOf('.');
        int theirs = candidate.lastIndexOf('.');
        if (cut > 0 && theirs > 0 && typed.substring(0, cut).equals(candidate.substring(0, theirs))) {
            return 1; // agency.co for agency.com
        }
        int distance = DISTANCE.apply(typed, candidate);
        if (distance < 0 || distance == 2 && Math.min(typed.length(), candidate.length()) < TWO_EDITS_FROM_LENGTH) {
            return 0;
        }
        return distance;
    }
}
