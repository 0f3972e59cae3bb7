/**
 * Correcting a pending invitation's address (PATCH …/invitations/{id}): the request built from the
 * small form or from a `possible_typo` warning's suggestion, the form's own checks, and the API's
 * refusals placed beside the form's two fields.
 */
import type { Invitation, InvitationAddressCorrection, Warning } from "../api/client.js";
import type { FormProblem } from "../api/formProblem.js";
import type { ApiProblem } from "../api/problem.js";

export interface CorrectionForm {
  email: string;
  justification: string;
}

export const CORRECTION_FIELDS = ["email", "justification"] as const;

/** The justification a one-click correction sends: the audit trail keeps both addresses. */
export function typoJustification(oldEmail: string, newEmail: string): string {
  return `Corrected a typo: ${oldEmail} → ${newEmail}`;
}

/** The form as it opens for an invitation: its address to edit, and the justification to write. */
export function correctionForm(invitation: Pick<Invitation, "email">): CorrectionForm {
  return { email: invitation.email, justification: "" };
}

export type BuiltCorrection = { ok: true; body: InvitationAddressCorrection } | { ok: false; fields: Record<string, string> };

/**
 * The PATCH body, or the form's own refusals: an address is needed and must differ from the one
 * the invitation has (a new link to the same address is a resend), and a justification is needed.
 * The API judges the address itself.
 */
export function buildCorrection(form: CorrectionForm, invitation: Pick<Invitation, "email">): BuiltCorrection {
  const email = form.email.trim();
  const justification = form.justification.trim();
  const fields: Record<string, string> = {};
  if (email === "") fields.email = "Enter the address the invitation should go to.";
  else if (email === invitation.email) fields.email = "This is already the invitation's address; to send its link again, use Resend.";
  if (justification === "") fields.justification = "Say why: the justification goes to the audit trail.";
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, body: { email, justification } };
}

/** The one-click correction of a `possible_typo` warning: its suggestion, justified by the typo. */
export function typoCorrection(invitation: Pick<Invitation, "email">, suggestion: string): InvitationAddressCorrection {
  return { email: suggestion, justification: typoJustification(invitation.email, suggestion) };
}

/** The addresses a `possible_typo` warning suggests, once each (a warning without one offers nothing to use). */
export function typoSuggestions(warnings: readonly Pick<Warning, "code" | "suggestion">[] | undefined): string[] {
  const out: string[] = [];
  for (const warning of warnings ?? []) {
    if (warning.code === "possible_typo" && warning.suggestion && !out.includes(warning.suggestion)) out.push(warning.suggestion);
  }
  return out;
}

/** Conflicts about the new address: said beside the address, as a field error would be. */
const ADDRESS_CONFLICTS: ReadonlySet<string> = new Set(["already_member", "invitation_pending"]);

/**
 * A refused correction as the form shows it: `/email` and `/justification` beside their fields,
 * a conflict about the new address `email` (already a member, another pending invitation) beside
 * the address, and the rest (not pending any more, rate limited with its wait, …) above the form.
 * A 412 is not shown here: the screen reads the invitation again and says so.
 */
export function correctionErrors(problem: ApiProblem, email: string): FormProblem {
  const fields: Record<string, string> = {};
  const messages = [...problem.formErrors];
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    if ((CORRECTION_FIELDS as readonly string[]).includes(field)) fields[field] = message;
    else messages.push(`${field}: ${message}`);
  }
  // The API's detail for another pending invitation names the invite's body field (replaceExisting): say what the console offers.
  const said =
    problem.code === "invitation_pending"
      ? `${email} already has a pending invitation in this organization: resend that one, or revoke it before correcting this one.`
      : problem.detail || problem.title;
  if (ADDRESS_CONFLICTS.has(problem.code) && !fields.email) fields.email = said;
  else if (Object.keys(fields).length === 0 && messages.length === 0) messages.push(said);
  if (problem.requestId && problem.status >= 500) messages.push(`Request id: ${problem.requestId}`);
  return { fields, messages };
}

/** What the admin is told once the address is corrected. */
export function correctedText(oldEmail: string, corrected: Pick<Invitation, "email" | "expiresAt">, expires: string): string {
  return `Corrected the address from ${oldEmail} to ${corrected.email}: a new link was emailed to ${corrected.email} (it expires ${expires}), and the link sent to ${oldEmail} no longer works.`;
}

/** What the admin is told when the invitation changed since it was read (412): it was read again. */
export function staleText(invitation: Pick<Invitation, "email" | "status" | "version">): string {
  return invitation.status === "pending"
    ? `The invitation changed meanwhile (it is now version ${invitation.version}, to ${invitation.email}). It is shown as it now is; check it and correct it again if it is still needed.`
    : `The invitation changed meanwhile: it is now ${invitation.status}, so its address can no longer be corrected.`;
}
