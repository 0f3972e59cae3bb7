import { describe, expect, it } from "vitest";
import { hrefFor, orgHref, parseRoute, reviewHref } from "./router.js";

const BASE = "/console/";

describe("parseRoute", () => {
  it("reads the console's routes under its base", () => {
    expect(parseRoute("/console/", BASE)).toEqual({ name: "orgs" });
    expect(parseRoute("/console/orgs/org_01M88YE3E7Z6RRXYWWCPYQH8Q1", BASE)).toEqual({
      name: "org",
      orgId: "org_01M88YE3E7Z6RRXYWWCPYQH8Q1",
      screen: "overview",
    });
    expect(parseRoute("/console/orgs/org_1/", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "overview" });
    expect(parseRoute("/console/orgs/org_1/invite", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "invite" });
    expect(parseRoute("/console/orgs/org_1/invite/batch/", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "batch" });
    expect(parseRoute("/console/orgs/org_1/invitations", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "invitations" });
    // The path the emails to admins link to.
    expect(parseRoute("/console/orgs/org_1/requests", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "requests" });
    expect(orgHref(BASE, "org_1", "requests", { status: "denied" })).toBe("/console/orgs/org_1/requests?status=denied");
  });

  it("reads the Members, duplicates, member and Audit routes", () => {
    expect(parseRoute("/console/orgs/org_1/members", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "members" });
    expect(parseRoute("/console/orgs/org_1/members/duplicates", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "duplicates" });
    expect(parseRoute("/console/orgs/org_1/members/mem_01M88", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "member", memberId: "mem_01M88" });
    expect(parseRoute("/console/orgs/org_1/audit", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "audit" });
    expect(hrefFor({ name: "org", orgId: "org_1", screen: "member", memberId: "mem_1" }, BASE)).toBe("/console/orgs/org_1/members/mem_1");
  });

  it("reads the Reviews route and a review's deep link (the emails about a review link there)", () => {
    expect(parseRoute("/console/orgs/org_1/reviews", BASE)).toEqual({ name: "org", orgId: "org_1", screen: "reviews" });
    expect(parseRoute("/console/orgs/org_1/reviews/rev_01M88YJSNKV0JTCRN9MMCJE581", BASE)).toEqual({
      name: "org",
      orgId: "org_1",
      screen: "review",
      reviewId: "rev_01M88YJSNKV0JTCRN9MMCJE581",
    });
    expect(reviewHref(BASE, "org_1", "rev_1")).toBe("/console/orgs/org_1/reviews/rev_1");
    expect(parseRoute("/console/orgs/org_1/reviews/other", BASE).name).toBe("notFound");
    expect(parseRoute("/console/orgs/org_1/reviews/rev_1/items", BASE).name).toBe("notFound");
  });

  it("names anything else not found", () => {
    expect(parseRoute("/console/orgs", BASE)).toEqual({ name: "notFound", path: "/console/orgs" });
    expect(parseRoute("/console/orgs/org_1/members/extra", BASE).name).toBe("notFound");
    expect(parseRoute("/console/orgs/org_1/invitations/inv_1", BASE).name).toBe("notFound");
  });

  it("round-trips an org id that needs escaping", () => {
    const href = hrefFor({ name: "org", orgId: "org/1 2", screen: "overview" }, BASE);
    expect(href).toBe("/console/orgs/org%2F1%202");
    expect(parseRoute(href, BASE)).toEqual({ name: "org", orgId: "org/1 2", screen: "overview" });
    expect(parseRoute(hrefFor({ name: "org", orgId: "org/1 2", screen: "batch" }, BASE), BASE)).toEqual({ name: "org", orgId: "org/1 2", screen: "batch" });
  });

  it("adds a query to an org screen's link", () => {
    expect(orgHref(BASE, "org_1", "invitations", { status: "expired" })).toBe("/console/orgs/org_1/invitations?status=expired");
    expect(orgHref(BASE, "org_1", "invite")).toBe("/console/orgs/org_1/invite");
  });
});
