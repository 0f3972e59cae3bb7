package io.tenure.invitation;

import io.tenure.value.InvitationStatus;
import io.tenure.value.OrgRole;
import io.tenure.value.EmailAddress;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailMessage;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.error.RateLimitedException;
import io.tenure.id.Ids;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.OrgSettings;
import io.tenure.org.Project;
import io.tenure.access.MemberStore;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Invitations (SPEC §5). */
public final class InvitationService {
    /** What a failed condition of an invite or resend means. */
    private enum Refusal { PENDING, MEMBER, ORG_QUOTA, CEILING }
    /** Invitation emails a deployment sends in a UTC day unless told otherwise (template DailyInviteCeiling). */
    public static final int DEFAULT_DAILY_INVITE_CEILING = 5000;
    /** As long as an Idempotency-Key stays bound to its request (SPEC §3). */
    private static final Duration REQUEST_KEY_KEPT = Duration.ofHours(24);

    private final InvitationStore store;
    private final OrgStore orgs;
    private final MemberAccess access;
    private final AuditLog audit;
    private final EmailSender email;
    private final EmailTemplates templates;
    private final String appBaseUrl;
    private final Clock clock;
    private final Ids ids;
    private final InvitationPlans plans;
    private final InvitationRequests requests;
    private final int dailyInviteCeiling;

    public InvitationService(InvitationStore store, OrgStore orgs, MemberAccess access, AuditLog audit,
                             EmailSender email, EmailTemplates templates, String appBaseUrl, Clock clock) {
        this(store, orgs, access, audit, email, templates, appBaseUrl, clock, DEFAULT_DAILY_INVITE_CEILING);
    }

    /**
     * As above, with the deployment's daily ceiling of invitation emails: new invitations and
     * resends of all orgs together count against it, beyond it they answer 429 until midnight UTC.
     */
    public InvitationService(InvitationStore store, OrgStore orgs, MemberAccess access, AuditLog audit,
                             EmailSender email, EmailTemplates templates, String appBaseUrl, Clock clock,
                             int dailyInviteCeiling) {
        if (dailyInviteCeiling < 1) {
            throw new IllegalArgumentException("The daily invite ceiling must be at least 1: " + dailyInviteCeiling);
        }
        this.dailyInviteCeiling = dailyInviteCeiling;
        this.store = store;
        this.orgs = orgs;
        this.access = access;
        this.audit = audit;
        this.email = email;
        this.templates = templates;
        this.appBaseUrl = appBaseUrl.replaceAll("/+$", "");
        this.clock = clock;
        this.ids = new Ids(clock);
        this.plans = new InvitationPlans(store.dueItems());
        this.requests = new InvitationRequests(store.requests(), store.members(), audit, email, templates, appBaseUrl, clock);
    }

    /**
     * Refuses (404, 403) a caller who may not manage the org's invitations: org admins only
     * (SPEC §2). Run again before a repeated request is answered.
     */
    public void requireAdmin(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
    }

    /**
     * Invites one collaborator. One transaction stores the invitation (its delivery
     * {@code sending}), holds the address's pending slot, checks there is no active member, stores
     * the token hash, counts the org's daily quota and the deployment's daily ceiling and writes
     * the audit event. Then the email goes out and SES's answer is recorded ({@code sent} or
     * {@code failed}); if it fails the invitation stays, with the warning {@code email_not_sent}.
     */
    public InviteResult invite(Caller caller, String orgId, ObjectNode body, RequestOrigin origin) {
        return invite(caller, orgId, body, origin, null);
    }

    /**
     * As {@link #invite(Caller, String, ObjectNode, RequestOrigin)}, remembering on the invitation
     * which client request made it. A retry of that request (its idempotency claim lapsed after
     * the first attempt was cut short) answers with that invitation instead of 409
     * {@code invitation_pending}, and never replaces it.
     *
     * @param requestKey an opaque name of the client request (null: none), for 24 h
     */
    public InviteResult invite(Caller caller, String orgId, ObjectNode body, RequestOrigin origin, String requestKey) {
        // The caller's guard, the org, the projects the body names and the address's pending hold: one request.
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Set<String> projectIds = InviteValidator.namedProjectIds(body);
        if (projectIds.size() > MAX_PREFETCHED_PROJECTS) {
            return batch(caller, orgId).invite(body, origin, requestKey);
        }
        List<Read<Project>> projectReads = projectIds.stream().map(id -> orgs.projectRead(orgId, id)).toList();
        Read<OrgStore.OrgIndexes> indexesRead = orgs.indexesRead(orgId);
        Read<Set<String>> domainsRead = orgs.knownDomainsRead(orgId);
        List<Read<?>> reads = new ArrayList<>(List.of(guard, orgRead, indexesRead, domainsRead));
        reads.addAll(projectReads);
        String emailKey = InviteValidator.emailKeyOf(body);
        Read<InvitationStore.PendingHold> holdRead = null;
        Read<Set<String>> bookRead = null;
        if (emailKey != null) {
            holdRead = store.pendingHoldRead(orgId, emailKey);
            bookRead = orgs.addressBookRead(orgId, EmailAddress.canonical(emailKey));
            reads.addAll(List.of(holdRead, bookRead));
        }
        Found found = store.read(reads.toArray(Read<?>[]::new));
        access.requireAdmin(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        List<Project> projects = projectReads.stream().map(found::get).flatMap(Optional::stream).toList();
        Known known = null;
        if (emailKey != null) {
            known = new Known(emailKey, found.get(holdRead), variantsPossible(org, found.get(indexesRead), found.get(bookRead), emailKey));
        }
        return inviteInto(caller, org, projects, found.get(domainsRead).orElse(Set.of()), body, origin, requestKey, known);
    }

    /** Projects an invite reads by key with the org, the guard, its domains and the hold (BatchGetItem takes 100 keys). */
    private static final int MAX_PREFETCHED_PROJECTS = 90;

    /**
     * What an invite read about its address before the body was checked: the pending hold, and
     * whether the org may have a variant of the address (else no duplicate warning can apply).
     */
    private record Known(String emailKey, Optional<InvitationStore.PendingHold> hold, boolean variantsPossible) {
    }

    /**
     * Invitations by one admin into one org: the access check, the org and its projects are read
     * once, however many invitations follow (up to 10 in a batch), each succeeding or failing alone.
     */
    public Batch batch(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<Set<String>> domainsRead = orgs.knownDomainsRead(orgId);
        Found found = store.read(orgRead, domainsRead);
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        return new Batch(caller, org, orgs.projects(orgId), found.get(domainsRead).orElse(Set.of()));
    }

    /** See {@link #batch}. */
    public final class Batch {
        private final Caller caller;
        private final Organization org;
        private final List<Project> projects;
        /** The org's known domains, with those this batch's invitations added as they are sent. */
        private final Set<String> domains;

        private Batch(Caller caller, Organization org, List<Project> projects, Set<String> domains) {
            this.caller = caller;
            this.org = org;
            this.projects = projects;
            this.domains = new java.util.HashSet<>(domains);
        }

        public InviteResult invite(ObjectNode body, RequestOrigin origin) {
            return invite(body, origin, null);
        }

        /** See {@link InvitationService#invite(Caller, String, ObjectNode, RequestOrigin, String)}. */
        public InviteResult invite(ObjectNode body, RequestOrigin origin, String requestKey) {
            InviteResult result = inviteInto(caller, org, projects, domains, body, origin, requestKey, null);
            if (result.invitation() != null && result.warnings().stream().noneMatch(w -> "possible_typo".equals(w.code()))) {
                domains.add(EmailAddress.domain(result.invitation().emailKey()));
            }
            return result;
        }
    }

    private InviteResult inviteInto(Caller caller, Organization org, List<Project> projects, Set<String> domains, ObjectNode body,
                                    RequestOrigin origin, String requestKey, Known known) {
        return inviteInto(Actor.user(caller.sub(), caller.email()), org, projects, domains, body, origin, requestKey, known, null);
    }

    /**
     * What an approved request makes: the invitation its requester asked for, sent as from them,
     * with its approvals recorded, and {@code alongside} (the request's own decision and audit
     * event, given the new invitation) in the same transaction. The checks of an invite run again
     * now: a request approved after the address was invited or joined is refused as an invite would be.
     */
    InviteResult inviteApproved(Actor requester, Organization org, List<Project> projects, ObjectNode body, RequestOrigin origin,
                                Approved approved) {
        // Its typo was for the approver to see on the request; its domain is noted when it is accepted.
        return inviteInto(requester, org, projects, null, body, origin, null, null, approved);
    }

    /** The approvals of a request and the writes that decide it, made once the invitation's id is known. */
    record Approved(InvitationApproval approval, java.util.function.Function<Invitation, List<Write>> alongside) {
    }

    /** @param domains the org's known domains, for the typo check; null: no check (an approved request) */
    private InviteResult inviteInto(Actor actor, Organization org, List<Project> projects, Set<String> domains, ObjectNode body,
                                    RequestOrigin origin, String requestKey, Known known, Approved approved) {
        String orgId = org.id();
        Instant now = clock.instant();
        InviteRequest request = InviteValidator.validate(org, projects, body, now);

        if (known != null && !known.emailKey().equals(request.emailKey())) {
            known = null; // read for another form of the address: read again
        }
        Optional<InvitationStore.PendingHold> hold = (known != null ? known.hold() : store.pendingHold(orgId, request.emailKey()))
                .filter(h -> h.expiresAt().isAfter(now));
        Optional<Invitation> earlier = requestKey == null ? Optional.empty() : hold.flatMap(h ->
                store.findMadeBy(orgId, h.invitationId(), requestKey, now.minus(REQUEST_KEY_KEPT)));
        if (earlier.isPresent()) {
            return retried(org.settings(), request, earlier.get().asOf(now), now);
        }
        if (hold.isPresent() && !request.replaceExisting()) {
            throw new InvitationPendingException(hold.get().invitationId());
        }
        String replacing = hold.map(InvitationStore.PendingHold::invitationId).orElse(null);

        int retention = org.settings().auditRetentionDays();
        if (approved == null && InvitationRequests.secondApprovalBecause(org.settings(), request) != null) {
            return awaitingSecondApproval(actor, org, request, body, origin);
        }

        InvitationToken token = InvitationToken.generate();
        Invitation invitation = Invitation.sent(ids.invitation(), orgId, request, actor, now,
                approved == null ? null : approved.approval());

        List<Write> items = new ArrayList<>(List.of(
                store.putNew(invitation, token.hash(), requestKey, org.settings().canonical(request.emailKey())),
                store.holdPending(invitation, replacing, now).refusedAs(Refusal.PENDING),
                store.noActiveMember(orgId, request.emailKey()).refusedAs(Refusal.MEMBER),
                store.putToken(token.hash(), invitation, invitation.expiresAt()),
                orgs.noteAddress(orgId, org.settings().canonical(request.emailKey()), request.emailKey()),
                store.countInvite(orgId, now, org.settings().invitesPerDay()).refusedAs(Refusal.ORG_QUOTA),
                store.countAccountInvite(now, dailyInviteCeiling).refusedAs(Refusal.CEILING),
                audit.put(event(invitation.id(), orgId, now, actor, "invitation.created", created(invitation),
                        request.note() == null ? null : request.note().justification(), origin), retention)));
        items.addAll(plans.created(invitation));
        String domain = EmailAddress.domain(request.emailKey());
        Optional<String> typo = domains == null ? Optional.empty() : DomainTypos.suggest(domain, knownTo(org, domains));
        if (domains != null && typo.isEmpty() && !domains.contains(domain)) {
            items.add(orgs.noteDomain(orgId, domain)); // a domain typed without a doubt: known from now on
        }
        if (approved != null) {
            items.addAll(approved.alongside().apply(invitation));
        }
        if (replacing != null) {
            items.addAll(plans.closed(orgId, replacing));
            // The replaced invitation changed meanwhile: another request is at work on this address.
            items.add(store.revokeReplaced(orgId, replacing, now).refusedAs(Refusal.PENDING));
            items.add(audit.put(event(replacing, orgId, now, actor, "invitation.revoked",
                    Map.of("status", AuditEvent.change(InvitationStatus.PENDING.json(), InvitationStatus.REVOKED.json())),
                    "replaced by " + invitation.id(), origin), retention));
        }
        WriteOutcome outcome = store.commit(items);
        if (outcome.refusedAs(InvitationRequestService.Refusal.DECIDED)) {
            throw new InvalidStateException("This request was decided meanwhile; read it again.");
        }
        if (!outcome.committed()) {
            throw refusal(outcome, orgId, request.emailKey(), now);
        }

        List<Warning> warnings = new ArrayList<>(request.warnings());
        typo.ifPresent(meant -> warnings.add(Warning.possibleTypo(request.email(), domain, meant)));
        if (known == null || known.variantsPossible()) {
            warnings.addAll(duplicateWarnings(org.settings(), invitation, now));
        }
        Invitation sent = sendAndRecord(org, names(projects), invitation, token, actor.email());
        notSent(sent).ifPresent(warnings::add);
        return new InviteResult(sent.asOf(clock.instant()), warnings);
    }

    /**
     * An admin's invite under the two-person rule: filed as a request, with the admin's invite as
     * its first approval, for another admin to approve (issue 14). The address is checked as an
     * invite checks it (no active member) in the same transaction.
     */
    private InviteResult awaitingSecondApproval(Actor admin, Organization org, InviteRequest invite, ObjectNode body,
                                               RequestOrigin origin) {
        if (invite.replaceExisting()) {
            // The approval comes later, when what is pending may be another invitation than now.
            throw io.tenure.error.ValidationFailedException.of("/replaceExisting",
                    "cannot be used when the invitation needs a second admin's approval; revoke the pending invitation first");
        }
        InvitationRequest request = requests.open(org, invite, body,
                invite.note() != null && invite.note().justification() != null ? invite.note().justification() : "Invited by an admin",
                admin, true, clock.instant());
        WriteOutcome outcome = requests.file(org, request, origin,
                store.noActiveMember(org.id(), invite.emailKey()).refusedAs(Refusal.MEMBER));
        if (!outcome.committed()) {
            throw refusal(outcome, org.id(), invite.emailKey(), clock.instant());
        }
        return new InviteResult(null, invite.warnings(), request);
    }

    /**
     * The answer to a retry of the request that made {@code invitation}: that invitation, as the
     * first attempt would have answered it, with a warning when its email is not known to be sent
     * (the first attempt may have been cut short mid-send; a resend sends a new link).
     */
    private InviteResult retried(OrgSettings settings, InviteRequest request, Invitation invitation, Instant now) {
        List<Warning> warnings = new ArrayList<>(request.warnings());
        warnings.addAll(duplicateWarnings(settings, invitation, now));
        Delivery delivery = invitation.delivery();
        if (delivery != null && (delivery.status() == Delivery.Status.SENDING || delivery.status() == Delivery.Status.UNCONFIRMED)) {
            warnings.add(Warning.of("email_not_confirmed", "The invitation is saved but its email was not confirmed as sent."
                    + " Resend it if it does not arrive."));
        } else if (delivery == null || !delivery.untroubled()) {
            warnings.add(Warning.of("email_not_sent", "The invitation is saved but its email could not be sent"
                    + (delivery == null || delivery.error() == null ? "." : ": " + delivery.error()) + " Resend it later."));
        }
        return new InviteResult(invitation, warnings);
    }

    /**
     * Sends the invitation email of a send already stored as {@code sending}, then records SES's
     * answer for that same send. If the function dies in between, the stored {@code sending}
     * reads as {@code unconfirmed} later and a resend recovers it.
     */
    private Invitation sendAndRecord(Organization org, Map<String, String> projectNames, Invitation invitation, InvitationToken token,
                                     String inviterEmail) {
        Delivery delivery = send(org, projectNames, invitation, token, inviterEmail);
        Instant at = clock.instant();
        // Superseded: a newer send replaced this one, and its state is the one that stands.
        return switch (store.recordFirstSend(invitation, delivery, at)) {
            case DONE -> invitation.withDelivery(delivery, at);
            case SUPERSEDED -> invitation;
        };
    }

    /**
     * Sends a pending or expired invitation again (SPEC §5): a new token (the old link stops
     * working once SES took the new email; until then both work, and if SES refuses it the old
     * one stays), a new expiry, the same id, sendCount + 1. At most one send a minute and five a
     * UTC day per invitation; a send SES refused is given back. Each resend also counts against
     * the deployment's daily ceiling (not given back: it bounds emails attempted).
     */
    public Invitation resend(Caller caller, String orgId, String invitationId, RequestOrigin origin) {
        // The caller's guard, the org and the invitation: one request.
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<InvitationStore.SendState> stateRead = store.sendStateRead(orgId, invitationId);
        Read<OrgStore.OrgIndexes> indexesRead = orgs.indexesRead(orgId);
        Found found = store.read(guard, orgRead, stateRead, indexesRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        Optional<InvitationStore.SendState> read = found.get(stateRead);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            InvitationStore.SendState state = read.orElseThrow(NotFoundException::new);
            Invitation current = state.invitation().asOf(now);
            if (!current.is(InvitationStatus.PENDING) && !current.is(InvitationStatus.EXPIRED)) {
                throw new InvalidStateException("Only pending or expired invitations can be resent; this one is " + current.status() + ".");
            }
            long sinceLast = Duration.between(current.lastSentAt(), now).toSeconds();
            // A send SES refused was no send: it does not hold the next one back.
            if (sinceLast < 60 && (current.delivery() == null || current.delivery().status() != Delivery.Status.FAILED)) {
                throw new RateLimitedException("This invitation was sent less than a minute ago.", 60 - sinceLast);
            }
            requireSendLeftToday(state, now);
            InvitationToken token = InvitationToken.generate();
            // A pending invitation's link keeps working until SES takes the new one; an expired
            // one's is dead already, so the new token simply replaces it.
            boolean keepOldLink = current.is(InvitationStatus.PENDING);
            Instant expiresAt = now.plus(Duration.ofDays(current.ttlDays()));
            Actor actor = Actor.user(caller.sub(), caller.email());
            Map<String, List<Object>> changes = new HashMap<>();
            if (!current.is(InvitationStatus.PENDING)) {
                // Only an expired invitation's status changes; "pending → pending" would be no change.
                changes.put("status", AuditEvent.change(current.status().json(), InvitationStatus.PENDING.json()));
            }
            changes.put("expiresAt", AuditEvent.change(current.expiresAt().toString(), expiresAt.toString()));
            changes.put("sendCount", AuditEvent.change(current.sendCount(), current.sendCount() + 1));
            Invitation renewed = current.renewed(expiresAt, now);
            WriteOutcome outcome = store.commit(List.of(
                    store.renew(state, token.hash(), expiresAt, now, keepOldLink, org.settings().canonical(current.emailKey())),
                    store.putToken(token.hash(), current, expiresAt),
                    store.holdPendingAgain(current, expiresAt, now).refusedAs(Refusal.PENDING),
                    audit.put(event(invitationId, orgId, now, actor, "invitation.resent", changes, null, origin),
                            org.settings().auditRetentionDays()),
                    plans.resent(renewed),
                    store.countAccountInvite(now, dailyInviteCeiling).refusedAs(Refusal.CEILING)));
            if (outcome.refusedAs(Refusal.CEILING)) {
                throw accountCeiling(now);
            }
            if (outcome.refusedAs(Refusal.PENDING)) {
                throw new InvitationPendingException(store.pendingHold(orgId, current.emailKey())
                        .map(InvitationStore.PendingHold::invitationId).orElse(null));
            }
            if (!outcome.committed()) {
                if (attempt < 2) {
                    read = store.findSendState(orgId, invitationId);
                    continue; // it changed under us: decide again on a fresh read
                }
                throw new InvalidStateException("The invitation changed while it was being resent; try again.");
            }
            return resendAndRecord(org, projectNames(orgId, found.get(indexesRead)), renewed, token, caller, current.lastSentAt())
                    .asOf(clock.instant());
        }
    }

    /**
     * Corrects a pending invitation's address (issue 15): the invitation goes to the address in
     * {@code body} instead, keeping its id, roles, note, access end and expiry, only at the
     * version named by {@code ifMatch}. One transaction moves it, frees the old address's pending
     * slot and holds the new one's (another pending invitation there: 409), checks the new address
     * is no active member, stores the new token (the old link stops at once), counts the send and
     * audits both addresses; then the new address gets the email. The two-person rule holds: an
     * address that would have needed a second admin's approval, where the old one did not, is refused.
     */
    public InviteResult correctAddress(Caller caller, String orgId, String invitationId, ObjectNode body, Long ifMatch,
                                       RequestOrigin origin) {
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<InvitationStore.SendState> stateRead = store.sendStateRead(orgId, invitationId);
        Read<OrgStore.OrgIndexes> indexesRead = orgs.indexesRead(orgId);
        Read<Set<String>> domainsRead = orgs.knownDomainsRead(orgId);
        // The new address's book tells whether the org may have a variant of it (else no duplicate Query).
        String typedKey = InviteValidator.emailKeyOf(body);
        Read<Set<String>> bookRead = typedKey == null ? null : orgs.addressBookRead(orgId, EmailAddress.canonical(typedKey));
        Found found = bookRead == null ? store.read(guard, orgRead, stateRead, indexesRead, domainsRead)
                : store.read(guard, orgRead, stateRead, indexesRead, domainsRead, bookRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        if (ifMatch == null) {
            throw new io.tenure.error.PreconditionRequiredException();
        }
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        InviteValidator.Correction correction = InviteValidator.correction(org.settings(), body);
        InvitationStore.SendState state = found.get(stateRead).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        Invitation current = state.invitation().asOf(now);
        if (current.version() != ifMatch) {
            throw new io.tenure.error.VersionMismatchException(current.version());
        }
        if (!current.is(InvitationStatus.PENDING)) {
            throw new InvalidStateException("Only a pending invitation's address can be corrected; this one is " + current.status().json() + ".");
        }
        if (correction.emailKey().equals(current.emailKey())) {
            throw io.tenure.error.ValidationFailedException.of("/email", "is already this invitation's address");
        }
        String secondApproval = current.approval() != null ? null
                : InvitationRequests.secondApprovalBecause(org.settings(), current.orgRole(), correction.emailKey());
        if (secondApproval != null && InvitationRequests.secondApprovalBecause(org.settings(), current.orgRole(), current.emailKey()) == null) {
            throw io.tenure.error.ValidationFailedException.of("/email", "needs a second admin's approval under the organization's "
                    + "two-person rule (" + secondApproval + "): revoke this invitation and invite the address instead");
        }
        requireSendLeftToday(state, now);
        InvitationToken token = InvitationToken.generate();
        Invitation corrected = current.readdressed(correction.email(), correction.emailKey(), now);
        Actor actor = Actor.user(caller.sub(), caller.email());
        String domain = EmailAddress.domain(correction.emailKey());
        Set<String> known = found.get(domainsRead).orElse(Set.of());
        Optional<String> typo = DomainTypos.suggest(domain, knownTo(org, known));
        List<Write> items = new ArrayList<>(List.of(
                store.readdress(state, corrected, token.hash(), now, org.settings().canonical(corrected.emailKey())),
                store.releasePending(orgId, current.emailKey(), invitationId),
                store.holdPending(corrected, null, now).refusedAs(Refusal.PENDING),
                store.noActiveMember(orgId, correction.emailKey()).refusedAs(Refusal.MEMBER),
                store.putToken(token.hash(), corrected, corrected.expiresAt()),
                orgs.noteAddress(orgId, org.settings().canonical(correction.emailKey()), correction.emailKey()),
                store.countAccountInvite(now, dailyInviteCeiling).refusedAs(Refusal.CEILING),
                audit.put(event(invitationId, orgId, now, actor, "invitation.address_corrected",
                        Map.of("email", AuditEvent.change(current.email(), corrected.email()),
                                "sendCount", AuditEvent.change(current.sendCount(), corrected.sendCount())),
                        correction.justification(), origin), org.settings().auditRetentionDays())));
        items.addAll(plans.corrected(corrected, now));
        if (typo.isEmpty() && !known.contains(domain)) {
            items.add(orgs.noteDomain(orgId, domain));
        }
        WriteOutcome outcome = store.commit(items);
        if (!outcome.committed()) {
            if (outcome.refusedAs(Refusal.PENDING)) {
                throw new InvitationPendingException(store.pendingHold(orgId, correction.emailKey())
                        .map(InvitationStore.PendingHold::invitationId).orElse(null),
                        "The corrected address already has a pending invitation in this organization: resend that one,"
                                + " or revoke it before correcting this one.");
            }
            if (outcome.refusedAs(Refusal.MEMBER) || outcome.refusedAs(Refusal.CEILING)) {
                throw refusal(outcome, orgId, correction.emailKey(), now);
            }
            throw new io.tenure.error.VersionMismatchException(store.find(orgId, invitationId).map(Invitation::version).orElse(current.version()));
        }
        List<Warning> warnings = new ArrayList<>(correction.warnings());
        typo.ifPresent(meant -> warnings.add(Warning.possibleTypo(correction.email(), domain, meant)));
        if (bookRead == null || !correction.emailKey().equals(typedKey)
                || variantsPossible(org, found.get(indexesRead), found.get(bookRead), correction.emailKey())) {
            warnings.addAll(duplicateWarnings(org.settings(), corrected, now));
        }
        Invitation sent = sendAndRecord(org, projectNames(orgId, found.get(indexesRead)), corrected, token, caller.email());
        notSent(sent).ifPresent(warnings::add);
        return new InviteResult(sent.asOf(clock.instant()), warnings);
    }

    /**
     * Sends a resend's email, then records SES's answer for that send: taken, the new link
     * replaces the old one; refused, the old link stays and the send does not count against the
     * limits ({@link InvitationStore#recordResend}).
     */
    private Invitation resendAndRecord(Organization org, Map<String, String> projectNames, Invitation invitation, InvitationToken token,
                                       Caller caller, Instant previousLastSentAt) {
        Delivery delivery = send(org, projectNames, invitation, token, caller.email());
        Instant at = clock.instant();
        if (store.recordResend(invitation, delivery, token.hash(), previousLastSentAt, at) == InvitationStore.Recorded.SUPERSEDED) {
            return invitation; // a newer send replaced this one, and its state is the one that stands
        }
        Invitation answered = invitation.withDelivery(delivery, at);
        return delivery.messageId() != null ? answered : answered.withLastSentAt(previousLastSentAt);
    }

    private static RateLimitedException accountCeiling(Instant now) {
        return RateLimitedException.untilUtcMidnight(
                "This Tenure deployment has sent its most invitation emails for today; try again after midnight UTC.", now);
    }


    private RuntimeException refusal(WriteOutcome outcome, String orgId, String emailKey, Instant now) {
        if (outcome.refusedAs(Refusal.MEMBER)) {
            return new AlreadyMemberException(store.activeMemberId(orgId, emailKey).orElse(null));
        }
        if (outcome.refusedAs(Refusal.PENDING) || outcome.changedMeanwhile()) {
            return new InvitationPendingException(store.pendingHold(orgId, emailKey)
                    .map(InvitationStore.PendingHold::invitationId).orElse(null));
        }
        if (outcome.refusedAs(Refusal.ORG_QUOTA)) {
            return RateLimitedException.untilUtcMidnight("The organization has reached its daily invitation limit.", now);
        }
        return accountCeiling(now);
    }

    /**
     * Whether the org may hold a variant of {@code emailKey}, so the duplicate check must ask the
     * index: the org keeps no address book, the book names another address on the same canonical
     * one, or the address is on an SSO domain (its book is kept under the org's own canonical form,
     * without dots, which the read made before the org was known could not name).
     */
    private static boolean variantsPossible(Organization org, Optional<OrgStore.OrgIndexes> indexes, Optional<Set<String>> book,
                                            String emailKey) {
        boolean keepsBook = indexes.map(OrgStore.OrgIndexes::addressBook).orElse(false);
        return !keepsBook || org.settings().ssoDomains().contains(EmailAddress.domain(emailKey))
                || book.orElse(Set.of()).stream().anyMatch(k -> !k.equals(emailKey));
    }

    /** At most five sends a UTC day per invitation (SPEC §5), resends and corrections alike. */
    private static void requireSendLeftToday(InvitationStore.SendState state, Instant now) {
        if (state.sendCountOn(LocalDate.ofInstant(now, ZoneOffset.UTC).toString()) >= 5) {
            throw RateLimitedException.untilUtcMidnight("This invitation was already sent 5 times today.", now);
        }
    }

    /** The org item's project directory names its projects; an org without one is asked with a Query. */
    private Map<String, String> projectNames(String orgId, Optional<OrgStore.OrgIndexes> indexes) {
        return indexes.map(OrgStore.OrgIndexes::projectNames).orElseGet(() -> names(orgs.projects(orgId)));
    }

    /** The warning of a send SES refused, if it did. */
    private static Optional<Warning> notSent(Invitation sent) {
        return sent.delivery().status() != Delivery.Status.FAILED ? Optional.empty()
                : Optional.of(Warning.of("email_not_sent", "The invitation is saved but its email could not be sent: "
                        + sent.delivery().error() + " Resend it later."));
    }

    /** The domains an org knows: those noted, its internal, allowed and SSO ones. */
    private static Set<String> knownTo(Organization org, Set<String> noted) {
        Set<String> all = new java.util.HashSet<>(noted);
        all.addAll(org.settings().internalDomains());
        all.addAll(org.settings().allowedEmailDomains());
        all.addAll(org.settings().ssoDomains());
        return all;
    }

    private List<Warning> duplicateWarnings(OrgSettings settings, Invitation invitation, Instant now) {
        List<Warning> warnings = new ArrayList<>();
        for (InvitationStore.SameAddress same : store.sameAddress(invitation.orgId(), settings.canonical(invitation.emailKey()))) {
            if (same.emailKey().equals(invitation.emailKey())) {
                continue; // the same address, not a variant of it
            }
            // The index is eventually consistent: only a member still active, or an invitation still live, counts.
            switch (same.kind()) {
                case MEMBER -> {
                    if (same.isActiveMember()) {
                        warnings.add(Warning.duplicate("An active member has a variant of this address: "
                                + same.email(), same.id(), null));
                    }
                }
                case INVITATION -> {
                    if (same.isPendingInvitationAt(now)) {
                        warnings.add(Warning.duplicate("A pending invitation has a variant of this address: "
                                + same.email(), null, same.id()));
                    }
                }
            }
        }
        return warnings;
    }

    /** Project id to name. */
    private static Map<String, String> names(List<Project> projects) {
        return projects.stream().collect(Collectors.toMap(Project::id, Project::name));
    }

    private Delivery send(Organization org, Map<String, String> projectNames, Invitation invitation, InvitationToken token,
                          String inviter) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ProjectGrant grant : invitation.projects()) {
            rows.add(Map.of("name", projectNames.getOrDefault(grant.projectId(), grant.projectId()), "role", grant.role().json()));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("orgName", org.name());
        model.put("inviter", inviter);
        model.put("orgRoleLabel", invitation.orgRole() == OrgRole.ADMIN ? "an admin" : "a collaborator");
        model.put("projects", rows);
        model.put("hasProjects", !rows.isEmpty());
        model.put("engagement", invitation.note() == null ? null : invitation.note().engagement());
        model.put("accessEndsAt", invitation.accessEndsAt() == null ? null : Dates.human(invitation.accessEndsAt()));
        model.put("expiresAt", Dates.human(invitation.expiresAt()));
        model.put("acceptUrl", appBaseUrl + "/invitations/accept?token=" + token.value());
        io.tenure.org.SignIn signIn = io.tenure.org.SignIn.of(org.settings(), invitation.emailKey());
        model.put("signIn", signIn.instruction());
        model.put("loginUrl", signIn.url());
        String contact = org.settings().supportContact();
        model.put("contact", contact == null || contact.isBlank() ? inviter : contact);
        EmailMessage message = templates.render("invitation", model, List.of(invitation.email()), List.of());
        try {
            return Delivery.sent(email.send(message), clock.instant());
        } catch (EmailDeliveryException e) {
            return Delivery.failed(e.getMessage(), clock.instant());
        }
    }

    private static Map<String, List<Object>> created(Invitation invitation) {
        Map<String, List<Object>> changes = new HashMap<>();
        changes.put("status", AuditEvent.change(null, invitation.status().json()));
        changes.put("email", AuditEvent.change(null, invitation.email()));
        changes.put("orgRole", AuditEvent.change(null, invitation.orgRole().json()));
        changes.put("projects", AuditEvent.change(null, invitation.projects().stream()
                .map(g -> g.projectId() + ":" + g.role().json()).toList()));
        if (invitation.accessEndsAt() != null) {
            changes.put("accessEndsAt", AuditEvent.change(null, invitation.accessEndsAt().toString()));
        }
        changes.put("expiresAt", AuditEvent.change(null, invitation.expiresAt().toString()));
        return changes;
    }


    private AuditEvent event(String invitationId, String orgId, Instant now, Actor actor, String action,
                             Map<String, List<Object>> changes, String note, RequestOrigin origin) {
        return AuditEvent.of(ids.audit(), orgId, now, actor, action, AuditEvent.Target.invitation(invitationId))
                .withChanges(changes).withNote(note).from(origin);
    }
}
