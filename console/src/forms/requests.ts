/**
 * Invitation requests (issue 14), apart from their screen: the status filter read from the URL,
 * the "Ask for an invitation" form built into the API's `{reason, invitation}` with its errors
 * placed back on the form (through the invite form's own mapping), the approve and deny bodies and
 * checks, and how a refused decision is said.
 */
import type { ApproveInvitationRequest, FileInvitationRequest, InvitationRequest, RequestStatus } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";
import { buildInvite, emptyInviteForm, firstErrorField, inviteErrors, type BuiltInvite, type InviteErrors, type OrgRole, type ProjectRole } from "./invite.js";

/** The list's filters; "all" asks without a status. */
export type RequestFilter = RequestStatus | "all";
export const REQUEST_FILTERS: readonly RequestFilter[] = ["pending", "approved", "denied", "expired", "all"];

export function readRequestFilter(search: string): RequestFilter {
  const status = new URLSearchParams(search).get("status");
  return REQUEST_FILTERS.find((filter) => filter === status) ?? "pending";
}

/** "1 of 2 approvals". */
export function approvalsText(request: Pick<InvitationRequest, "approvals" | "approvalsNeeded">): string {
  return `${request.approvals.length} of ${request.approvalsNeeded} approval${request.approvalsNeeded === 1 ? "" : "s"}`;
}

/** Who an actor is, for people: their email when the token had one. */
export function actorName(actor: { type: string; id: string; email?: string } | undefined): string {
  if (!actor) return "";
  return actor.email ?? (actor.type === "user" ? actor.id : `${actor.type} ${actor.id}`);
}

export interface AskForm {
  email: string;
  orgRole: OrgRole;
  /** The projects picked, in the order the form lists them. */
  picked: string[];
  projectRoles: Record<string, ProjectRole>;
  /** yyyy-mm-dd, or "" for no end. */
  accessEndsOn: string;
  reason: string;
}

export function emptyAskForm(): AskForm {
  return { email: "", orgRole: "member", picked: [], projectRoles: {}, accessEndsOn: "", reason: "" };
}

export interface BuiltAsk {
  body: FileInvitationRequest;
  /** The invite's own bookkeeping, to place `/invitation/projects/0/role` on its project's row. */
  invite: Pick<BuiltInvite, "projectAt" | "stakeholdersSent">;
}

/** The body of POST /invitation-requests: the invitation is built exactly as the invite form builds one. */
export function buildAsk(form: AskForm): BuiltAsk {
  const built = buildInvite({
    ...emptyInviteForm(),
    email: form.email,
    orgRole: form.orgRole,
    picked: form.picked,
    projectRoles: form.projectRoles,
    accessEndsOn: form.accessEndsOn,
  });
  return { body: { reason: form.reason.trim(), invitation: built.body }, invite: built };
}

/** The ask form's fields a field error can sit beside, in the order shown; a project's row is `project:<id>`. */
export const ASK_FIELDS = ["email", "orgRole", "projects", "accessEndsAt", "reason"] as const;

/**
 * A refused ask placed on the form: `/reason` beside Reason, `/invitation/…` mapped as the invite
 * form maps an invite's pointers (so `/invitation/projects/1/role` lands on that project's row),
 * and anything the form has no field for above it, with the field named.
 */
export function askErrors(problem: ApiProblem, built: BuiltAsk): InviteErrors {
  const fields: Record<string, string> = {};
  const inviteFieldErrors: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    if (field === "reason") fields.reason = message;
    else if (field.startsWith("invitation.")) inviteFieldErrors[field.slice("invitation.".length)] = message;
    else elsewhere.push(`${field}: ${message}`);
  }
  const invite = inviteErrors({ ...problem, fieldErrors: inviteFieldErrors, formErrors: [] }, built.invite);
  // inviteErrors says the problem's detail when it placed nothing; only keep that when nothing was placed here either.
  const placed = Object.keys(fields).length > 0 || elsewhere.length > 0 || problem.formErrors.length > 0;
  const inviteMessages = placed && Object.keys(inviteFieldErrors).length === 0 ? [] : invite.messages;
  const messages = [...problem.formErrors, ...elsewhere, ...inviteMessages];
  // The ask form has no note, link lifetime or stakeholders: those errors are said above it.
  for (const [field, message] of Object.entries(invite.fields)) {
    if (field.startsWith("project:") || (ASK_FIELDS as readonly string[]).includes(field)) fields[field] = message;
    else messages.push(`${field}: ${message}`);
  }
  if (Object.keys(fields).length === 0 && messages.length === 0) messages.push(problem.detail || problem.title);
  return { fields, messages };
}

/** The first field in error, in the form's order (the projects' rows after the org role). */
export function firstAskError(fields: Record<string, string>, projectOrder: readonly string[]): string | undefined {
  if (fields.email) return "email";
  const invite = firstErrorField(fields, projectOrder);
  if (invite && invite !== "email") return invite;
  return fields.reason ? "reason" : undefined;
}

/** The approve body: blank parts are left out (the API refuses empty strings). */
export function approveBody(reference: string, note: string): ApproveInvitationRequest {
  return {
    ...(reference.trim() ? { approvalReference: reference.trim() } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
  };
}

export const DENY_REASON_MAX = 500;

/** The deny form's own check: the reason is required (the requester is told it), at most 500 characters. */
export function denyReasonError(reason: string): string | undefined {
  const text = reason.trim();
  if (text === "") return "Enter a reason; the person who asked is told it.";
  if (text.length > DENY_REASON_MAX) return `Write at most ${DENY_REASON_MAX} characters; this is ${text.length}.`;
  return undefined;
}

/**
 * How a refused approval or denial is said. The API's detail already says most of it; these say
 * what the admin can do next, and `stale` marks the answers after which the list is read again.
 */
export function decisionProblem(problem: ApiProblem, request: Pick<InvitationRequest, "email">): { text: string; stale: boolean } {
  const detail = problem.detail || problem.title;
  switch (problem.code) {
    case "self_approval":
      // The API's detail says whether they asked for it or approved it already; both need another admin.
      return { text: /another admin/i.test(detail) ? detail : `${detail} Another admin must approve it.`, stale: false };
    case "invalid_state":
      return { text: `This request is no longer pending: it was decided or expired meanwhile. The list is shown as it now is. (${detail})`, stale: true };
    case "invitation_pending":
      return { text: `${request.email} already has a pending invitation, so this request cannot make another. Deny the request, or revoke that invitation first.`, stale: false };
    case "already_member":
      return { text: `${request.email} is already a member of this organization. Deny the request, or change their access on Members.`, stale: false };
    default:
      return { text: problem.requestId && problem.status >= 500 ? `${detail} (request id ${problem.requestId})` : detail, stale: false };
  }
}
