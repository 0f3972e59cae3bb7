/**
 * The member page's logic, apart from its screen: the edit form read from a member, the PATCH body
 * built from what changed, the API's field errors mapped back to the form, and what to do when the
 * save is refused as stale (412): show what the other change did and lay the user's own edits on
 * the newer version.
 */
import type { Member, MemberUpdate } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";
import { formProblem } from "../api/formProblem.js";
import { accessEndsAtFor, type OrgRole, type ProjectRole } from "./invite.js";

export interface MemberForm {
  orgRole: OrgRole;
  /** The role on each project, "" for none. */
  projects: Record<string, ProjectRole | "">;
  /** yyyy-mm-dd from the date input, "" for no end date. */
  accessEndsOn: string;
  justification: string;
}

export function memberForm(member: Member): MemberForm {
  return {
    orgRole: member.orgRole,
    projects: { ...member.projects },
    accessEndsOn: member.accessEndsAt ? member.accessEndsAt.slice(0, 10) : "",
    justification: "",
  };
}

function grants(projects: MemberForm["projects"]): Record<string, ProjectRole> {
  const out: Record<string, ProjectRole> = {};
  for (const [id, role] of Object.entries(projects)) if (role) out[id] = role;
  return out;
}

function sameGrants(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The form's fields the user changed from `member` (justification aside). */
export function editedFields(form: MemberForm, member: Member): ("orgRole" | "projects" | "accessEndsOn")[] {
  const base = memberForm(member);
  const edited: ("orgRole" | "projects" | "accessEndsOn")[] = [];
  if (form.orgRole !== base.orgRole) edited.push("orgRole");
  if (!sameGrants(grants(form.projects), grants(base.projects))) edited.push("projects");
  if (form.accessEndsOn !== base.accessEndsOn) edited.push("accessEndsOn");
  return edited;
}

export type BuiltPatch = { ok: true; body: MemberUpdate } | { ok: false; fields: Record<string, string>; messages: string[] };

/**
 * The PATCH body: the justification and only what changed, so an unchanged end date keeps its
 * time of day and nothing else is rewritten. `projects` goes whole, as the API takes it.
 */
export function buildMemberPatch(form: MemberForm, member: Member): BuiltPatch {
  const edited = editedFields(form, member);
  const fields: Record<string, string> = {};
  const justification = form.justification.trim();
  if (justification === "") fields.justification = "Say why: the justification goes to the audit trail.";
  if (edited.length === 0) return { ok: false, fields, messages: ["Nothing has changed: change a role or the access end date first."] };
  if (Object.keys(fields).length > 0) return { ok: false, fields, messages: [] };
  const body: MemberUpdate = { justification };
  if (edited.includes("orgRole")) body.orgRole = form.orgRole;
  if (edited.includes("projects")) body.projects = grants(form.projects);
  if (edited.includes("accessEndsOn")) body.accessEndsAt = form.accessEndsOn === "" ? null : (accessEndsAtFor(form.accessEndsOn) ?? form.accessEndsOn);
  return { ok: true, body };
}

/** The API's errors on the PATCH, beside the form's fields (`/accessEndsAt` is the date field, `/projects/prj_…` its project's role). */
export function memberErrors(problem: ApiProblem, projectIds: readonly string[]): { fields: Record<string, string>; messages: string[] } {
  const renamed: ApiProblem = { ...problem, fieldErrors: {} };
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    renamed.fieldErrors[field === "accessEndsAt" ? "accessEndsOn" : field] = message;
  }
  return formProblem(renamed, ["justification", "orgRole", "accessEndsOn", ...projectIds.map((id) => `projects.${id}`)]);
}

export interface Difference {
  field: "orgRole" | "projects" | "accessEndsAt" | "stakeholders";
  before: string;
  after: string;
}

function describeGrants(projects: Record<string, string>, names: Map<string, string>): string {
  const entries = Object.entries(projects).map(([id, role]) => `${names.get(id) ?? id}: ${role}`);
  return entries.length ? entries.sort().join(", ") : "none";
}

/** What changed between the version the user read and the newer one the API holds. */
export function differences(read: Member, newer: Member, names: Map<string, string>): Difference[] {
  const out: Difference[] = [];
  if (read.orgRole !== newer.orgRole) out.push({ field: "orgRole", before: read.orgRole, after: newer.orgRole });
  if (!sameGrants(read.projects, newer.projects)) {
    out.push({ field: "projects", before: describeGrants(read.projects, names), after: describeGrants(newer.projects, names) });
  }
  if ((read.accessEndsAt ?? "") !== (newer.accessEndsAt ?? "")) {
    out.push({ field: "accessEndsAt", before: read.accessEndsAt ?? "no end date", after: newer.accessEndsAt ?? "no end date" });
  }
  if (read.stakeholders.join(",") !== newer.stakeholders.join(",")) {
    out.push({ field: "stakeholders", before: read.stakeholders.join(", ") || "none", after: newer.stakeholders.join(", ") || "none" });
  }
  return out;
}

/**
 * Re-apply after a 412: the newer version's values, with the fields the user edited (against the
 * version they read) set to the user's values again, and their justification kept.
 */
export function reapply(form: MemberForm, read: Member, newer: Member): MemberForm {
  const edited = editedFields(form, read);
  const next = memberForm(newer);
  return {
    orgRole: edited.includes("orgRole") ? form.orgRole : next.orgRole,
    projects: edited.includes("projects") ? { ...form.projects } : next.projects,
    accessEndsOn: edited.includes("accessEndsOn") ? form.accessEndsOn : next.accessEndsOn,
    justification: form.justification,
  };
}

/** The member page's save, step by step: editing, saving, saved, or stale with the newer version to show. */
export type SaveState =
  | { step: "editing" }
  | { step: "saving" }
  | { step: "saved"; version: number }
  | { step: "stale"; newer: Member };

export type SaveEvent =
  | { type: "save" }
  | { type: "saved"; member: Member }
  | { type: "refused" }
  | { type: "stale"; newer: Member }
  | { type: "reapplied" }
  | { type: "edit" };

export function saveStep(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case "save":
      // Not twice at once, and not over a stale version the user has not looked at.
      return state.step === "saving" || state.step === "stale" ? state : { step: "saving" };
    case "saved":
      return state.step === "saving" ? { step: "saved", version: event.member.version } : state;
    case "refused":
      return state.step === "saving" ? { step: "editing" } : state;
    case "stale":
      return state.step === "saving" ? { step: "stale", newer: event.newer } : state;
    case "reapplied":
      return state.step === "stale" ? { step: "editing" } : state;
    case "edit":
      return state.step === "saved" ? { step: "editing" } : state;
  }
}
