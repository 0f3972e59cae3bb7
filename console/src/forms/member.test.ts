import { describe, expect, it } from "vitest";
import type { Member } from "../api/client.js";
import { toApiProblem } from "../api/problem.js";
import { buildMemberPatch, differences, memberErrors, memberForm, reapply, saveStep } from "./member.js";

const read: Member = {
  id: "mem_01M88YJSNKV0JTCRN9MMCJE581",
  orgId: "org_1",
  email: "ana@partner.example",
  emailKey: "ana@partner.example",
  orgRole: "member",
  projects: { prj_web: "analyst" },
  accessEndsAt: "2027-03-01T10:30:00Z",
  stakeholders: ["lead@acme.example"],
  status: "active",
  createdAt: "2026-11-25T08:53:58Z",
  updatedAt: "2026-11-25T08:53:58Z",
  version: 3,
};

describe("buildMemberPatch", () => {
  it("sends the justification and the new end date only, at the start of the day picked", () => {
    const form = { ...memberForm(read), accessEndsOn: "2027-04-01", justification: "  Q1 follow-up " };
    expect(buildMemberPatch(form, read)).toEqual({ ok: true, body: { justification: "Q1 follow-up", accessEndsAt: "2027-04-01T00:00:00Z" } });
  });

  it("sends the whole projects map when a project role changes, without the projects left with no role", () => {
    const form = { ...memberForm(read), projects: { prj_web: "" as const, prj_ios: "viewer" as const }, justification: "moved to iOS" };
    expect(buildMemberPatch(form, read)).toEqual({ ok: true, body: { justification: "moved to iOS", projects: { prj_ios: "viewer" } } });
  });

  it("sends null to remove the end date, and the org role when it changes", () => {
    const form = { ...memberForm(read), orgRole: "admin" as const, accessEndsOn: "", justification: "now staff" };
    expect(buildMemberPatch(form, read)).toEqual({ ok: true, body: { justification: "now staff", orgRole: "admin", accessEndsAt: null } });
  });

  it("refuses to send without a justification, saying so beside its field", () => {
    const form = { ...memberForm(read), accessEndsOn: "2027-04-01", justification: "   " };
    const built = buildMemberPatch(form, read);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.fields.justification).toMatch(/audit/);
  });

  it("refuses to send when nothing changed", () => {
    const built = buildMemberPatch({ ...memberForm(read), justification: "why" }, read);
    expect(built).toEqual({ ok: false, fields: {}, messages: ["Nothing has changed: change a role or the access end date first."] });
  });
});

describe("memberErrors", () => {
  it("puts the API's /accessEndsAt and /projects/<id> errors beside the date and that project's role", () => {
    const problem = toApiProblem(
      422,
      {
        code: "validation_failed",
        status: 422,
        title: "Validation failed",
        detail: "The request has 3 invalid field(s).",
        errors: [
          { pointer: "/accessEndsAt", message: "must be within 365 days" },
          { pointer: "/projects/prj_web", message: "is not a project of this organization" },
          { pointer: "/stakeholders/0", message: "is not an email address" },
        ],
      },
      new Headers(),
    );
    expect(memberErrors(problem, ["prj_web"])).toEqual({
      fields: { accessEndsOn: "must be within 365 days", "projects.prj_web": "is not a project of this organization" },
      messages: ["stakeholders.0: is not an email address"],
    });
  });
});

describe("after a 412", () => {
  const newer: Member = { ...read, version: 4, accessEndsAt: "2027-02-01T00:00:00Z", stakeholders: ["lead@acme.example", "cfo@acme.example"] };
  const names = new Map([["prj_web", "Web"]]);

  it("says what the other change did", () => {
    expect(differences(read, newer, names)).toEqual([
      { field: "accessEndsAt", before: "2027-03-01T10:30:00Z", after: "2027-02-01T00:00:00Z" },
      { field: "stakeholders", before: "lead@acme.example", after: "lead@acme.example, cfo@acme.example" },
    ]);
  });

  it("re-applies the user's own edits on the newer version, keeping the justification", () => {
    const mine = { ...memberForm(read), projects: { prj_web: "viewer" as const }, justification: "less access" };
    const again = reapply(mine, read, newer);
    // The other change's end date stays; the user's project role is laid on top.
    expect(again).toEqual({ orgRole: "member", projects: { prj_web: "viewer" }, accessEndsOn: "2027-02-01", justification: "less access" });
    expect(buildMemberPatch(again, newer)).toEqual({ ok: true, body: { justification: "less access", projects: { prj_web: "viewer" } } });
  });

  it("re-applying the user's end date over the other change's sends it against the newer version", () => {
    const mine = { ...memberForm(read), accessEndsOn: "2027-06-30", justification: "extend" };
    expect(buildMemberPatch(reapply(mine, read, newer), newer)).toEqual({ ok: true, body: { justification: "extend", accessEndsAt: "2027-06-30T00:00:00Z" } });
  });

  it("the save steps: a stale answer waits for the user, who re-applies and saves again", () => {
    let state = saveStep({ step: "editing" }, { type: "save" });
    expect(state).toEqual({ step: "saving" });
    expect(saveStep(state, { type: "save" })).toBe(state);
    state = saveStep(state, { type: "stale", newer });
    expect(state).toEqual({ step: "stale", newer });
    expect(saveStep(state, { type: "save" })).toBe(state);
    state = saveStep(state, { type: "reapplied" });
    expect(state).toEqual({ step: "editing" });
    state = saveStep(saveStep(state, { type: "save" }), { type: "saved", member: { ...newer, version: 5 } });
    expect(state).toEqual({ step: "saved", version: 5 });
    expect(saveStep(saveStep({ step: "saving" }, { type: "refused" }), { type: "edit" })).toEqual({ step: "editing" });
  });
});
