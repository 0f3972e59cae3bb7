import { describe, expect, it } from "vitest";
import { fieldForPointer, noAnswerProblem, toApiProblem } from "./problem.js";
import { formProblem } from "./formProblem.js";

const headers = (entries: Record<string, string> = {}) => new Headers(entries);

describe("fieldForPointer", () => {
  it("joins a JSON pointer's segments with dots and unescapes ~1 and ~0", () => {
    expect(fieldForPointer("/name")).toBe("name");
    expect(fieldForPointer("/projects/0/role")).toBe("projects.0.role");
    expect(fieldForPointer("/settings/welcomeLinks/1/url")).toBe("settings.welcomeLinks.1.url");
    expect(fieldForPointer("/a~1b/c~0d")).toBe("a/b.c~d");
    expect(fieldForPointer("")).toBe("");
  });
});

describe("toApiProblem", () => {
  it("maps a validation problem's errors to fields, and the body-wide ones to the form", () => {
    const problem = toApiProblem(
      422,
      {
        type: "urn:tenure:problem:validation_failed",
        title: "Validation failed",
        status: 422,
        detail: "The request has 3 problems.",
        code: "validation_failed",
        errors: [
          { pointer: "/name", message: "must be at least 1 character long" },
          { pointer: "/settings/invitationTtlDays", message: "must be at most 30" },
          { pointer: "", message: "unknown field: colour" },
        ],
      },
      headers({ "X-Request-Id": "req-1" }),
    );
    expect(problem).toEqual({
      status: 422,
      code: "validation_failed",
      title: "Validation failed",
      detail: "The request has 3 problems.",
      fieldErrors: { name: "must be at least 1 character long", "settings.invitationTtlDays": "must be at most 30" },
      formErrors: ["unknown field: colour"],
      requestId: "req-1",
    });
  });

  it("keeps every message when a field has several", () => {
    const problem = toApiProblem(
      422,
      { code: "validation_failed", status: 422, title: "t", detail: "d", errors: [
        { pointer: "/email", message: "is not an email address." },
        { pointer: "/email", message: "is on a blocked domain." },
      ] },
      headers(),
    );
    expect(problem.fieldErrors.email).toBe("is not an email address. is on a blocked domain.");
  });

  it("says the Retry-After wait in words in the detail", () => {
    const problem = toApiProblem(
      429,
      { type: "urn:tenure:problem:rate_limited", title: "Rate limited", status: 429, code: "rate_limited",
        detail: "This invitation was sent less than a minute ago." },
      headers({ "Retry-After": "42" }),
    );
    expect(problem.code).toBe("rate_limited");
    expect(problem.retryAfterSeconds).toBe(42);
    expect(problem.detail).toBe("This invitation was sent less than a minute ago. Try again in 42 seconds.");
  });

  it("reads API Gateway's own answers", () => {
    expect(toApiProblem(401, { message: "Unauthorized" }, headers()).code).toBe("unauthenticated");
    const throttled = toApiProblem(429, { message: "Too Many Requests" }, headers({ "Retry-After": "180" }));
    expect(throttled.code).toBe("rate_limited");
    expect(throttled.detail).toBe("Too many requests. Try again in 3 minutes.");
    const missing = toApiProblem(404, { message: "Not Found" }, headers());
    expect(missing).toMatchObject({ code: "gateway", status: 404, detail: "The server answered 404 (Not Found)." });
  });

  it("reads anything else as an unexpected answer", () => {
    const problem = toApiProblem(502, "<html>Bad gateway</html>", headers());
    expect(problem).toMatchObject({ status: 502, code: "unexpected_answer", fieldErrors: {}, formErrors: [] });
  });
});

describe("noAnswerProblem", () => {
  it("tells a timeout from a network failure", () => {
    expect(noAnswerProblem(new DOMException("t", "TimeoutError"), 30_000)).toMatchObject({
      status: 0, code: "timeout", detail: "The server did not answer within 30 seconds. Try again." });
    expect(noAnswerProblem(new TypeError("fetch failed"), 30_000).code).toBe("network_error");
  });
});

describe("formProblem", () => {
  const base = { status: 422, code: "validation_failed", title: "Validation failed", detail: "Fix the fields.", formErrors: [] };

  it("puts errors of the form's fields next to them and the rest above the form", () => {
    const shown = formProblem({ ...base, fieldErrors: { name: "is required", slug: "is taken" } }, ["name"]);
    expect(shown).toEqual({ fields: { name: "is required" }, messages: ["slug: is taken"] });
  });

  it("shows the detail when no field is named", () => {
    const shown = formProblem({ ...base, code: "forbidden", status: 403, detail: "Admins only.", fieldErrors: {} }, ["name"]);
    expect(shown).toEqual({ fields: {}, messages: ["Admins only."] });
  });

  it("adds the request id to a server failure", () => {
    const shown = formProblem({ ...base, status: 500, code: "internal_error", detail: "The request failed.", fieldErrors: {}, requestId: "r-9" }, []);
    expect(shown.messages).toEqual(["The request failed.", "Request id: r-9"]);
  });
});
