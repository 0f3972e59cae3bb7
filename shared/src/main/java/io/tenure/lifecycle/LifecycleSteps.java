package io.tenure.lifecycle;

import io.tenure.access.MemberPlans;
import io.tenure.access.MemberStore;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.invitation.InvitationStore;
import io.tenure.invitation.InvitationSteps;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.member.AccessSteps;
import io.tenure.member.InactivitySteps;
import io.tenure.org.OrgStore;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueRunner;
import io.tenure.store.Table;
import java.time.Clock;

/** The runner and the features' steps over one table, as both scheduled queues build them. */
record LifecycleSteps(DueRunner runner, InvitationSteps invitations, AccessSteps access, InactivitySteps inactivity) {
    static LifecycleSteps on(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        DueItems due = new DueItems(table);
        InvitationStore invitationStore = new InvitationStore(table);
        MemberStore members = new MemberStore(table);
        InvitationWithdrawal withdrawal = new InvitationWithdrawal(invitationStore, orgs, audit, clock);
        return new LifecycleSteps(new DueRunner(due, email, clock),
                new InvitationSteps(invitationStore, orgs, audit, templates, clock),
                new AccessSteps(members, new MemberPlans(due), withdrawal, orgs, audit, templates, clock),
                new InactivitySteps(members, new MemberPlans(due), withdrawal, orgs, audit, templates, clock));
    }
}
