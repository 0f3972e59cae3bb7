package io.tenure.org;

import io.tenure.value.EmailAddress;

/**
 * How one collaborator signs in to the analytics platform (issue 15): what the invitation email,
 * the accept page and the welcome email tell them.
 *
 * <ul>
 *   <li>An address on one of the org's {@code ssoDomains}: the org's SSO, at {@code ssoLoginUrl}
 *       (else {@code loginUrl}).</li>
 *   <li>Any other address: the org's {@code loginMethod} at {@code loginUrl}; but when that method
 *       is {@code sso} and the org names its SSO domains, an address outside them is unknown to its
 *       identity provider, so it signs in with an email and password ({@link #outsideSso}).</li>
 * </ul>
 *
 * @param method {@code password}, {@code google} or {@code sso}; null when the org set none
 * @param url where to sign in; null when the org set none
 * @param outsideSso whether the org signs in with SSO but this address is outside its SSO domains
 */
public record SignIn(String method, String url, boolean outsideSso) {
    /** How the address with this key signs in to the org with these settings. */
    public static SignIn of(OrgSettings settings, String emailKey) {
        String domain = EmailAddress.domain(emailKey);
        if (settings.ssoDomains().contains(domain)) {
            return new SignIn("sso", settings.ssoLoginUrl() != null ? settings.ssoLoginUrl() : settings.loginUrl(), false);
        }
        if ("sso".equals(settings.loginMethod()) && !settings.ssoDomains().isEmpty()) {
            return new SignIn("password", settings.loginUrl(), true);
        }
        return new SignIn(settings.loginMethod(), settings.loginUrl(), false);
    }

    /** The instruction shown to the collaborator, or null when the org set no method. */
    public String instruction() {
        if (method == null) {
            return null;
        }
        return switch (method) {
            case "google" -> "Sign in with Google";
            case "sso" -> "Sign in with your company's single sign-on (SSO)";
            default -> "Sign in with your email and password";
        };
    }
}
