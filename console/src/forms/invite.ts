/**
 * The invite form's logic, apart from its screen: the form state, the request body built from it
 * (single or batch), and the API's field errors (JSON pointers into that body) mapped back to the
 * form's own fields.
 */
import type { InviteRequest, Schemas } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";

export type OrgRole = Schemas["OrgRole"];
export type ProjectRole = Schemas["ProjectRole"];
export const ORG_ROLES: readonly OrgRole[] = ["member", "admin"];
export const PROJECT_ROLES: readonly ProjectRole[] = ["viewer", "analyst", "manager"];
/** The built-in role templates of §9, always there besides the org's own. */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, { orgRole: OrgRole; projectRole?: ProjectRole }>> = {
  implementation: { orgRole: "member", projectRole: "manager" },
  analytics: { orgRole: "member", projectRole: "analyst" },
  reporting: { orgRole: "member", projectRole: "viewer" },
  governance: { orgRole: "admin" },
};

export interface InviteForm {
  email: string;
  /** Roles given as an org role and a role per project, or as a role template and projects. */
  roleMode: "roles" | "template";
  orgRole: OrgRole;
  template: string;
  /** The projects picked, in the order the form lists them. */
  picked: string[];
  /** The role on each picked project (roles mode). */
  projectRoles: Record<string, ProjectRole>;
  engagement: string;
  reference: string;
  justification: string;
  /** A date (yyyy-mm-dd) from the date input, or "" for no end. */
  accessEndsOn: string;
  /** Days from the number input, or "" for the org's default. */
  expiresInDays: string;
  /** Addresses separated by new lines, commas or spaces. */
  stakeholders: string;
  replaceExisting: boolean;
}

export function emptyInviteForm(): InviteForm {
  return {
    email: "",
    roleMode: "roles",
    orgRole: "member",
    template: "",
    picked: [],
    projectRoles: {},
    engagement: "",
    reference: "",
    justification: "",
    accessEndsOn: "",
    expiresInDays: "",
    stakeholders: "",
    replaceExisting: false,
  };
}

/** Picks or unpicks a project, keeping `picked` in the order of `allIds` (the form's list). */
export function togglePicked(form: InviteForm, projectId: string, on: boolean, allIds: readonly string[]): InviteForm {
  const set = new Set(form.picked);
  if (on) set.add(projectId);
  else set.delete(projectId);
  return { ...form, picked: allIds.filter((id) => set.has(id)) };
}

export function splitAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter((part) => part !== "");
}

/** The access end sent for a picked date: the start of that day in UTC (the form says so). */
export function accessEndsAtFor(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : undefined;
}

export interface BuiltInvite {
  body: InviteRequest;
  /** The project id at each index of `body.projects` or `body.projectIds`, to place `/projects/0/role` on its row. */
  projectAt: string[];
  /** The stakeholders as sent, to name the one a `/stakeholders/1` error is about. */
  stakeholdersSent: string[];
}

/** The body of POST /invitations for the form: blank optional fields are left out, so the org's defaults apply. */
export function buildInvite(form: InviteForm): BuiltInvite {
  const note = {
    ...(form.engagement.trim() ? { engagement: form.engagement.trim() } : {}),
    ...(form.reference.trim() ? { reference: form.reference.trim() } : {}),
    ...(form.justification.trim() ? { justification: form.justification.trim() } : {}),
  };
  const accessEndsAt = accessEndsAtFor(form.accessEndsOn);
  const days = form.expiresInDays.trim();
  const stakeholders = splitAddresses(form.stakeholders);
  const common = {
    email: form.email.trim(),
    ...(Object.keys(note).length > 0 ? { note } : {}),
    ...(accessEndsAt ? { accessEndsAt } : {}),
    // A value the number input cannot read comes as ""; anything else is sent for the API to judge.
    ...(days !== "" ? { expiresInDays: Number(days) } : {}),
    ...(stakeholders.length > 0 ? { stakeholders } : {}),
    ...(form.replaceExisting ? { replaceExisting: true } : {}),
  };
  const body: InviteRequest =
    form.roleMode === "template"
      ? { ...common, template: form.template, ...(form.picked.length > 0 ? { projectIds: [...form.picked] } : {}) }
      : {
          ...common,
          orgRole: form.orgRole,
          ...(form.picked.length > 0
            ? { projects: form.picked.map((projectId) => ({ projectId, role: form.projectRoles[projectId] ?? "viewer" })) }
            : {}),
        };
  return { body, projectAt: [...form.picked], stakeholdersSent: stakeholders };
}

/** The form's fields a field error can sit beside; a project's row is `project:<id>`. */
export const INVITE_FIELDS = [
  "email",
  "emails",
  "orgRole",
  "template",
  "projects",
  "note.engagement",
  "note.reference",
  "note.justification",
  "accessEndsAt",
  "expiresInDays",
  "stakeholders",
] as const;

export interface InviteErrors {
  fields: Record<string, string>;
  messages: string[];
}

function add(fields: Record<string, string>, key: string, message: string) {
  fields[key] = fields[key] ? `${fields[key]} ${message}` : message;
}

/**
 * A refused invite's field errors placed on the form: `/projects/2/role` on that project's row,
 * `/stakeholders/1` on the stakeholders field naming the address; the rest above the form.
 */
export function inviteErrors(problem: ApiProblem, built: Pick<BuiltInvite, "projectAt" | "stakeholdersSent">): InviteErrors {
  const fields: Record<string, string> = {};
  const messages = [...problem.formErrors];
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    const [head, index] = field.split(".");
    const at = index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
    if ((head === "projects" || head === "projectIds") && at !== undefined && built.projectAt[at]) {
      add(fields, `project:${built.projectAt[at]}`, message);
    } else if (head === "projects" || head === "projectIds") {
      add(fields, "projects", message);
    } else if (head === "stakeholders") {
      const address = at !== undefined ? built.stakeholdersSent[at] : undefined;
      add(fields, "stakeholders", address ? `${address}: ${message}` : message);
    } else if ((INVITE_FIELDS as readonly string[]).includes(field)) {
      add(fields, field, message);
    } else {
      messages.push(`${field}: ${message}`);
    }
  }
  if (Object.keys(fields).length === 0 && messages.length === 0) messages.push(problem.detail || problem.title);
  if (problem.requestId && problem.status >= 500) messages.push(`Request id: ${problem.requestId}`);
  return { fields, messages };
}

/** Where focus goes after a refused submit: the first field in error, in the form's order. */
export function firstErrorField(fields: Record<string, string>, projectOrder: readonly string[]): string | undefined {
  const order = [
    "email",
    "emails",
    "orgRole",
    "template",
    "projects",
    ...projectOrder.map((id) => `project:${id}`),
    "note.engagement",
    "note.reference",
    "note.justification",
    "accessEndsAt",
    "expiresInDays",
    "stakeholders",
  ];
  return order.find((name) => fields[name]);
}

/** The templates to offer: the built-ins, then the org's own (an own template of a built-in's name replaces it). */
export function templateChoices(own: Record<string, { orgRole: OrgRole; projectRole?: ProjectRole }> | undefined) {
  const all = { ...BUILT_IN_TEMPLATES, ...(own ?? {}) };
  return Object.entries(all).map(([name, template]) => ({
    name,
    label: `${name} (${template.orgRole}${template.projectRole ? `, ${template.projectRole} on the projects picked` : ""})`,
  }));
}

export interface LastAttempt {
  key: string;
  body: string;
  /** False when the request got no answer (network or time-out): its outcome is unknown. */
  answered: boolean;
}

/**
 * The Idempotency-Key for a submit: the last one again when that attempt got no answer and the
 * body is the same (so a retry cannot invite twice), else a fresh one (reusing a key with another
 * body would be refused with idempotency_key_reused).
 */
export function idempotencyKeyFor(last: LastAttempt | null, body: string, fresh: () => string): string {
  return last && !last.answered && last.body === body ? last.key : fresh();
}

type HintSettings = Pick<Schemas["OrgSettings"], "internalDomains" | "allowedEmailDomains" | "emailPatternMode"> &
  Partial<Pick<Schemas["OrgSettings"], "emailPattern" | "loginMethod" | "ssoDomains">>;

/**
 * What the API would warn about or refuse for this address under the org's domain and pattern
 * rules, said while typing. The API decides on submit; these only say it sooner. (Duplicates
 * need the org's data, so they come with the API's answer.)
 */
export function emailHints(email: string, settings: HintSettings, hasEndDate: boolean): string[] {
  const address = email.trim();
  const at = address.lastIndexOf("@");
  if (at < 1 || at === address.length - 1) return [];
  const domain = address.slice(at + 1).toLowerCase();
  const hints: string[] = [];
  const allowed = settings.allowedEmailDomains.map((d) => d.toLowerCase());
  if (allowed.length > 0 && !allowed.includes(domain)) {
    hints.push(`This organization invites only addresses at ${allowed.join(", ")}.`);
  }
  const internal = settings.internalDomains.map((d) => d.toLowerCase());
  if (!hasEndDate && !internal.includes(domain)) {
    hints.push(`${domain} is outside the organization's internal domains: give an end date, or the access never ends.`);
  }
  const sso = (settings.ssoDomains ?? []).map((d) => d.toLowerCase());
  if (settings.loginMethod === "sso" && sso.length > 0 && !sso.includes(domain)) {
    hints.push(`This organization signs in with SSO at ${sso.join(", ")}; an address at ${domain} signs in with an email and password instead.`);
  }
  if (settings.emailPattern) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(settings.emailPattern);
    } catch {
      // A pattern JavaScript cannot read (the API's is Java's dialect): the API still checks it.
    }
    if (pattern && !pattern.test(address)) {
      hints.push(
        settings.emailPatternMode === "enforce"
          ? `The address must match this organization's naming pattern ${settings.emailPattern}.`
          : `The address does not match this organization's naming pattern ${settings.emailPattern}.`,
      );
    }
  }
  return hints;
}
