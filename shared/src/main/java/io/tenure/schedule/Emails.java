package io.tenure.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.org.Organization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small pieces the scheduled emails share: dates for people, the contact, the recipients. */
final class Emails {
    /** How to reach the org's admins: its support contact, or the given fallback (usually the inviter). */
    static String contact(Organization org, String fallback) {
        String support = org.settings().supportContact();
        if (support != null && !support.isBlank()) {
            return support;
        }
        return fallback == null ? "your organization's admins" : fallback;
    }

    /** The inviter first, then the stakeholders, each once. */
    static List<String> inviterAndStakeholders(JsonNode payload) {
        Set<String> all = new LinkedHashSet<>();
        String inviter = payload.path("inviterEmail").asText(null);
        if (inviter != null) {
            all.add(inviter);
        }
        payload.path("stakeholders").forEach(s -> all.add(s.asText()));
        return new ArrayList<>(all);
    }
}
