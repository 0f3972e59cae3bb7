import { describe, expect, it } from "vitest";
import type { Project, ReviewItem } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";
import {
  buildDecision,
  buildOpenReview,
  decidedNotice,
  decisionErrors,
  decisionFields,
  decisionForm,
  decisionProblem,
  describeAccess,
  describeDecision,
  describeRoles,
  evidenceRowCount,
  mayReview,
  notAskedToReview,
  openReviewProblem,
  progressText,
  projectChoices,
  undecidedMembers,
  type DecisionForm,
} from "./reviews.js";

const WEB = "prj_01M88YE642M30FT58D3Y6VFKD7";
const IOS = "prj_01M88YE642M30FT58D3Y6VFKD8";
const names = new Map([
  [WEB, "Web"],
  [IOS, "iOS"],
]);

const item: ReviewItem = {
  campaignId: "rev_1",
  orgId: "org_1",
  memberId: "mem_1",
  email: "ana@partner.example",
  before: { orgRole: "member", projects: { [WEB]: "analyst" }, accessEndsAt: "2027-03-01T12:30:00Z" },
  lastActiveAt: "2026-12-01T09:00:00Z",
  justification: "Q1 dashboards",
};

function problem(fieldErrors: Record<string, string>, extra: Partial<ApiProblem> = {}): ApiProblem {
  return { status: 422, code: "validation_failed", title: "Validation failed", detail: "The request has invalid fields.", fieldErrors, formErrors: [], ...extra };
}

function form(changes: Partial<DecisionForm>): DecisionForm {
  return { ...decisionForm(item), ...changes };
}

describe("mayReview and notAskedToReview", () => {
  it("offers Reviews to admins and project managers, not to members who manage nothing", () => {
    expect(mayReview({ orgRole: "admin", projects: {} })).toBe(true);
    expect(mayReview({ orgRole: "member", projects: { [WEB]: "viewer", [IOS]: "manager" } })).toBe(true);
    expect(mayReview({ orgRole: "member", projects: { [WEB]: "analyst" } })).toBe(false);
  });

  it("takes a 403 as not asked to review, anything else as an error", () => {
    expect(notAskedToReview(problem({}, { status: 403, code: "forbidden" }))).toBe(true);
    expect(notAskedToReview(problem({}, { status: 404, code: "not_found" }))).toBe(false);
  });
});

describe("buildOpenReview and openReviewProblem", () => {
  it("leaves an empty end out (the API's 28 days) and sends a whole number as typed, for the API to judge", () => {
    expect(buildOpenReview("  ")).toEqual({ ok: true, body: {} });
    expect(buildOpenReview(" 30 ")).toEqual({ ok: true, body: { endsInDays: 30 } });
    expect(buildOpenReview("5")).toEqual({ ok: true, body: { endsInDays: 5 } });
  });

  it("refuses what is not a whole number beside the field", () => {
    expect(buildOpenReview("two weeks")).toEqual({ ok: false, fields: { endsInDays: "Enter a whole number of days from 15 to 90, or leave it empty for 28." } });
    expect(buildOpenReview("20.5").ok).toBe(false);
  });

  it("puts the API's 422 beside the field and says another open review (409) with what to do", () => {
    expect(openReviewProblem(problem({ endsInDays: "must be a whole number from 15 to 90" }))).toEqual({
      fields: { endsInDays: "must be a whole number from 15 to 90" },
      messages: [],
    });
    const open = openReviewProblem(problem({}, { status: 409, code: "invalid_state", detail: "A review of this organization is open; decide or close it first." }));
    expect(open.fields).toEqual({});
    expect(open.messages[0]).toMatch(/^A review of this organization is open; decide or close it first\. A review closes when its last member is decided/);
    expect(openReviewProblem(problem({}, { status: 403, code: "forbidden", detail: "Only admins may do this." }))).toEqual({ fields: {}, messages: ["Only admins may do this."] });
  });
});

describe("how reviews, access and decisions read", () => {
  it("says progress, roles with project names, and an access with its end", () => {
    expect(progressText({ decidedCount: 1, itemCount: 3 })).toBe("1 of 3 decided");
    expect(describeRoles({ orgRole: "member", projects: { [WEB]: "analyst", prj_gone: "viewer" } }, names)).toBe("member · Web: analyst, prj_gone: viewer");
    expect(describeRoles({ orgRole: "admin", projects: {} }, names)).toBe("admin · every project");
    expect(describeAccess(item.before, names)).toBe("member · Web: analyst · ends 2027-03-01");
    expect(describeAccess({ orgRole: "member", projects: {} }, names)).toBe("member · no project · no end date");
    expect(describeAccess(undefined, names)).toBe("removed: no access");
  });

  it("describes each decision, a change by what it changed", () => {
    expect(describeDecision({ ...item, decision: "keep", after: item.before }, names)).toBe("Kept: access unchanged");
    expect(describeDecision({ ...item, decision: "remove" }, names)).toBe("Removed: access ended");
    expect(describeDecision(item, names)).toBe("Not decided yet");
    const changed = { ...item, decision: "change" as const, after: { orgRole: "member" as const, projects: { [WEB]: "viewer" as const, [IOS]: "viewer" as const }, accessEndsAt: "2027-06-30T00:00:00Z" } };
    expect(describeDecision(changed, names)).toBe("Changed: projects Web: analyst → Web: viewer, iOS: viewer; access end 2027-03-01 → 2027-06-30");
    expect(decidedNotice(changed, names)).toBe(
      "Changed the access of ana@partner.example: projects Web: analyst → Web: viewer, iOS: viewer; access end 2027-03-01 → 2027-06-30.",
    );
    expect(decidedNotice({ ...item, decision: "keep" }, names)).toBe("Kept the access of ana@partner.example.");
    expect(decidedNotice({ ...item, decision: "remove" }, names)).toContain("Removed ana@partner.example: their access has ended");
  });

  it("names the members left undecided by email where the items have them", () => {
    expect(undecidedMembers({ undecided: ["mem_1", "mem_9"] }, [item])).toEqual(["ana@partner.example", "mem_9"]);
    expect(undecidedMembers({ undecided: [] }, [item])).toEqual([]);
  });

  it("counts the evidence CSV's data rows, a quoted note with a line break being one row", () => {
    const header = "campaignId,memberId,email,decision\r\n";
    expect(evidenceRowCount(header)).toBe(0);
    expect(evidenceRowCount(`${header}"rev_1","mem_1","a@x.example","keep"\r\n"rev_1","mem_2","b@x.example","note\r\nline two"\r\n`)).toBe(2);
  });
});

describe("the decide form", () => {
  it("starts undecided, its change fields from the access reviewed", () => {
    expect(decisionForm(item)).toEqual({ decision: "", note: "", orgRole: "member", projects: { [WEB]: "analyst" }, accessEndsOn: "2027-03-01" });
  });

  it("requires a decision and a note of at most 500 characters", () => {
    expect(buildDecision(form({}), item, true)).toEqual({
      ok: false,
      fields: { decision: "Choose keep, change or remove.", note: "Write a note: why this decision. It is kept in the evidence." },
      messages: [],
    });
    const long = buildDecision(form({ decision: "keep", note: "x".repeat(501) }), item, true);
    expect(long.ok ? "" : long.fields.note).toBe("Write at most 500 characters; this is 501.");
  });

  it("sends keep and remove with the note only, even when change fields were touched", () => {
    expect(buildDecision(form({ decision: "keep", note: " Still runs the dashboards " }), item, true)).toEqual({
      ok: true,
      body: { decision: "keep", note: "Still runs the dashboards" },
    });
    expect(buildDecision(form({ decision: "remove", note: "Engagement over", accessEndsOn: "2027-01-01" }), item, true)).toEqual({
      ok: true,
      body: { decision: "remove", note: "Engagement over" },
    });
  });

  it("sends a change of only what differs: a new end date at 00:00 UTC, the projects whole, a role taken away", () => {
    expect(buildDecision(form({ decision: "change", note: "Until June", accessEndsOn: "2027-06-30" }), item, true)).toEqual({
      ok: true,
      body: { decision: "change", note: "Until June", change: { accessEndsAt: "2027-06-30T00:00:00Z" } },
    });
    expect(buildDecision(form({ decision: "change", note: "Web only as viewer", projects: { [WEB]: "viewer", [IOS]: "" } }), item, true)).toEqual({
      ok: true,
      body: { decision: "change", note: "Web only as viewer", change: { projects: { [WEB]: "viewer" } } },
    });
    expect(buildDecision(form({ decision: "change", note: "No end", accessEndsOn: "" }), item, true)).toEqual({
      ok: true,
      body: { decision: "change", note: "No end", change: { accessEndsAt: null } },
    });
  });

  it("sends the org role only from an admin", () => {
    const promoted = form({ decision: "change", note: "Leads the team now", orgRole: "admin" });
    expect(buildDecision(promoted, item, true)).toEqual({ ok: true, body: { decision: "change", note: "Leads the team now", change: { orgRole: "admin" } } });
    expect(buildDecision(promoted, item, false)).toEqual({
      ok: false,
      fields: {},
      messages: ["Nothing is changed yet: set a new access end date or roles, or choose keep."],
    });
  });

  it("refuses a change that changes nothing", () => {
    const built = buildDecision(form({ decision: "change", note: "Same" }), item, true);
    expect(built).toEqual({ ok: false, fields: {}, messages: ["Nothing is changed yet: set a new access end date or roles, or choose keep."] });
  });

  it("offers every readable project (archived ones only when held), else the projects managed, and always those held", () => {
    const projects = [
      { id: WEB, name: "Web", archived: false },
      { id: IOS, name: "iOS", archived: true },
      { id: "prj_new", name: "New", archived: false },
    ] as Project[];
    expect(projectChoices(item.before, projects, [])).toEqual([
      { id: WEB, name: "Web" },
      { id: "prj_new", name: "New" },
    ]);
    expect(projectChoices({ projects: { [IOS]: "viewer" } }, projects, []).map((p) => p.id)).toEqual([WEB, IOS, "prj_new"]);
    expect(projectChoices(item.before, undefined, [IOS])).toEqual([
      { id: IOS, name: IOS },
      { id: WEB, name: WEB },
    ]);
    // A project manager cannot list projects: the names come with the review.
    expect(projectChoices(item.before, undefined, [IOS], new Map([[IOS, "iOS"], [WEB, "Web"]]))).toEqual([
      { id: IOS, name: "iOS" },
      { id: WEB, name: "Web" },
    ]);
  });
});

describe("decisionErrors and decisionProblem", () => {
  it("puts the API's errors beside the fields: the change's end date, a project's role, the note", () => {
    const shown = decisionErrors(
      problem({
        "change.accessEndsAt": "must be in the future",
        [`change.projects.${WEB}`]: "must be viewer, analyst or manager",
        note: "must be 1 to 500 characters",
        "change.justification": "is required",
      }),
      [WEB],
    );
    expect(shown).toEqual({
      fields: { accessEndsOn: "must be in the future", [`projects.${WEB}`]: "must be viewer, analyst or manager", note: "must be 1 to 500 characters is required" },
      messages: [],
    });
    expect(decisionFields([WEB])).toEqual(["decision", "orgRole", "projects", `projects.${WEB}`, "accessEndsOn", "note"]);
  });

  it("says above the form what it has no field for", () => {
    expect(decisionErrors(problem({ "change.stakeholders.0": "is not a valid email address" }), [WEB]).messages).toEqual([
      "change.stakeholders.0: is not a valid email address",
    ]);
    expect(decisionErrors(problem({ change: "goes only with the decision change" }), []).messages).toEqual(["change: goes only with the decision change"]);
  });

  it("marks a closed review or a member decided meanwhile as stale; a 403 says the reviewer may not decide", () => {
    const closed = decisionProblem(problem({}, { status: 409, code: "invalid_state", detail: "This review is closed." }), item);
    expect(closed).toEqual({ text: "ana@partner.example: This review is closed. The review is shown as it now is.", stale: true });
    const forbidden = decisionProblem(problem({}, { status: 403, code: "forbidden", detail: "Only admins may do this." }), item);
    expect(forbidden).toEqual({ text: "You may not decide ana@partner.example in this review: Only admins may do this.", stale: false });
    expect(decisionProblem(problem({}, { status: 500, code: "internal_error", detail: "Something failed.", requestId: "r-1" }), item).text).toBe("Something failed. (request id r-1)");
  });
});
