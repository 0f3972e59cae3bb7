import { describe, expect, it } from "vitest";
import type { ApiProblem } from "../api/problem.js";
import {
  buildInvite,
  emailHints,
  emptyInviteForm,
  firstErrorField,
  idempotencyKeyFor,
  inviteErrors,
  templateChoices,
  togglePicked,
  type InviteForm,
} from "./invite.js";

const P1 = "prj_01M88YE642M30FT58D3Y6VFKD7";
const P2 = "prj_01M88YE642M30FT58D3Y6VFKD8";

function form(changes: Partial<InviteForm>): InviteForm {
  return { ...emptyInviteForm(), ...changes };
}

function problem(fieldErrors: Record<string, string>, extra: Partial<ApiProblem> = {}): ApiProblem {
  return { status: 422, code: "validation_failed", title: "Validation failed", detail: "The request has invalid fields.", fieldErrors, formErrors: [], ...extra };
}

describe("buildInvite", () => {
  it("sends an org role with a role per picked project, the note, the end date and stakeholders", () => {
    const built = buildInvite(
      form({
        email: "  ana@partner.example ",
        picked: [P1, P2],
        projectRoles: { [P1]: "analyst" },
        engagement: " Q4 funnel ",
        reference: "",
        justification: "Builds dashboards",
        accessEndsOn: "2027-03-01",
        expiresInDays: "3",
        stakeholders: "lead@acme.example, ops@acme.example\nboss@acme.example",
      }),
    );
    expect(built.body).toEqual({
      email: "ana@partner.example",
      orgRole: "member",
      projects: [
        { projectId: P1, role: "analyst" },
        { projectId: P2, role: "viewer" },
      ],
      note: { engagement: "Q4 funnel", justification: "Builds dashboards" },
      accessEndsAt: "2027-03-01T00:00:00Z",
      expiresInDays: 3,
      stakeholders: ["lead@acme.example", "ops@acme.example", "boss@acme.example"],
    });
    expect(built.projectAt).toEqual([P1, P2]);
  });

  it("leaves blank optional fields out, so the org's defaults apply", () => {
    expect(buildInvite(form({ email: "a@b.example", orgRole: "admin" })).body).toEqual({ email: "a@b.example", orgRole: "admin" });
  });

  it("sends a template with project ids and no org role or project roles", () => {
    const body = buildInvite(form({ email: "a@b.example", roleMode: "template", template: "reporting", picked: [P2], projectRoles: { [P2]: "manager" } })).body;
    expect(body).toEqual({ email: "a@b.example", template: "reporting", projectIds: [P2] });
  });

  it("asks to replace a pending invitation only when ticked", () => {
    expect(buildInvite(form({ email: "a@b.example", replaceExisting: true })).body).toMatchObject({ replaceExisting: true });
  });
});

describe("togglePicked", () => {
  it("keeps the picked projects in the form's order", () => {
    const all = [P1, P2];
    let state = togglePicked(emptyInviteForm(), P2, true, all);
    state = togglePicked(state, P1, true, all);
    expect(state.picked).toEqual([P1, P2]);
    expect(togglePicked(state, P2, false, all).picked).toEqual([P1]);
  });
});

describe("inviteErrors", () => {
  const built = { projectAt: [P1, P2], stakeholdersSent: ["lead@acme.example", "not an address"] };

  it("puts each field error beside its field, a project's on that project's row", () => {
    const shown = inviteErrors(
      problem({
        email: "must be a bare address",
        "projects.1.role": "must be one of analyst, manager, viewer",
        "note.justification": "is required by this organization",
        "stakeholders.1": "must be a bare address",
        accessEndsAt: "must be within 365 days",
      }),
      built,
    );
    expect(shown.fields).toEqual({
      email: "must be a bare address",
      [`project:${P2}`]: "must be one of analyst, manager, viewer",
      "note.justification": "is required by this organization",
      stakeholders: "not an address: must be a bare address",
      accessEndsAt: "must be within 365 days",
    });
    expect(shown.messages).toEqual([]);
    expect(firstErrorField(shown.fields, [P1, P2])).toBe("email");
  });

  it("puts a projects error without a row on the projects group, and unknown fields above the form", () => {
    const shown = inviteErrors(problem({ projects: "a member needs at least one project", replaceExisting: "must be a boolean" }), built);
    expect(shown.fields).toEqual({ projects: "a member needs at least one project" });
    expect(shown.messages).toEqual(["replaceExisting: must be a boolean"]);
  });

  it("says a problem without field errors above the form (a 409 pending invitation, a 429 with its wait)", () => {
    const pending = inviteErrors(problem({}, { status: 409, code: "invitation_pending", detail: "This address already has a pending invitation." }), built);
    expect(pending).toEqual({ fields: {}, messages: ["This address already has a pending invitation."] });
    const limited = inviteErrors(problem({}, { status: 429, code: "rate_limited", detail: "Daily quota reached. Try again in 3 hours." }), built);
    expect(limited.messages).toEqual(["Daily quota reached. Try again in 3 hours."]);
  });
});

describe("templateChoices", () => {
  it("offers the built-ins and the org's own", () => {
    const names = templateChoices({ contractor: { orgRole: "member", projectRole: "viewer" } }).map((choice) => choice.name);
    expect(names).toEqual(["implementation", "analytics", "reporting", "governance", "contractor"]);
    expect(templateChoices(undefined).find((choice) => choice.name === "governance")?.label).toBe("governance (admin)");
  });
});

describe("idempotencyKeyFor", () => {
  let n = 0;
  const fresh = () => `key-${++n}`;

  it("reuses the key of an unanswered attempt with the same body, so a retry cannot invite twice", () => {
    expect(idempotencyKeyFor({ key: "k1", body: "{}", answered: false }, "{}", fresh)).toBe("k1");
  });

  it("takes a fresh key after an answer, or when the body changed", () => {
    expect(idempotencyKeyFor({ key: "k1", body: "{}", answered: true }, "{}", fresh)).not.toBe("k1");
    expect(idempotencyKeyFor({ key: "k1", body: "{}", answered: false }, '{"a":1}', fresh)).not.toBe("k1");
    expect(idempotencyKeyFor(null, "{}", fresh)).toMatch(/^key-/);
  });
});

describe("emailHints", () => {
  const settings = { internalDomains: ["acme.example"], allowedEmailDomains: [], emailPatternMode: "warn" as const };

  it("says nothing for an internal address, or before the domain is typed", () => {
    expect(emailHints("ana@acme.example", settings, false)).toEqual([]);
    expect(emailHints("ana@", settings, false)).toEqual([]);
  });

  it("says an outside address without an end date keeps its access for good", () => {
    expect(emailHints("ana@partner.example", settings, false)).toEqual([
      "partner.example is outside the organization's internal domains: give an end date, or the access never ends.",
    ]);
    expect(emailHints("ana@partner.example", settings, true)).toEqual([]);
  });

  it("names the allowed domains and the naming pattern an address misses", () => {
    const strict = { ...settings, allowedEmailDomains: ["Acme.example"], emailPattern: "^analytics-[a-z0-9-]+@", emailPatternMode: "enforce" as const };
    expect(emailHints("bob@partner.example", strict, true)).toEqual([
      "This organization invites only addresses at acme.example.",
      "The address must match this organization's naming pattern ^analytics-[a-z0-9-]+@.",
    ]);
    expect(emailHints("analytics-etl@acme.example", strict, true)).toEqual([]);
  });

  it("says an address outside the SSO domains of an org that signs in with SSO signs in with a password", () => {
    const sso = { ...settings, loginMethod: "sso" as const, ssoDomains: ["acme.example", "Acme.co.uk"] };
    expect(emailHints("bo@partner.example", sso, true)).toEqual([
      "This organization signs in with SSO at acme.example, acme.co.uk; an address at partner.example signs in with an email and password instead.",
    ]);
    expect(emailHints("bo@acme.co.uk", { ...sso, internalDomains: ["acme.co.uk"] }, false)).toEqual([]);
    expect(emailHints("bo@partner.example", { ...sso, loginMethod: "password" as const }, true)).toEqual([]);
  });

  it("leaves a pattern JavaScript cannot read to the API", () => {
    expect(emailHints("a@acme.example", { ...settings, emailPattern: "(?<unclosed" }, true)).toEqual([]);
  });
});
