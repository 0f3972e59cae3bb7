import { describe, expect, it } from "vitest";
import { hrefFor, parseRoute } from "./router.js";

const BASE = "/console/";

describe("parseRoute", () => {
  it("reads the console's routes under its base", () => {
    expect(parseRoute("/console/", BASE)).toEqual({ name: "orgs" });
    expect(parseRoute("/console/orgs/org_01M88YE3E7Z6RRXYWWCPYQH8Q1", BASE)).toEqual({ name: "org", orgId: "org_01M88YE3E7Z6RRXYWWCPYQH8Q1" });
    expect(parseRoute("/console/orgs/org_1/", BASE)).toEqual({ name: "org", orgId: "org_1" });
  });

  it("names anything else not found", () => {
    expect(parseRoute("/console/orgs", BASE)).toEqual({ name: "notFound", path: "/console/orgs" });
    expect(parseRoute("/console/orgs/org_1/members/extra", BASE).name).toBe("notFound");
  });

  it("round-trips an org id that needs escaping", () => {
    const href = hrefFor({ name: "org", orgId: "org/1 2" }, BASE);
    expect(href).toBe("/console/orgs/org%2F1%202");
    expect(parseRoute(href, BASE)).toEqual({ name: "org", orgId: "org/1 2" });
  });
});
