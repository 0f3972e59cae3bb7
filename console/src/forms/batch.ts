/** Batch invite: the pasted lines read into addresses, and the 207's results matched to them. */
import type { BatchResult, Invitation, InvitationRequest } from "../api/client.js";
import { fieldForPointer } from "../api/problem.js";

export const MAX_BATCH = 10;

export type BatchLines = { ok: true; emails: string[] } | { ok: false; error: string };

/** One address a line; blank lines are skipped, spaces around an address trimmed. */
export function parseBatchLines(text: string): BatchLines {
  const emails = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (emails.length === 0) return { ok: false, error: "Paste at least one email address, one a line." };
  if (emails.length > MAX_BATCH) {
    return { ok: false, error: `Paste at most ${MAX_BATCH} addresses at a time; there are ${emails.length}.` };
  }
  return { ok: true, emails };
}

export interface BatchRow {
  index: number;
  email: string;
  ok: boolean;
  /** What happened, in a few words: "Invited" or the problem's title. */
  outcome: string;
  /** The warnings of an invitation, or the problem's detail and field errors. */
  details: string[];
  invitation?: Invitation;
  /** The request a line became under the two-person rule (202): not sent yet, waiting on Requests. */
  request?: InvitationRequest;
}

/** What the results table says a line came to. */
export function rowResult(row: Pick<BatchRow, "ok" | "outcome" | "invitation" | "request">, describeDelivery: (delivery: Invitation["delivery"]) => string): string {
  if (row.request) return "Waiting for a second admin's approval (not sent yet)";
  return row.ok ? `Invited (${describeDelivery(row.invitation?.delivery)})` : `Not invited: ${row.outcome}`;
}

/** The 207's results, one row per line sent, in the order sent (by each result's own `index`). */
export function batchRows(emails: readonly string[], results: readonly BatchResult[]): BatchRow[] {
  const byIndex = new Map(results.map((result) => [result.index, result]));
  return emails.map((email, index) => {
    const result = byIndex.get(index);
    if (!result) return { index, email, ok: false, outcome: "No result", details: ["The answer had no result for this line; check Invitations before trying it again."] };
    if ("invitation" in result) {
      return {
        index,
        email,
        ok: true,
        outcome: "Invited",
        details: (result.invitation.warnings ?? []).map((warning) => warning.message),
        invitation: result.invitation,
      };
    }
    if ("request" in result) {
      return {
        index,
        email,
        ok: true,
        outcome: "Waiting for a second admin's approval",
        details: [
          `The two-person rule applies: ${result.request.secondApprovalBecause ?? "it needs two admins"}.`,
          ...(result.request.warnings ?? []).map((warning) => warning.message),
        ],
        request: result.request,
      };
    }
    const { problem } = result;
    const errors = (problem.errors ?? []).map((error) => {
      const field = fieldForPointer(error.pointer);
      return field === "" ? error.message : `${field}: ${error.message}`;
    });
    return { index, email, ok: false, outcome: problem.title, details: errors.length > 0 ? errors : [problem.detail] };
  });
}

/**
 * A line after its invitation's address was corrected (from a possible typo): the new address and
 * invitation, its warnings, and that it was corrected from the address typed.
 */
export function correctedRow(row: BatchRow, corrected: Invitation, oldEmail: string): BatchRow {
  return {
    ...row,
    email: corrected.email,
    invitation: corrected,
    details: [`Address corrected from ${oldEmail}; the link sent there no longer works.`, ...(corrected.warnings ?? []).map((warning) => warning.message)],
  };
}
