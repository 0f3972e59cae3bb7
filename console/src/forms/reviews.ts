/**
 * Access reviews (issue 14), apart from their screens: who is offered the Reviews tab, the "open a
 * review" body and its refusals, the decide form built into the API's `{decision, note, change}`
 * with its errors placed back on the form, how a refused decision is said, and how a campaign, an
 * access and a decision read.
 */
import type { Membership, OpenReview, Project, ReviewAccess, ReviewCampaign, ReviewDecisionRequest, ReviewItem } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import type { ApiProblem } from "../api/problem.js";
import { accessEndsAtFor, type OrgRole, type ProjectRole } from "./invite.js";

export type Decision = ReviewDecisionRequest["decision"];
export const DECISIONS: readonly Decision[] = ["keep", "change", "remove"];

/** openReview's `endsInDays`: the API's range and default (openapi.yaml, OpenReview). */
export const ENDS_IN_DAYS = [15, 90] as const;
export const DEFAULT_ENDS_IN_DAYS = 28;
export const NOTE_MAX = 500;

/**
 * Admins review everyone; a project manager reviews only when the org asks them to
 * (`reviewsByProjectManagers`, a setting only admins can read), so they are offered the tab and
 * the API says whether they may. Members who manage nothing never review.
 */
export function mayReview(membership: Pick<Membership, "orgRole" | "projects">): boolean {
  return membership.orgRole === "admin" || Object.values(membership.projects).includes("manager");
}

/** A 403 on a review means the org has not asked this person to review: said plainly, not as an error. */
export function notAskedToReview(problem: ApiProblem): boolean {
  return problem.status === 403;
}

export const NOT_ASKED_TEXT =
  "This organization has not asked you to review its members' access: its admins do. If it asks project managers to review, the emailed link to each review opens it here.";

export type BuiltOpen = { ok: true; body: OpenReview } | { ok: false; fields: { endsInDays: string } };

/**
 * The body of POST /reviews. Empty leaves `endsInDays` out (the API's 28 days); a whole number is
 * sent for the API to judge, so its range (and the wording of a refusal) is the API's own.
 */
export function buildOpenReview(endsInDays: string): BuiltOpen {
  const text = endsInDays.trim();
  if (text === "") return { ok: true, body: {} };
  if (!/^\d+$/.test(text)) {
    return { ok: false, fields: { endsInDays: `Enter a whole number of days from ${ENDS_IN_DAYS[0]} to ${ENDS_IN_DAYS[1]}, or leave it empty for ${DEFAULT_ENDS_IN_DAYS}.` } };
  }
  return { ok: true, body: { endsInDays: Number(text) } };
}

/** A refused opening: `/endsInDays` beside its field; another review open (409) said with what to do. */
export function openReviewProblem(problem: ApiProblem): FormProblem {
  if (problem.code === "invalid_state") {
    return {
      fields: {},
      messages: [
        `${problem.detail || problem.title} A review closes when its last member is decided, or on its end date; open the next one after that.`,
      ],
    };
  }
  return formProblem(problem, ["endsInDays"]);
}

/** "2 of 3 decided". */
export function progressText(campaign: Pick<ReviewCampaign, "decidedCount" | "itemCount">): string {
  return `${campaign.decidedCount} of ${campaign.itemCount} decided`;
}

/** "member · Web: analyst, iOS: viewer"; an admin holds every project; a project the console cannot name shows its id. */
export function describeRoles(access: Pick<ReviewAccess, "orgRole" | "projects">, names: Map<string, string>): string {
  if (access.orgRole === "admin") return "admin · every project";
  const projects = Object.entries(access.projects).map(([id, role]) => `${names.get(id) ?? id}: ${role}`);
  return projects.length ? `member · ${projects.join(", ")}` : "member · no project";
}

/** The access after a decision: its roles and end, or "removed" when there is none. */
export function describeAccess(access: ReviewAccess | undefined, names: Map<string, string>): string {
  if (!access) return "removed: no access";
  return `${describeRoles(access, names)} · ${access.accessEndsAt ? `ends ${day(access.accessEndsAt)}` : "no end date"}`;
}

function day(iso: string | undefined | null): string {
  return iso ? iso.slice(0, 10) : "no end date";
}

/** What a change did, field by field ("access end 2027-03-01 → 2027-06-30"). */
export function changes(before: ReviewAccess, after: ReviewAccess, names: Map<string, string>): string[] {
  const out: string[] = [];
  if (before.orgRole !== after.orgRole) out.push(`org role ${before.orgRole} → ${after.orgRole}`);
  if (!sameGrants(before.projects, after.projects)) {
    const list = (projects: Record<string, string>) =>
      Object.entries(projects)
        .map(([id, role]) => `${names.get(id) ?? id}: ${role}`)
        .sort()
        .join(", ") || "none";
    out.push(`projects ${list(before.projects)} → ${list(after.projects)}`);
  }
  if ((before.accessEndsAt ?? "") !== (after.accessEndsAt ?? "")) out.push(`access end ${day(before.accessEndsAt)} → ${day(after.accessEndsAt)}`);
  return out;
}

/** A decided item in words: "Kept", "Changed: access end … → …", "Removed"; "Not decided yet" before. */
export function describeDecision(item: Pick<ReviewItem, "decision" | "before" | "after">, names: Map<string, string>): string {
  switch (item.decision) {
    case "keep":
      return "Kept: access unchanged";
    case "change": {
      const made = item.after ? changes(item.before, item.after, names) : [];
      return made.length ? `Changed: ${made.join("; ")}` : "Changed: the access was already as asked";
    }
    case "remove":
      return "Removed: access ended";
    default:
      return "Not decided yet";
  }
}

/** What the reviewer is told once a decision is saved. */
export function decidedNotice(item: Pick<ReviewItem, "email" | "decision" | "before" | "after">, names: Map<string, string>): string {
  switch (item.decision) {
    case "keep":
      return `Kept the access of ${item.email}.`;
    case "change": {
      const made = item.after ? changes(item.before, item.after, names) : [];
      return `Changed the access of ${item.email}${made.length ? `: ${made.join("; ")}` : ""}.`;
    }
    case "remove":
      return `Removed ${item.email}: their access has ended and their pending invitations are withdrawn.`;
    default:
      return `Saved the decision on ${item.email}.`;
  }
}

/** The members a campaign closed without deciding, by email where the items name them. */
export function undecidedMembers(campaign: Pick<ReviewCampaign, "undecided">, items: readonly Pick<ReviewItem, "memberId" | "email">[]): string[] {
  const emails = new Map(items.map((item) => [item.memberId, item.email]));
  return (campaign.undecided ?? []).map((id) => emails.get(id) ?? id);
}

export interface DecisionForm {
  decision: Decision | "";
  note: string;
  orgRole: OrgRole;
  /** The role on each project, "" for none. */
  projects: Record<string, ProjectRole | "">;
  /** yyyy-mm-dd from the date input, "" for no end date. */
  accessEndsOn: string;
}

/** The decide form of an item: no decision yet, and the change fields starting from the access reviewed. */
export function decisionForm(item: Pick<ReviewItem, "before">): DecisionForm {
  return {
    decision: "",
    note: "",
    orgRole: item.before.orgRole,
    projects: { ...item.before.projects },
    accessEndsOn: item.before.accessEndsAt ? item.before.accessEndsAt.slice(0, 10) : "",
  };
}

/** The projects a change may give roles on, in order: every project readable (admins; archived ones only when held), else those the reviewer manages, and those held. */
export function projectChoices(
  before: Pick<ReviewAccess, "projects">,
  readable: readonly Project[] | undefined,
  managed: readonly string[],
  names: ReadonlyMap<string, string> = new Map(),
): { id: string; name: string }[] {
  const choices = readable
    ? readable.filter((project) => !project.archived || project.id in before.projects).map((project) => ({ id: project.id, name: project.name }))
    : managed.map((id) => ({ id, name: names.get(id) ?? id }));
  for (const id of Object.keys(before.projects)) if (!choices.some((choice) => choice.id === id)) choices.push({ id, name: names.get(id) ?? id });
  return choices;
}

function grants(projects: DecisionForm["projects"]): Record<string, ProjectRole> {
  const out: Record<string, ProjectRole> = {};
  for (const [id, role] of Object.entries(projects)) if (role) out[id] = role;
  return out;
}

function sameGrants(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The decide form's fields in the order shown (the first in error gets the focus); a project's role is `projects.<id>`. */
export function decisionFields(projectIds: readonly string[]): string[] {
  return ["decision", "orgRole", "projects", ...projectIds.map((id) => `projects.${id}`), "accessEndsOn", "note"];
}

export type BuiltDecision = { ok: true; body: ReviewDecisionRequest } | { ok: false; fields: Record<string, string>; messages: string[] };

/**
 * The body of POST …/items/{memberId}: the decision and its note; with `change`, only what differs
 * from the access reviewed (an unchanged end date keeps its time of day), `projects` whole as the
 * API takes it, and the org role only from an admin (a project manager's change may not set it).
 */
export function buildDecision(form: DecisionForm, item: Pick<ReviewItem, "before">, orgRoleEditable: boolean): BuiltDecision {
  const fields: Record<string, string> = {};
  const messages: string[] = [];
  const note = form.note.trim();
  if (form.decision === "") fields.decision = "Choose keep, change or remove.";
  if (note === "") fields.note = "Write a note: why this decision. It is kept in the evidence.";
  else if (note.length > NOTE_MAX) fields.note = `Write at most ${NOTE_MAX} characters; this is ${note.length}.`;
  const change: NonNullable<ReviewDecisionRequest["change"]> = {};
  if (form.decision === "change") {
    const start = decisionForm(item);
    if (orgRoleEditable && form.orgRole !== start.orgRole) change.orgRole = form.orgRole;
    if (!sameGrants(grants(form.projects), grants(start.projects))) change.projects = grants(form.projects);
    if (form.accessEndsOn !== start.accessEndsOn) change.accessEndsAt = form.accessEndsOn === "" ? null : (accessEndsAtFor(form.accessEndsOn) ?? form.accessEndsOn);
    if (Object.keys(change).length === 0) messages.push("Nothing is changed yet: set a new access end date or roles, or choose keep.");
  }
  if (form.decision === "" || Object.keys(fields).length > 0 || messages.length > 0) return { ok: false, fields, messages };
  return { ok: true, body: { decision: form.decision, note, ...(form.decision === "change" ? { change } : {}) } };
}

/**
 * A refused decision placed on the form: `/note` beside Note, `/change/accessEndsAt` beside the
 * date, `/change/projects/prj_…` on that project's role, `/change/justification` (the note, which
 * the API passes on as the change's justification) beside Note; anything else above the form.
 */
export function decisionErrors(problem: ApiProblem, projectIds: readonly string[]): FormProblem {
  const renamed: Record<string, string> = {};
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    const name =
      field === "change.accessEndsAt"
        ? "accessEndsOn"
        : field === "change.justification"
          ? "note"
          : field.startsWith("change.orgRole") || field.startsWith("change.projects")
            ? field.slice("change.".length)
            : field;
    renamed[name] = renamed[name] ? `${renamed[name]} ${message}` : message;
  }
  return formProblem({ ...problem, fieldErrors: renamed }, decisionFields(projectIds));
}

/**
 * How a refused decision without field errors is said. `stale` marks the answers after which the
 * review is read again: it closed, or the member was decided meanwhile (409 invalid_state).
 */
export function decisionProblem(problem: ApiProblem, item: Pick<ReviewItem, "email">): { text: string; stale: boolean } {
  const detail = problem.detail || problem.title;
  if (problem.code === "invalid_state") return { text: `${item.email}: ${detail} The review is shown as it now is.`, stale: true };
  if (problem.status === 403) return { text: `You may not decide ${item.email} in this review: ${detail}`, stale: false };
  return { text: problem.requestId && problem.status >= 500 ? `${detail} (request id ${problem.requestId})` : detail, stale: false };
}

/** The data rows of an evidence CSV (every data cell quoted, so a record starts with a quote after a line break). */
export function evidenceRowCount(csv: string): number {
  const records = csv.replace(/\r?\n$/, "").split(/\r?\n(?=")/);
  return Math.max(0, records.length - 1);
}
