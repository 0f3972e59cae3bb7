import { describe, expect, it } from "vitest";
import type { BatchResult, Invitation, InvitationRequest } from "../api/client.js";
import { batchRows, correctedRow, parseBatchLines, rowResult } from "./batch.js";

describe("parseBatchLines", () => {
  it("takes one address a line, trimmed, skipping blank lines", () => {
    expect(parseBatchLines(" a@x.example \r\n\n b@x.example\n   \n")).toEqual({ ok: true, emails: ["a@x.example", "b@x.example"] });
  });

  it("refuses nothing pasted, and more than 10 lines, saying how many", () => {
    expect(parseBatchLines(" \n ")).toEqual({ ok: false, error: "Paste at least one email address, one a line." });
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}@x.example`).join("\n");
    expect(parseBatchLines(eleven)).toEqual({ ok: false, error: "Paste at most 10 addresses at a time; there are 11." });
    expect(parseBatchLines(eleven.split("\n").slice(0, 10).join("\n")).ok).toBe(true);
  });
});

const invitation = {
  id: "inv_01M88YEMFZ89KXAEJA1S42CJ7H",
  email: "a@x.example",
  status: "pending",
  delivery: { status: "sent" },
  warnings: [{ code: "no_end_date", message: "The access has no end date." }],
} as unknown as Invitation;

describe("batchRows", () => {
  it("matches each result to its line by index, with warnings, field errors or the problem's detail", () => {
    const results: BatchResult[] = [
      {
        index: 1,
        status: 422,
        problem: {
          type: "urn:tenure:problem:validation_failed",
          title: "Validation failed",
          status: 422,
          detail: "The request has 1 invalid field(s).",
          code: "validation_failed",
          errors: [{ pointer: "/email", message: "must be a bare address like name@example.com" }],
        },
      },
      { index: 0, status: 201, invitation },
      {
        index: 2,
        status: 409,
        problem: {
          type: "urn:tenure:problem:invitation_pending",
          title: "Invitation pending",
          status: 409,
          detail: "This address already has a pending invitation.",
          code: "invitation_pending",
        },
      },
    ];
    const rows = batchRows(["a@x.example", "not-an-address", "c@x.example"], results);
    expect(rows.map((row) => [row.email, row.ok, row.outcome])).toEqual([
      ["a@x.example", true, "Invited"],
      ["not-an-address", false, "Validation failed"],
      ["c@x.example", false, "Invitation pending"],
    ]);
    expect(rows[0]?.details).toEqual(["The access has no end date."]);
    expect(rows[0]?.invitation?.id).toBe(invitation.id);
    expect(rows[1]?.details).toEqual(["email: must be a bare address like name@example.com"]);
    expect(rows[2]?.details).toEqual(["This address already has a pending invitation."]);
  });

  it("says so when a line has no result, rather than dropping it", () => {
    const rows = batchRows(["a@x.example", "b@x.example"], [{ index: 0, status: 201, invitation }]);
    expect(rows[1]).toMatchObject({ email: "b@x.example", ok: false, outcome: "No result" });
  });

  it("keeps a line that became a request under the two-person rule apart from one invited", () => {
    const request = {
      id: "req_01M88YEMFZ89KXAEJA1S42CJ7H",
      email: "b@x.example",
      status: "pending",
      approvalsNeeded: 2,
      approvals: [],
      secondApprovalBecause: "b@x.example is outside the internal domains",
    } as unknown as InvitationRequest;
    const rows = batchRows(["a@x.example", "b@x.example"], [
      { index: 0, status: 201, invitation },
      { index: 1, status: 202, request },
    ]);
    expect(rows[1]).toMatchObject({ ok: true, request, details: ["The two-person rule applies: b@x.example is outside the internal domains."] });
    const delivery = (d: Invitation["delivery"]) => `email ${d?.status ?? "not sent yet"}`;
    expect(rows.map((row) => rowResult(row, delivery))).toEqual(["Invited (email sent)", "Waiting for a second admin's approval (not sent yet)"]);
  });
});

describe("correctedRow", () => {
  it("shows a line's corrected address and invitation, saying it was corrected, with the new warnings", () => {
    const typo = { ...invitation, email: "a@x.exmple", warnings: [{ code: "possible_typo", message: "The domain x.exmple looks like a typo.", suggestion: "a@x.example" }] } as unknown as Invitation;
    const [row] = batchRows(["a@x.exmple"], [{ index: 0, status: 201, invitation: typo }]);
    expect(row?.details).toEqual(["The domain x.exmple looks like a typo."]);
    const corrected = { ...invitation, version: 2 } as Invitation;
    expect(correctedRow(row!, corrected, "a@x.exmple")).toEqual({
      index: 0,
      email: "a@x.example",
      ok: true,
      outcome: "Invited",
      invitation: corrected,
      details: ["Address corrected from a@x.exmple; the link sent there no longer works.", "The access has no end date."],
    });
  });
});
