import { describe, expect, it } from "vitest";
import { auditFilterSearch, auditQuery, memberFilterSearch, memberQuery, readAuditFilter, readMemberFilter } from "./filters.js";

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
