import { describe, expect, it } from "vitest";
import { toApiProblem } from "../api/problem.js";
import {
  AUDIT_ACTIONS,
  AUDIT_FILTER_FIELDS,
  DELIVERY_CHOICES,
  MEMBER_FILTER_FIELDS,
  auditFilterSearch,
  auditQuery,
  filterErrors,
  invitationFilterSearch,
  invitationsHeading,
  memberFilterSearch,
  memberQuery,
  noInvitationsText,
  readAuditFilter,
  readInvitationFilter,
  readMemberFilter,
} from "./filters.js";

describe("the Members filter", () => {
  it("reads the URL, ignoring values the API would refuse", () => {
    expect(readMemberFilter("?project=prj_1&role=analyst&endsBefore=2027-01-15")).toEqual({ projectId: "prj_1", role: "analyst", endsBefore: "2027-01-15" });
    expect(readMemberFilter("?role=owner&endsBefore=soon")).toEqual({ projectId: "", role: "", endsBefore: "" });
  });

  it("maps to the API's query: the date is the start of that UTC day", () => {
    const filter = readMemberFilter("?project=prj_1&role=viewer&endsBefore=2027-01-15");
    expect(memberQuery(filter, 20, "abc")).toEqual({ limit: 20, projectId: "prj_1", role: "viewer", expiringBefore: "2027-01-15T00:00:00Z", cursor: "abc" });
    expect(memberQuery(readMemberFilter(""), 20)).toEqual({ limit: 20 });
  });

  it("writes only the filters set back to the URL", () => {
    expect(memberFilterSearch({ projectId: "", role: "admin", endsBefore: "" })).toEqual({ role: "admin" });
  });
});

describe("the Audit filter", () => {
  it("reads the URL and maps whole UTC days, both ends included", () => {
    const filter = readAuditFilter("?since=2026-12-01&until=2026-12-06&action=member.removed&target=%20mem_1%20");
    expect(filter).toEqual({ since: "2026-12-01", until: "2026-12-06", action: "member.removed", targetId: "mem_1" });
    expect(auditQuery(filter)).toEqual({ since: "2026-12-01T00:00:00Z", until: "2026-12-06T23:59:59Z", action: "member.removed", targetId: "mem_1" });
  });

  it("drops an unknown action and sends nothing for empty filters", () => {
    expect(readAuditFilter("?action=drop.tables").action).toBe("");
    expect(auditQuery(readAuditFilter(""))).toEqual({});
    expect(auditFilterSearch({ since: "", until: "2026-12-06", action: "", targetId: " " })).toEqual({ until: "2026-12-06" });
  });
});

describe("the Invitations filter", () => {
  it("reads the status and the delivery state from the URL: pending and any delivery by default, unknown values dropped", () => {
    expect(readInvitationFilter("?status=all&delivery=delayed")).toEqual({ status: "all", delivery: "delayed" });
    expect(readInvitationFilter("")).toEqual({ status: "pending", delivery: "" });
    expect(readInvitationFilter("?status=deleted&delivery=lost")).toEqual({ status: "pending", delivery: "" });
  });

  it("writes the status always and the delivery only when set", () => {
    expect(invitationFilterSearch({ status: "pending", delivery: "" })).toEqual({ status: "pending" });
    expect(invitationFilterSearch({ status: "expired", delivery: "bounced" })).toEqual({ status: "expired", delivery: "bounced" });
  });

  it("offers every delivery state the API filters on, after any", () => {
    expect(DELIVERY_CHOICES.map((choice) => choice.value)).toEqual(["", "sending", "sent", "delivered", "delayed", "failed", "bounced", "complained", "unconfirmed"]);
    expect(DELIVERY_CHOICES.find((choice) => choice.value === "complained")?.label).toBe("marked as spam");
  });

  it("says the list and its empty state in words", () => {
    expect(invitationsHeading({ status: "pending", delivery: "" })).toBe("Pending invitations");
    expect(invitationsHeading({ status: "all", delivery: "delivered" })).toBe("All invitations whose email was delivered");
    expect(noInvitationsText({ status: "pending", delivery: "" })).toBe("No pending invitations.");
    expect(noInvitationsText({ status: "all", delivery: "delayed" })).toBe("No invitations whose email is delayed.");
    expect(noInvitationsText({ status: "expired", delivery: "bounced" })).toBe("No expired invitations whose email bounced.");
  });
});

describe("the audit actions", () => {
  it("include the address correction and SES's deliveries and delays (issue 15)", () => {
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(["invitation.address_corrected", "invitation.delivered", "invitation.delivery_delayed"]));
    expect(readAuditFilter("?action=invitation.address_corrected").action).toBe("invitation.address_corrected");
  });
});

describe("filterErrors", () => {
  const refused = (errors: { pointer: string; message: string }[]) =>
    toApiProblem(422, { code: "validation_failed", status: 422, title: "Validation failed", detail: "The request has invalid field(s).", errors }, new Headers());

  it("puts the API's errors on the audit query beside the filter fields, and a bad cursor above", () => {
    const problem = refused([
      { pointer: "/since", message: "must not be after until" },
      { pointer: "/cursor", message: "is not one of this query's answers" },
    ]);
    expect(filterErrors(problem, AUDIT_FILTER_FIELDS)).toEqual({
      fields: { since: "must not be after until" },
      messages: ["cursor: is not one of this query's answers"],
    });
  });

  it("names the Members date field for the API's expiringBefore", () => {
    expect(filterErrors(refused([{ pointer: "/expiringBefore", message: "must be a date-time" }]), MEMBER_FILTER_FIELDS).fields).toEqual({ endsBefore: "must be a date-time" });
  });

  it("leaves any other problem to the list's error state", () => {
    const failed = toApiProblem(500, { code: "internal_error", status: 500, title: "Internal error", detail: "Something went wrong." }, new Headers());
    expect(filterErrors(failed, AUDIT_FILTER_FIELDS)).toEqual({ fields: {}, messages: [] });
  });
});
