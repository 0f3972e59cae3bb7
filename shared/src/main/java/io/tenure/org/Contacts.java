package io.tenure.org;

/** Who a collaborator or inviter is told to ask, in the emails of scheduled steps. */
public final class Contacts {
    private Contacts() {
    }

    /** The org's support contact, or {@code fallback} (usually the inviter), or its admins in words. */
    public static String of(Organization org, String fallback) {
        String support = org.settings().supportContact();
        if (support != null && !support.isBlank()) {
            return support;
        }
        return fallback == null ? "your organization's admins" : fallback;
    }
}
