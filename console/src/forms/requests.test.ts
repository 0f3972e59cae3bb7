import { describe, expect, it } from "vitest";
import type { ApiProblem } from "../api/problem.js";
import {
  actorName,
  approvalsText,
  approveBody,
  askErrors,
  buildAsk,
  decisionProblem,
  denyReasonError,
  emptyAskForm,
  firstAskError,
  readRequestFilter,
  type AskForm,
} from "./requests.js";

const P1 = "prj_01M88YE642M30FT58D3Y6VFKD7";
const P2 = "prj_01M88YE642M30FT58D3Y6VFKD8";

function ask(changes: Partial<AskForm>): AskForm {
  return { ...emptyAskForm(), ...changes };
}

function problem(fieldErrors: Record<string, string>, extra: Partial<ApiProblem> = {}): ApiProblem {
  return { status: 422, code: "validation_failed", title: "Validation failed", detail: "The request has invalid fields.", fieldErrors, formErrors: [], ...extra };
}

describe("readRequestFilter", () => {
  it("is pending by default and takes a known status from the query", () => {
    expect(readRequestFilter("")).toBe("pending");
    expect(readRequestFilter("?status=denied")).toBe("denied");
    expect(readRequestFilter("?status=all")).toBe("all");
    expect(readRequestFilter("?status=accepted")).toBe("pending");
  });
});

describe("approvalsText and actorName", () => {
  it("say n of m approvals and who acted", () => {
    expect(approvalsText({ approvals: [], approvalsNeeded: 1 })).toBe("0 of 1 approval");
    expect(approvalsText({ approvals: [{ by: { type: "user", id: "a" }, at: "2026-12-01T00:00:00Z" }], approvalsNeeded: 2 })).toBe("1 of 2 approvals");
    expect(actorName({ type: "user", id: "local|1", email: "ann@acme.example" })).toBe("ann@acme.example");
    expect(actorName({ type: "system", id: "expiry-sweep" })).toBe("system expiry-sweep");
  });
});

describe("buildAsk", () => {
  it("sends the reason and the invitation built as the invite form builds it", () => {
    const built = buildAsk(ask({ email: " ana@partner.example ", picked: [P1, P2], projectRoles: { [P2]: "analyst" }, accessEndsOn: "2027-03-01", reason: " Q1 dashboards " }));
    expect(built.body).toEqual({
      reason: "Q1 dashboards",
      invitation: {
        email: "ana@partner.example",
        orgRole: "member",
        projects: [
          { projectId: P1, role: "viewer" },
          { projectId: P2, role: "analyst" },
        ],
        accessEndsAt: "2027-03-01T00:00:00Z",
      },
    });
    expect(built.invite.projectAt).toEqual([P1, P2]);
  });

  it("leaves out projects and the end date when none are given", () => {
    expect(buildAsk(ask({ email: "a@b.example", orgRole: "admin", reason: "r" })).body).toEqual({ reason: "r", invitation: { email: "a@b.example", orgRole: "admin" } });
  });
});

describe("askErrors", () => {
  const built = buildAsk(ask({ email: "x", picked: [P1, P2], reason: "" }));

  it("puts /reason and the invitation's pointers beside their fields, a project's role on its row", () => {
    const shown = askErrors(
      problem({ reason: "is required (1 to 500 characters)", "invitation.email": "is not a valid email address", "invitation.projects.1.role": "must be viewer, analyst or manager" }),
      built,
    );
    expect(shown.fields).toEqual({
      reason: "is required (1 to 500 characters)",
      email: "is not a valid email address",
      [`project:${P2}`]: "must be viewer, analyst or manager",
    });
    expect(shown.messages).toEqual([]);
    expect(firstAskError(shown.fields, [P1, P2])).toBe("email");
  });

  it("says above the form what it has no field for, and a 403 as the API words it", () => {
    expect(askErrors(problem({ "invitation.note.justification": "is required" }), built).messages).toEqual(["note.justification: is required"]);
    const forbidden = askErrors(
      problem({}, { status: 403, code: "forbidden", title: "Forbidden", detail: "This organization does not take invitation requests; ask one of its admins to invite." }),
      built,
    );
    expect(forbidden).toEqual({ fields: {}, messages: ["This organization does not take invitation requests; ask one of its admins to invite."] });
  });

  it("focuses the reason last, after the projects", () => {
    expect(firstAskError({ reason: "r", [`project:${P2}`]: "p" }, [P1, P2])).toBe(`project:${P2}`);
    expect(firstAskError({ reason: "r" }, [P1])).toBe("reason");
  });
});

describe("approveBody and denyReasonError", () => {
  it("leaves blank approval parts out", () => {
    expect(approveBody("  ", "")).toEqual({});
    expect(approveBody(" CHG-1 ", " checked ")).toEqual({ approvalReference: "CHG-1", note: "checked" });
  });

  it("refuses an empty or too long denial reason", () => {
    expect(denyReasonError("  ")).toBe("Enter a reason; the person who asked is told it.");
    expect(denyReasonError("x".repeat(501))).toContain("at most 500");
    expect(denyReasonError("Not signed yet")).toBeUndefined();
  });
});

describe("decisionProblem", () => {
  const request = { email: "ana@partner.example" };

  it("says the API's self-approval detail as it is", () => {
    const said = decisionProblem(problem({}, { status: 403, code: "self_approval", detail: "You asked for this invitation; another admin must approve it." }), request);
    expect(said).toEqual({ text: "You asked for this invitation; another admin must approve it.", stale: false });
  });

  it("marks a request decided meanwhile as stale, and says what to do about an address invited or joined", () => {
    expect(decisionProblem(problem({}, { status: 409, code: "invalid_state", detail: "The request is denied." }), request).stale).toBe(true);
    expect(decisionProblem(problem({}, { status: 409, code: "invitation_pending" }), request).text).toContain("ana@partner.example already has a pending invitation");
    expect(decisionProblem(problem({}, { status: 409, code: "already_member" }), request).text).toContain("already a member");
  });
});
