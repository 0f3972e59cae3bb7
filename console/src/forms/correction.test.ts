import { describe, expect, it } from "vitest";
import type { Invitation } from "../api/client.js";
import { toApiProblem } from "../api/problem.js";
import {
  buildCorrection,
  correctedText,
  correctionErrors,
  correctionForm,
  staleText,
  typoCorrection,
  typoJustification,
  typoSuggestions,
} from "./correction.js";

const invitation = { email: "ana@partnr.example", status: "pending", version: 3 } as Invitation;

function problem(status: number, code: string, detail: string, errors?: { pointer: string; message: string }[], headers: Record<string, string> = {}) {
  return toApiProblem(status, { type: `urn:tenure:problem:${code}`, title: code, status, code, detail, ...(errors ? { errors } : {}) }, new Headers(headers));
}

describe("a typo warning's correction", () => {
  it("sends the suggestion with a justification naming both addresses", () => {
    expect(typoCorrection(invitation, "ana@partner.example")).toEqual({
      email: "ana@partner.example",
      justification: "Corrected a typo: ana@partnr.example → ana@partner.example",
    });
    expect(typoJustification("a@b.example", "a@c.example")).toBe("Corrected a typo: a@b.example → a@c.example");
  });

  it("offers each possible typo's suggestion once, and nothing for other warnings or a typo without one", () => {
    expect(
      typoSuggestions([
        { code: "no_end_date" },
        { code: "possible_typo", suggestion: "ana@partner.example" },
        { code: "possible_typo", suggestion: "ana@partner.example" },
        { code: "possible_typo" },
        { code: "outside_sso_domain" },
      ]),
    ).toEqual(["ana@partner.example"]);
    expect(typoSuggestions(undefined)).toEqual([]);
  });
});

describe("the Correct address form", () => {
  it("opens with the invitation's address and no justification", () => {
    expect(correctionForm(invitation)).toEqual({ email: "ana@partnr.example", justification: "" });
  });

  it("builds the PATCH body, trimmed", () => {
    expect(buildCorrection({ email: " ana@partner.example ", justification: " Typo in the domain " }, invitation)).toEqual({
      ok: true,
      body: { email: "ana@partner.example", justification: "Typo in the domain" },
    });
  });

  it("refuses an empty address, the same address and an empty justification beside their fields", () => {
    expect(buildCorrection({ email: " ", justification: "" }, invitation)).toEqual({
      ok: false,
      fields: { email: "Enter the address the invitation should go to.", justification: "Say why: the justification goes to the audit trail." },
    });
    const same = buildCorrection({ email: "ana@partnr.example", justification: "x" }, invitation);
    expect(same.ok ? "" : same.fields.email).toMatch(/already the invitation's address/);
  });
});

describe("correctionErrors", () => {
  it("puts the API's 422 beside the address and the justification", () => {
    const shown = correctionErrors(
      problem(422, "validation_failed", "The request has 2 invalid field(s).", [
        { pointer: "/email", message: "must be a bare address like name@example.com" },
        { pointer: "/justification", message: "is required" },
      ]),
      "ana@",
    );
    expect(shown).toEqual({ fields: { email: "must be a bare address like name@example.com", justification: "is required" }, messages: [] });
  });

  it("says a conflict about the new address beside the address, naming it and what the console offers", () => {
    const pending = problem(409, "invitation_pending", "This address already has a pending invitation. Resend it, or invite again with replaceExisting: true.");
    expect(correctionErrors(pending, "bo@partner.example")).toEqual({
      fields: { email: "bo@partner.example already has a pending invitation in this organization: resend that one, or revoke it before correcting this one." },
      messages: [],
    });
    expect(correctionErrors(problem(409, "already_member", "bo@partner.example is already a member."), "bo@partner.example").fields.email).toBe(
      "bo@partner.example is already a member.",
    );
  });

  it("says a refusal about the invitation itself above the form, a 429 with its wait in words", () => {
    expect(correctionErrors(problem(409, "invalid_state", "Only a pending invitation's address can be corrected; this one is accepted."), "bo@partner.example")).toEqual({
      fields: {},
      messages: ["Only a pending invitation's address can be corrected; this one is accepted."],
    });
    expect(correctionErrors(problem(429, "rate_limited", "This invitation was already sent 5 times today.", undefined, { "Retry-After": "120" }), "bo@partner.example").messages).toEqual([
      "This invitation was already sent 5 times today. Try again in 2 minutes.",
    ]);
  });

  it("keeps an error on a field the form lacks, named, above the form", () => {
    expect(correctionErrors(problem(422, "validation_failed", "Invalid.", [{ pointer: "/note", message: "is not allowed" }]), "bo@partner.example")).toEqual({
      fields: {},
      messages: ["note: is not allowed"],
    });
  });
});

describe("what the admin is told", () => {
  it("says the correction with both addresses and the new link's expiry", () => {
    expect(correctedText("ana@partnr.example", { email: "ana@partner.example", expiresAt: "2026-12-02T08:51:40Z" }, "2026-12-02 08:51 UTC")).toBe(
      "Corrected the address from ana@partnr.example to ana@partner.example: a new link was emailed to ana@partner.example (it expires 2026-12-02 08:51 UTC), and the link sent to ana@partnr.example no longer works.",
    );
  });

  it("says a 412 with the newer version, or that it is no longer pending", () => {
    expect(staleText({ email: "ana@partnr.example", status: "pending", version: 4 })).toMatch(/^The invitation changed meanwhile \(it is now version 4, to ana@partnr.example\)/);
    expect(staleText({ email: "ana@partnr.example", status: "revoked", version: 4 })).toBe(
      "The invitation changed meanwhile: it is now revoked, so its address can no longer be corrected.",
    );
  });
});
