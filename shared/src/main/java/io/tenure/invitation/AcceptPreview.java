package io.tenure.invitation;

import io.tenure.org.Organization;
import java.util.List;

/** What the accept page shows: the org, who invited, each project with its role, the dates. */
public record AcceptPreview(Organization org, Invitation invitation, String inviterEmail, List<ProjectLine> projects) {

    /** One project as shown to the invitee. */
    public record ProjectLine(String name, String role) {
    }
}
