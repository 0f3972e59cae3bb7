package io.tenure.value;

/** Why the access is given: the engagement, an external reference, and the justification. */
public record InvitationNote(String engagement, String reference, String justification) {
}
