/**
 * The org settings form (§9): the settings as the form's text, the form's own checks, the PATCH
 * body of only what changed, and the API's field errors mapped onto the form's fields.
 */
import type { Schemas } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import type { ApiProblem } from "../api/problem.js";

export type OrgSettings = Schemas["OrgSettings"];
export type OrgSettingsChange = Schemas["OrgSettingsChange"];
type LoginMethod = NonNullable<OrgSettings["loginMethod"]>;
export type InvitationRequestsMode = NonNullable<OrgSettings["invitationRequests"]>;
type OrgRole = Schemas["OrgRole"];
type ProjectRole = Schemas["ProjectRole"];

export interface WelcomeLinkForm {
  title: string;
  url: string;
}

export interface SettingsForm {
  invitationTtlDays: string;
  maxAccessDays: string;
  requireAccessEndDate: boolean;
  requireJustification: boolean;
  /** Lists as typed: one entry per line (commas also split). */
  internalDomains: string;
  allowedEmailDomains: string;
  blockConsumerDomains: boolean;
  emailPattern: string;
  emailPatternMode: "warn" | "enforce";
  invitesPerDay: string;
  defaultStakeholders: string;
  loginUrl: string;
  loginMethod: "" | LoginMethod;
  /** The domains whose addresses sign in with the org's SSO, as typed: one a line (commas also split). */
  ssoDomains: string;
  ssoLoginUrl: string;
  supportContact: string;
  welcomeLinks: WelcomeLinkForm[];
  auditRetentionDays: string;
  /** One template a line: `name: orgRole` or `name: orgRole, projectRole`. */
  roleTemplates: string;
  keepInvitationsOfDepartedInviters: boolean;
  /** Days without activity before a collaborator is removed; "" is off. */
  removeAfterInactiveDays: string;
  invitationRequests: InvitationRequestsMode;
  invitationRequestDays: string;
  requireSecondApproval: boolean;
  /** Project managers review the members whose every project they manage (access reviews). */
  reviewsByProjectManagers: boolean;
}

/** The form's fields in the order the screen shows them (the first in error gets the focus). */
export const SETTINGS_FIELDS = [
  "invitationTtlDays",
  "maxAccessDays",
  "requireAccessEndDate",
  "requireJustification",
  "internalDomains",
  "allowedEmailDomains",
  "blockConsumerDomains",
  "emailPattern",
  "emailPatternMode",
  "invitesPerDay",
  "defaultStakeholders",
  "loginUrl",
  "loginMethod",
  "ssoDomains",
  "ssoLoginUrl",
  "supportContact",
  "welcomeLinks",
  "auditRetentionDays",
  "roleTemplates",
  "keepInvitationsOfDepartedInviters",
  "removeAfterInactiveDays",
  "invitationRequests",
  "invitationRequestDays",
  "requireSecondApproval",
  "reviewsByProjectManagers",
] as const;

/** The API's defaults of the settings an org read before issue 14 may lack. */
export const REQUEST_DEFAULTS = { invitationRequests: "off", invitationRequestDays: 14, requireSecondApproval: false } as const;
/** The API's default for an org read before project managers could review. */
export const REVIEW_DEFAULTS = { reviewsByProjectManagers: false } as const;
export const INVITATION_REQUEST_DAYS = [1, 90] as const;
export const REMOVE_AFTER_INACTIVE_DAYS = [14, 3650] as const;

export const RANGES = {
  invitationTtlDays: [1, 30],
  maxAccessDays: [1, 3650],
  invitesPerDay: [1, 500],
  auditRetentionDays: [1, 3650],
} as const;
type RangeField = keyof typeof RANGES;

export function formFromSettings(settings: OrgSettings): SettingsForm {
  return {
    invitationTtlDays: String(settings.invitationTtlDays),
    maxAccessDays: String(settings.maxAccessDays),
    requireAccessEndDate: settings.requireAccessEndDate,
    requireJustification: settings.requireJustification,
    internalDomains: settings.internalDomains.join("\n"),
    allowedEmailDomains: settings.allowedEmailDomains.join("\n"),
    blockConsumerDomains: settings.blockConsumerDomains,
    emailPattern: settings.emailPattern ?? "",
    emailPatternMode: settings.emailPatternMode,
    invitesPerDay: String(settings.invitesPerDay),
    defaultStakeholders: settings.defaultStakeholders.join("\n"),
    loginUrl: settings.loginUrl ?? "",
    loginMethod: settings.loginMethod ?? "",
    // An org read before issue 15 has no SSO domains.
    ssoDomains: (settings.ssoDomains ?? []).join("\n"),
    ssoLoginUrl: settings.ssoLoginUrl ?? "",
    supportContact: settings.supportContact ?? "",
    welcomeLinks: settings.welcomeLinks.map((link) => ({ title: link.title, url: link.url })),
    auditRetentionDays: String(settings.auditRetentionDays),
    roleTemplates: Object.entries(settings.roleTemplates)
      .map(([name, template]) => `${name}: ${template.orgRole}${template.projectRole ? `, ${template.projectRole}` : ""}`)
      .join("\n"),
    keepInvitationsOfDepartedInviters: settings.keepInvitationsOfDepartedInviters,
    removeAfterInactiveDays: settings.removeAfterInactiveDays === undefined ? "" : String(settings.removeAfterInactiveDays),
    invitationRequests: settings.invitationRequests ?? REQUEST_DEFAULTS.invitationRequests,
    invitationRequestDays: String(settings.invitationRequestDays ?? REQUEST_DEFAULTS.invitationRequestDays),
    requireSecondApproval: settings.requireSecondApproval ?? REQUEST_DEFAULTS.requireSecondApproval,
    reviewsByProjectManagers: settings.reviewsByProjectManagers ?? REVIEW_DEFAULTS.reviewsByProjectManagers,
  };
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * The SSO domains typed: one a line or comma separated, lower-cased as the API keeps them, an
 * address's "@" (or a whole address) read as its domain, each once.
 */
export function parseDomains(text: string): string[] {
  const out: string[] = [];
  for (const entry of splitList(text)) {
    const domain = entry.slice(entry.lastIndexOf("@") + 1).toLowerCase();
    if (domain !== "" && !out.includes(domain)) out.push(domain);
  }
  return out;
}

const ORG_ROLES: readonly string[] = ["admin", "member"];
const PROJECT_ROLES: readonly string[] = ["manager", "analyst", "viewer"];

/** The role templates typed, or the first line the form cannot read. */
export function parseRoleTemplates(text: string): { ok: true; templates: OrgSettings["roleTemplates"] } | { ok: false; message: string } {
  const templates: OrgSettings["roleTemplates"] = {};
  const lines = text.split("\n").map((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    if (line === "") continue;
    const match = /^([^:]+):\s*([a-z]+)\s*(?:,\s*([a-z]+))?$/.exec(line);
    const name = match?.[1]?.trim();
    const orgRole = match?.[2];
    const projectRole = match?.[3];
    if (!match || !name || !orgRole || !ORG_ROLES.includes(orgRole) || (projectRole !== undefined && !PROJECT_ROLES.includes(projectRole))) {
      return { ok: false, message: `Line ${index + 1}: write name: admin or member, and optionally , manager, analyst or viewer.` };
    }
    templates[name] = { orgRole: orgRole as OrgRole, ...(projectRole ? { projectRole: projectRole as ProjectRole } : {}) };
  }
  return { ok: true, templates };
}

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** The checks the form can make without the API: ranges, required parts, URL shapes. */
export function validateSettings(form: SettingsForm): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of Object.keys(RANGES) as RangeField[]) {
    const [min, max] = RANGES[field];
    const value = wholeNumber(form[field]);
    if (value === null || value < min || value > max) errors[field] = `Enter a whole number from ${min} to ${max}.`;
  }
  const [minRequestDays, maxRequestDays] = INVITATION_REQUEST_DAYS;
  const requestDays = wholeNumber(form.invitationRequestDays);
  if (requestDays === null || requestDays < minRequestDays || requestDays > maxRequestDays) {
    errors.invitationRequestDays = `Enter a whole number from ${minRequestDays} to ${maxRequestDays}.`;
  }
  // Empty turns the removal off; a number must be in its range.
  if (form.removeAfterInactiveDays.trim() !== "") {
    const [minInactive, maxInactive] = REMOVE_AFTER_INACTIVE_DAYS;
    const inactive = wholeNumber(form.removeAfterInactiveDays);
    if (inactive === null || inactive < minInactive || inactive > maxInactive) {
      errors.removeAfterInactiveDays = `Enter a whole number from ${minInactive} to ${maxInactive}, or leave it empty for never.`;
    }
  }
  if (form.loginUrl.trim() !== "" && !/^https?:\/\//.test(form.loginUrl.trim())) errors.loginUrl = "Start the address with https:// or http://.";
  if (form.ssoLoginUrl.trim() !== "" && !/^https?:\/\//.test(form.ssoLoginUrl.trim())) errors.ssoLoginUrl = "Start the address with https:// or http://.";
  form.welcomeLinks.forEach((link, index) => {
    if (link.title.trim() === "") errors[`welcomeLinks.${index}.title`] = "Enter a title.";
    if (!/^https?:\/\//.test(link.url.trim())) errors[`welcomeLinks.${index}.url`] = "Enter an address starting with https:// or http://.";
  });
  if (form.emailPattern.trim() !== "") {
    try {
      new RegExp(form.emailPattern.trim());
    } catch {
      errors.emailPattern = "This is not a regular expression.";
    }
  }
  const templates = parseRoleTemplates(form.roleTemplates);
  if (!templates.ok) errors.roleTemplates = templates.message;
  return errors;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}

/** The PATCH settings: only those whose value differs from the settings read (a cleared optional one is null). */
export function settingsChange(initial: OrgSettings, form: SettingsForm): OrgSettingsChange {
  const change: OrgSettingsChange = {};
  for (const field of Object.keys(RANGES) as RangeField[]) {
    const value = Number(form[field].trim());
    if (value !== initial[field]) change[field] = value;
  }
  for (const field of ["requireAccessEndDate", "requireJustification", "blockConsumerDomains", "keepInvitationsOfDepartedInviters"] as const) {
    if (form[field] !== initial[field]) change[field] = form[field];
  }
  for (const field of ["internalDomains", "allowedEmailDomains", "defaultStakeholders"] as const) {
    const list = splitList(form[field]);
    if (!sameList(list, initial[field])) change[field] = list;
  }
  if (form.emailPatternMode !== initial.emailPatternMode) change.emailPatternMode = form.emailPatternMode;
  const ssoDomains = parseDomains(form.ssoDomains);
  if (!sameList(ssoDomains, initial.ssoDomains ?? [])) change.ssoDomains = ssoDomains;
  for (const field of ["emailPattern", "loginUrl", "ssoLoginUrl", "supportContact"] as const) {
    const value = form[field].trim();
    if (value !== (initial[field] ?? "")) change[field] = value === "" ? null : value;
  }
  if (form.loginMethod !== (initial.loginMethod ?? "")) change.loginMethod = form.loginMethod === "" ? null : form.loginMethod;
  const links = form.welcomeLinks.map((link) => ({ title: link.title.trim(), url: link.url.trim() }));
  if (links.length !== initial.welcomeLinks.length || links.some((link, i) => link.title !== initial.welcomeLinks[i]?.title || link.url !== initial.welcomeLinks[i]?.url)) {
    change.welcomeLinks = links;
  }
  const inactive = form.removeAfterInactiveDays.trim();
  const inactiveDays = inactive === "" ? undefined : Number(inactive);
  if (inactiveDays !== initial.removeAfterInactiveDays) change.removeAfterInactiveDays = inactiveDays ?? null;
  if (form.invitationRequests !== (initial.invitationRequests ?? REQUEST_DEFAULTS.invitationRequests)) change.invitationRequests = form.invitationRequests;
  const requestDays = Number(form.invitationRequestDays.trim());
  if (requestDays !== (initial.invitationRequestDays ?? REQUEST_DEFAULTS.invitationRequestDays)) change.invitationRequestDays = requestDays;
  if (form.requireSecondApproval !== (initial.requireSecondApproval ?? REQUEST_DEFAULTS.requireSecondApproval)) change.requireSecondApproval = form.requireSecondApproval;
  if (form.reviewsByProjectManagers !== (initial.reviewsByProjectManagers ?? REVIEW_DEFAULTS.reviewsByProjectManagers)) {
    change.reviewsByProjectManagers = form.reviewsByProjectManagers;
  }
  const templates = parseRoleTemplates(form.roleTemplates);
  if (templates.ok && JSON.stringify(templates.templates) !== JSON.stringify(initial.roleTemplates)) change.roleTemplates = templates.templates;
  return change;
}

/**
 * The form field of an API field error: `settings.maxAccessDays` is `maxAccessDays`, a welcome
 * link's part keeps its index (`welcomeLinks.0.url`), an entry of a list or template is its whole field.
 */
export function settingsField(apiField: string): string {
  const parts = apiField.split(".");
  if (parts[0] === "settings") parts.shift();
  const [top, index, part] = parts;
  if (top === "welcomeLinks" && index !== undefined && part !== undefined) return `welcomeLinks.${index}.${part}`;
  return top ?? "";
}

/** The lists as sent, to name the entry an error like `settings.ssoDomains.1` is about. */
function sentLists(form: SettingsForm): Record<string, string[]> {
  return {
    internalDomains: splitList(form.internalDomains),
    allowedEmailDomains: splitList(form.allowedEmailDomains),
    defaultStakeholders: splitList(form.defaultStakeholders),
    ssoDomains: parseDomains(form.ssoDomains),
  };
}

/** The API's refusal as the settings form shows it; an error on one entry of a list names that entry. */
export function settingsProblem(problem: ApiProblem, form: SettingsForm): FormProblem {
  const fieldErrors: Record<string, string> = {};
  const lists = sentLists(form);
  for (const [apiField, given] of Object.entries(problem.fieldErrors)) {
    const field = settingsField(apiField);
    const index = apiField.replace(/^settings\./, "").split(".")[1];
    const entry = index !== undefined && /^\d+$/.test(index) ? lists[field]?.[Number(index)] : undefined;
    const message = entry !== undefined && !given.startsWith(entry) ? `${entry}: ${given}` : given;
    fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]} ${message}` : message;
  }
  const known = [...SETTINGS_FIELDS, ...form.welcomeLinks.flatMap((_, i) => [`welcomeLinks.${i}.title`, `welcomeLinks.${i}.url`])];
  return formProblem({ ...problem, fieldErrors }, known);
}
