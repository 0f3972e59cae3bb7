/**
 * The Invitations, Members and Audit filters: kept in the URL (so the Overview can link to a
 * filtered list and a filtered list can be shared), read back into the form, and turned into the
 * API's query.
 */
import type { AuditQuery, DeliveryStatus, InvitationFilter, MemberQuery, Schemas } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";

export type AnyRole = Schemas["AnyRole"];
export const ANY_ROLES: readonly AnyRole[] = ["admin", "member", "manager", "analyst", "viewer"];

/** The actions listAudit filters on (its `action` parameter). */
export const AUDIT_ACTIONS: readonly string[] = [
  "org.created",
  "org.updated",
  "project.created",
  "project.updated",
  "project.archived",
  "apikey.created",
  "apikey.revoked",
  "invitation.created",
  "invitation.resent",
  "invitation.address_corrected",
  "invitation.reminded",
  "invitation.accepted",
  "invitation.revoked",
  "invitation.expired",
  "invitation.delivery_failed",
  "invitation.delivered",
  "invitation.delivery_delayed",
  "member.updated",
  "member.removed",
  "member.access_ending",
  "member.access_ended",
  "member.checkin_sent",
  "member.checkin_answered",
  "member.inactivity_warned",
  "review.digest_sent",
  "review.opened",
  "review.decided",
  "review.reminded",
  "review.escalated",
  "review.closed",
  "invitation_request.created",
  "invitation_request.approval_added",
  "invitation_request.approved",
  "invitation_request.denied",
  "invitation_request.expired",
  "identity.erased",
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const INVITATION_STATUSES: readonly InvitationFilter[] = ["pending", "expired", "accepted", "revoked", "all"];
/** The delivery states listInvitations filters on (its `delivery` parameter), in the order an email goes through them. */
export const DELIVERY_STATES: readonly DeliveryStatus[] = ["sending", "sent", "delivered", "delayed", "failed", "bounced", "complained", "unconfirmed"];

/** "…invitations whose email bounced": each delivery state in words, for headings and empty states. */
const DELIVERY_PHRASES: Readonly<Record<DeliveryStatus, string>> = {
  sending: "is being sent",
  sent: "was sent (not yet delivered)",
  delivered: "was delivered",
  delayed: "is delayed",
  failed: "failed",
  bounced: "bounced",
  complained: "was marked as spam",
  unconfirmed: "is unconfirmed",
};

/** The delivery filter's choices, as its select shows them. */
export const DELIVERY_CHOICES: readonly { value: DeliveryStatus | ""; label: string }[] = [
  { value: "", label: "any delivery state" },
  ...DELIVERY_STATES.map((state) => ({ value: state, label: state === "complained" ? "marked as spam" : state })),
];

export interface InvitationListFilter {
  status: InvitationFilter;
  /** The latest email's delivery state, "" for any. */
  delivery: DeliveryStatus | "";
}

/** The Invitations filter from the URL: pending by default, any delivery; values the API would refuse are dropped. */
export function readInvitationFilter(search: string): InvitationListFilter {
  const params = new URLSearchParams(search);
  const status = params.get("status");
  const delivery = params.get("delivery");
  return {
    status: INVITATION_STATUSES.find((s) => s === status) ?? "pending",
    delivery: DELIVERY_STATES.find((d) => d === delivery) ?? "",
  };
}

/** The URL's query for the filter: the status always (the Overview links to `?status=pending`), the delivery when set. */
export function invitationFilterSearch(filter: InvitationListFilter): Record<string, string> {
  return compact({ status: filter.status, delivery: filter.delivery });
}

/** "Pending invitations", "All invitations whose email bounced". */
export function invitationsHeading(filter: InvitationListFilter): string {
  const list = filter.status === "all" ? "All invitations" : `${filter.status.charAt(0).toUpperCase()}${filter.status.slice(1)} invitations`;
  return filter.delivery ? `${list} whose email ${DELIVERY_PHRASES[filter.delivery]}` : list;
}

/** The empty state: "No pending invitations.", "No invitations whose email is delayed." */
export function noInvitationsText(filter: InvitationListFilter): string {
  const list = filter.status === "all" ? "invitations" : `${filter.status} invitations`;
  return `No ${list}${filter.delivery ? ` whose email ${DELIVERY_PHRASES[filter.delivery]}` : ""}.`;
}

function date(value: string | null): string {
  return value && DATE.test(value) ? value : "";
}

/** Only the filters that are set, in a stable order, for a URL's query. */
function compact(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ""));
}

export interface MemberFilter {
  projectId: string;
  role: AnyRole | "";
  /** yyyy-mm-dd: access ends before the start of this day (UTC). */
  endsBefore: string;
}

export function readMemberFilter(search: string): MemberFilter {
  const params = new URLSearchParams(search);
  const role = params.get("role");
  return {
    projectId: params.get("project") ?? "",
    role: ANY_ROLES.find((r) => r === role) ?? "",
    endsBefore: date(params.get("endsBefore")),
  };
}

export function memberFilterSearch(filter: MemberFilter): Record<string, string> {
  return compact({ project: filter.projectId, role: filter.role, endsBefore: filter.endsBefore });
}

export function memberQuery(filter: MemberFilter, limit: number, cursor?: string): MemberQuery {
  const query: MemberQuery = { limit };
  if (filter.projectId) query.projectId = filter.projectId;
  if (filter.role) query.role = filter.role;
  if (filter.endsBefore) query.expiringBefore = `${filter.endsBefore}T00:00:00Z`;
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}

export interface AuditFilter {
  /** yyyy-mm-dd, from the start of that day (UTC). */
  since: string;
  /** yyyy-mm-dd, to the end of that day (UTC). */
  until: string;
  action: string;
  targetId: string;
}

export function readAuditFilter(search: string): AuditFilter {
  const params = new URLSearchParams(search);
  const action = params.get("action") ?? "";
  return {
    since: date(params.get("since")),
    until: date(params.get("until")),
    action: AUDIT_ACTIONS.includes(action) ? action : "",
    targetId: (params.get("target") ?? "").trim(),
  };
}

export function auditFilterSearch(filter: AuditFilter): Record<string, string> {
  return compact({ since: filter.since, until: filter.until, action: filter.action, target: filter.targetId.trim() });
}

/** The query of the JSON pages and of the CSV: the days are whole UTC days, both ends included. */
export function auditQuery(filter: AuditFilter): Omit<AuditQuery, "limit" | "cursor"> {
  const query: Omit<AuditQuery, "limit" | "cursor"> = {};
  if (filter.since) query.since = `${filter.since}T00:00:00Z`;
  if (filter.until) query.until = `${filter.until}T23:59:59Z`;
  if (filter.action) query.action = filter.action;
  if (filter.targetId.trim()) query.targetId = filter.targetId.trim();
  return query;
}

/** The API's query parameters named by the Members filter's fields (expiringBefore is the date field). */
export const MEMBER_FILTER_FIELDS: Readonly<Record<string, string>> = { projectId: "projectId", role: "role", expiringBefore: "endsBefore" };
export const AUDIT_FILTER_FIELDS: Readonly<Record<string, string>> = { since: "since", until: "until", action: "action", targetId: "targetId" };

/**
 * A list's refused query (422) as errors beside the filter fields that caused them, and the rest
 * (a bad cursor, a body-wide error) as messages; any other problem is not the filters' to show.
 */
export function filterErrors(problem: ApiProblem | null, names: Readonly<Record<string, string>>): { fields: Record<string, string>; messages: string[] } {
  if (!problem || problem.code !== "validation_failed") return { fields: {}, messages: [] };
  const fields: Record<string, string> = {};
  const messages = [...problem.formErrors];
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    const name = names[field];
    if (name) fields[name] = message;
    else messages.push(`${field}: ${message}`);
  }
  if (Object.keys(fields).length === 0 && messages.length === 0) messages.push(problem.detail || problem.title);
  return { fields, messages };
}
