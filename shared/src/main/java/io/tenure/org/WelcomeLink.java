package io.tenure.org;

/** A link listed in the welcome email. */
public record WelcomeLink(String title, String url) {
}
