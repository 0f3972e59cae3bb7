import { describe, expect, it } from "vitest";
import { createApi } from "./client.js";
import { localAuth } from "../auth/localAuth.js";

const BASE = "http://127.0.0.1:3000";

/** A fake of the network: records each request and answers from a queue. */
class FakeFetch {
  readonly requests: { method: string; url: string; headers: Headers; body: string }[] = [];
  private readonly answers: (() => Response | Promise<Response>)[] = [];

  answer(status: number, body: unknown, headers: Record<string, string> = {}): this {
    const contentType = status >= 400 && typeof body === "object" && body !== null && "code" in body
      ? "application/problem+json"
      : "application/json";
    this.answers.push(() => new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType, ...headers } }));
    return this;
  }

  /** Answers with this response as it is (a 204, a CSV file). */
  answerWith(response: () => Response): this {
    this.answers.push(response);
    return this;
  }

  failWith(error: Error): this {
    this.answers.push(() => Promise.reject(error));
    return this;
  }

  /** Never answers; only the caller's abort signal ends the request. */
  hang(): this {
    this.answers.push(() => new Promise<Response>(() => {}));
    return this;
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    this.requests.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.clone().text() : "",
    });
    const next = this.answers.shift();
    if (!next) throw new Error("FakeFetch: no answer queued for " + request.method + " " + request.url);
    const signal = init?.signal ?? request.signal;
    return Promise.race([
      next(),
      new Promise<Response>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason));
      }),
    ]);
  };
}

const me = { sub: "local|1", email: "ada@acme.example", memberships: [] };

describe("createApi", () => {
  it("sends the bearer token of the signed-in user, and none when signed out", async () => {
    const fake = new FakeFetch().answer(200, me).answer(401, { message: "Unauthorized" });
    let token: string | null = "jwt-abc";
    const api = createApi({ baseUrl: BASE, token: () => token, fetch: fake.fetch });
    const first = await api.me();
    token = null;
    await api.me();
    expect(first).toEqual({ ok: true, status: 200, data: me });
    expect(fake.requests[0]?.url).toBe(`${BASE}/me`);
    expect(fake.requests[0]?.headers.get("Authorization")).toBe("Bearer jwt-abc");
    expect(fake.requests[1]?.headers.get("Authorization")).toBeNull();
  });

  it("posts an org as JSON and answers the created org", async () => {
    const org = { id: "org_01", name: "Acme", slug: "acme", settings: {}, createdAt: "x", updatedAt: "x", version: 1 };
    const fake = new FakeFetch().answer(201, org);
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const result = await api.createOrg({ name: "Acme" });
    expect(result).toEqual({ ok: true, status: 201, data: org });
    expect(fake.requests[0]).toMatchObject({ method: "POST", url: `${BASE}/orgs`, body: '{"name":"Acme"}' });
    expect(fake.requests[0]?.headers.get("Content-Type")).toContain("application/json");
  });

  it("puts the path parameters in the URL", async () => {
    const fake = new FakeFetch().answer(200, { items: [] });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    await api.listProjects("org_01", "next page");
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_01/projects?cursor=next%20page`);
  });

  it("answers a refusal as a problem with its field errors", async () => {
    const fake = new FakeFetch().answer(
      422,
      { type: "urn:tenure:problem:validation_failed", title: "Validation failed", status: 422, code: "validation_failed",
        detail: "The request has 1 problem.", errors: [{ pointer: "/name", message: "must be at least 1 character long" }] },
      { "X-Request-Id": "req-7" },
    );
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const result = await api.createOrg({ name: "" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({
      status: 422, code: "validation_failed", requestId: "req-7",
      fieldErrors: { name: "must be at least 1 character long" },
    });
  });

  it("tells the app when the sign-in has ended (401)", async () => {
    const fake = new FakeFetch().answer(401, { message: "Unauthorized" });
    let ended = 0;
    const api = createApi({ baseUrl: BASE, token: () => "old", fetch: fake.fetch, onUnauthenticated: () => ended++ });
    const result = await api.me();
    expect(ended).toBe(1);
    expect(result).toMatchObject({ ok: false, problem: { code: "unauthenticated", status: 401 } });
  });

  it("answers a network failure and a timeout as problems instead of throwing", async () => {
    const fake = new FakeFetch().failWith(new TypeError("fetch failed")).hang();
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch, timeoutMs: 20 });
    expect(await api.me()).toMatchObject({ ok: false, problem: { status: 0, code: "network_error" } });
    expect(await api.me()).toMatchObject({ ok: false, problem: { status: 0, code: "timeout" } });
  });
});

/** A fake of sessionStorage. */
class FakeStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe("invitation calls", () => {
  it("sends an invite with its Idempotency-Key and answers the invitation with its warnings", async () => {
    const fake = new FakeFetch().answer(201, { id: "inv_1", status: "pending", warnings: [{ code: "no_end_date", message: "No end." }] });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const result = await api.invite("org_1", { email: "a@x.example", orgRole: "admin" }, "key-1");
    expect(result).toMatchObject({ ok: true, status: 201, data: { id: "inv_1", warnings: [{ code: "no_end_date" }] } });
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_1/invitations`);
    expect(fake.requests[0]?.headers.get("Idempotency-Key")).toBe("key-1");
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ email: "a@x.example", orgRole: "admin" });
  });

  it("takes the batch's 207 as an answer, not a failure", async () => {
    const fake = new FakeFetch().answer(207, { results: [{ index: 0, status: 201, invitation: { id: "inv_1" } }] });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const result = await api.inviteBatch("org_1", [{ email: "a@x.example", orgRole: "admin" }], "key-2");
    expect(result).toMatchObject({ ok: true, status: 207 });
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ invitations: [{ email: "a@x.example", orgRole: "admin" }] });
  });

  it("lists by status and cursor, and says a 429's wait in words", async () => {
    const fake = new FakeFetch()
      .answer(200, { items: [] })
      .answer(429, { type: "urn:tenure:problem:rate_limited", title: "Rate limited", status: 429, detail: "This invitation was sent less than a minute ago.", code: "rate_limited" }, { "Retry-After": "42" });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    await api.listInvitations("org_1", "expired", "c1", 20);
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_1/invitations?status=expired&cursor=c1&limit=20`);
    const resend = await api.resendInvitation("org_1", "inv_1");
    expect(resend.ok).toBe(false);
    if (!resend.ok) expect(resend.problem.detail).toBe("This invitation was sent less than a minute ago. Try again in 42 seconds.");
  });

  it("filters invitations by delivery state, with the status", async () => {
    const fake = new FakeFetch().answer(200, { items: [] });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    await api.listInvitations("org_1", "pending", undefined, 20, "delayed");
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_1/invitations?status=pending&delivery=delayed&limit=20`);
  });

  it("corrects an invitation's address with a PATCH carrying If-Match; reads one invitation by id", async () => {
    const fake = new FakeFetch()
      .answer(200, { id: "inv_1", email: "ana@partner.example", version: 4, warnings: [] })
      .answer(412, {
        type: "urn:tenure:problem:version_mismatch", title: "Version mismatch", status: 412, code: "version_mismatch",
        detail: "The resource changed since you read it; its current version is 5. Read it again and retry.",
      })
      .answer(200, { id: "inv_1", email: "ana@partner.example", version: 5 });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const body = { email: "ana@partner.example", justification: "Corrected a typo: ana@partnr.example → ana@partner.example" };
    const corrected = await api.correctInvitationAddress("org_1", "inv_1", 3, body);
    expect(fake.requests[0]).toMatchObject({ method: "PATCH", url: `${BASE}/orgs/org_1/invitations/inv_1` });
    expect(fake.requests[0]?.headers.get("If-Match")).toBe('"3"');
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual(body);
    expect(corrected.ok && corrected.data.version).toBe(4);
    const stale = await api.correctInvitationAddress("org_1", "inv_1", 4, body);
    expect(stale.ok ? "" : stale.problem.code).toBe("version_mismatch");
    const read = await api.getInvitation("org_1", "inv_1");
    expect(fake.requests[2]).toMatchObject({ method: "GET", url: `${BASE}/orgs/org_1/invitations/inv_1` });
    expect(read.ok && read.data.version).toBe(5);
  });

  it("follows the projects' pages to the end", async () => {
    const fake = new FakeFetch().answer(200, { items: [{ id: "prj_1" }], nextCursor: "n1" }).answer(200, { items: [{ id: "prj_2" }] });
    const api = createApi({ baseUrl: BASE, token: () => "t", fetch: fake.fetch });
    const result = await api.allProjects("org_1");
    expect(result.ok && result.data.map((p) => p.id)).toEqual(["prj_1", "prj_2"]);
    expect(fake.requests[1]?.url).toBe(`${BASE}/orgs/org_1/projects?limit=100&cursor=n1`);
  });
});

describe("localAuth", () => {
  it("signs in with /_local/token, keeps the token, and the API client sends it", async () => {
    const fake = new FakeFetch().answer(200, { token: "jwt-local" }).answer(200, me);
    const storage = new FakeStorage();
    const auth = localAuth({ baseUrl: BASE, storage, fetch: fake.fetch });
    expect(auth.token()).toBeNull();
    expect(await auth.signIn("  ada@acme.example ")).toEqual({ ok: true, status: 200, data: undefined });
    expect(fake.requests[0]).toMatchObject({ method: "POST", url: `${BASE}/_local/token`, body: '{"email":"ada@acme.example"}' });
    expect(auth.token()).toBe("jwt-local");
    expect(auth.email()).toBe("ada@acme.example");

    const api = createApi({ baseUrl: BASE, token: () => auth.token(), fetch: fake.fetch });
    await api.me();
    expect(fake.requests[1]?.headers.get("Authorization")).toBe("Bearer jwt-local");

    auth.signOut();
    expect(auth.token()).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("asks for an email before calling, and keeps nothing when refused", async () => {
    const fake = new FakeFetch().answer(400, { message: "email is required" });
    const storage = new FakeStorage();
    const auth = localAuth({ baseUrl: BASE, storage, fetch: fake.fetch });
    expect(await auth.signIn("   ")).toMatchObject({ ok: false, problem: { fieldErrors: { email: "Enter your email address." } } });
    expect(fake.requests).toHaveLength(0);
    expect(await auth.signIn("x@y.example")).toMatchObject({ ok: false, problem: { status: 400 } });
    expect(storage.items.size).toBe(0);
  });
});

describe("members and audit calls", () => {
  const member = {
    id: "mem_01M88YJSNKV0JTCRN9MMCJE581", orgId: "org_1", email: "ana@partner.example", emailKey: "ana@partner.example",
    orgRole: "member", projects: {}, stakeholders: [], status: "active", createdAt: "2026-11-25T08:53:58Z", updatedAt: "2026-11-25T08:53:58Z", version: 4,
  };

  it("a member change carries If-Match with the version read, and a stale one comes back as version_mismatch", async () => {
    const fake = new FakeFetch().answer(412, {
      type: "urn:tenure:problem:version_mismatch", title: "Version mismatch", status: 412, code: "version_mismatch",
      detail: "The resource changed since you read it; its current version is 5. Read it again and retry.",
    });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    const result = await api.updateMember("org_1", member.id, 4, { justification: "extend", accessEndsAt: "2027-04-01T00:00:00Z" });
    expect(fake.requests[0]?.method).toBe("PATCH");
    expect(fake.requests[0]?.headers.get("If-Match")).toBe('"4"');
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ justification: "extend", accessEndsAt: "2027-04-01T00:00:00Z" });
    expect(result.ok ? "" : result.problem.code).toBe("version_mismatch");
  });

  it("removal sends the reason in the query", async () => {
    const fake = new FakeFetch().answerWith(() => new Response(null, { status: 204 }));
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    expect((await api.removeMember("org_1", member.id, "Engagement finished")).ok).toBe(true);
    expect(fake.requests[0]?.method).toBe("DELETE");
    expect(new URL(fake.requests[0]?.url ?? "").searchParams.get("reason")).toBe("Engagement finished");
  });

  it("the audit CSV is fetched with the bearer token and Accept: text/csv, and comes back as a Blob with the API's file name", async () => {
    const csv = 'id,at,action\n"aud_1","2026-12-06T10:00:00Z","member.removed"\n';
    const fake = new FakeFetch().answerWith(
      () => new Response(csv, { status: 200, headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="audit-org_1.csv"' } }),
    );
    const api = createApi({ baseUrl: BASE, token: () => "jwt-abc", fetch: fake.fetch });
    const result = await api.auditCsv("org_1", { action: "member.removed", since: "2026-12-01T00:00:00Z" });
    const request = fake.requests[0];
    expect(request?.headers.get("Authorization")).toBe("Bearer jwt-abc");
    expect(request?.headers.get("Accept")).toBe("text/csv");
    const url = new URL(request?.url ?? "");
    expect(url.pathname).toBe("/orgs/org_1/audit");
    expect(url.searchParams.get("action")).toBe("member.removed");
    expect(url.searchParams.get("since")).toBe("2026-12-01T00:00:00Z");
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.data.filename).toBe("audit-org_1.csv");
      expect(await result.data.blob.text()).toBe(csv);
    }
  });

  it("a refused CSV download is a problem with its field errors, not a file", async () => {
    const fake = new FakeFetch().answer(422, {
      type: "urn:tenure:problem:validation_failed", title: "Validation failed", status: 422, code: "validation_failed",
      detail: "The request has 1 invalid field(s).", errors: [{ pointer: "/since", message: "must not be after until" }],
    });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    const result = await api.auditCsv("org_1", { since: "2026-12-07T00:00:00Z", until: "2026-12-06T23:59:59Z" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.fieldErrors).toEqual({ since: "must not be after until" });
  });

  it("an org settings change is a PATCH of only the settings given, with If-Match; a 422 maps its pointers to fields", async () => {
    const fake = new FakeFetch().answer(422, {
      type: "urn:tenure:problem:validation_failed", title: "Validation failed", status: 422, code: "validation_failed",
      errors: [{ pointer: "/settings/welcomeLinks/0/url", message: "must start with http:// or https://" }],
    });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    const result = await api.updateOrg("org_1", 3, { settings: { welcomeLinks: [{ title: "Guide", url: "docs" }] } });
    expect(fake.requests[0]?.method).toBe("PATCH");
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_1`);
    expect(fake.requests[0]?.headers.get("If-Match")).toBe('"3"');
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ settings: { welcomeLinks: [{ title: "Guide", url: "docs" }] } });
    expect(result.ok ? {} : result.problem.fieldErrors).toEqual({ "settings.welcomeLinks.0.url": "must start with http:// or https://" });
  });

  it("a project change carries If-Match; an API key is created by name and revoked by id", async () => {
    const fake = new FakeFetch()
      .answer(200, { id: "prj_1", version: 2 })
      .answer(201, { id: "key_1", name: "Server", prefix: "tnr_abcd", secret: "tnr_" + "x".repeat(43) })
      .answerWith(() => new Response(null, { status: 204 }));
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    expect((await api.updateProject("org_1", "prj_1", 1, { archived: true })).ok).toBe(true);
    expect(fake.requests[0]?.headers.get("If-Match")).toBe('"1"');
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ archived: true });
    const key = await api.createApiKey("org_1", "prj_1", "Server");
    expect(key.ok && "secret" in key.data).toBe(true);
    expect([fake.requests[1]?.method, fake.requests[1]?.url, fake.requests[1]?.body]).toEqual(["POST", `${BASE}/orgs/org_1/projects/prj_1/api-keys`, '{"name":"Server"}']);
    expect((await api.revokeApiKey("org_1", "prj_1", "key_1")).ok).toBe(true);
    expect([fake.requests[2]?.method, fake.requests[2]?.url]).toEqual(["DELETE", `${BASE}/orgs/org_1/projects/prj_1/api-keys/key_1`]);
  });
});

describe("access review calls", () => {
  it("opens a review with its Idempotency-Key and lists them by cursor", async () => {
    const fake = new FakeFetch().answer(201, { id: "rev_1", status: "open" }).answer(200, { items: [], nextCursor: "c2" });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    expect((await api.openReview("org_1", { endsInDays: 30 }, "key-1")).ok).toBe(true);
    expect([fake.requests[0]?.method, fake.requests[0]?.url, fake.requests[0]?.body]).toEqual(["POST", `${BASE}/orgs/org_1/reviews`, '{"endsInDays":30}']);
    expect(fake.requests[0]?.headers.get("Idempotency-Key")).toBe("key-1");
    const page = await api.listReviews("org_1", "c1", 20);
    expect(page.ok && page.data.nextCursor).toBe("c2");
    const url = new URL(fake.requests[1]?.url ?? "");
    expect([url.pathname, url.searchParams.get("cursor"), url.searchParams.get("limit")]).toEqual(["/orgs/org_1/reviews", "c1", "20"]);
  });

  it("decides one member of a review, the body as given", async () => {
    const fake = new FakeFetch().answer(200, { memberId: "mem_1", decision: "keep" });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    await api.decideReviewItem("org_1", "rev_1", "mem_1", { decision: "keep", note: "Still needed" }, "key-2");
    expect([fake.requests[0]?.method, fake.requests[0]?.url]).toEqual(["POST", `${BASE}/orgs/org_1/reviews/rev_1/items/mem_1`]);
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ decision: "keep", note: "Still needed" });
    expect(fake.requests[0]?.headers.get("Idempotency-Key")).toBe("key-2");
  });

  it("fetches the evidence as CSV or JSON with the bearer token, named by the API or after the review", async () => {
    const csv = '"campaignId","memberId"\r\n"rev_1","mem_1"\r\n';
    const fake = new FakeFetch()
      .answerWith(() => new Response(csv, { status: 200, headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="review-rev_1.csv"' } }))
      .answer(200, { id: "rev_1", items: [] });
    const api = createApi({ baseUrl: BASE, token: () => "jwt-abc", fetch: fake.fetch });
    const asCsv = await api.reviewEvidence("org_1", "rev_1", "csv");
    expect(fake.requests[0]?.headers.get("Accept")).toBe("text/csv");
    expect(fake.requests[0]?.headers.get("Authorization")).toBe("Bearer jwt-abc");
    expect(fake.requests[0]?.url).toBe(`${BASE}/orgs/org_1/reviews/rev_1/evidence`);
    expect(asCsv.ok && asCsv.data.filename).toBe("review-rev_1.csv");
    if (asCsv.ok) expect(await asCsv.data.blob.text()).toBe(csv);
    const asJson = await api.reviewEvidence("org_1", "rev_1", "json");
    expect(fake.requests[1]?.headers.get("Accept")).toBe("application/json");
    expect(asJson.ok && asJson.data.filename).toBe("review-rev_1.json");
    if (asJson.ok) expect(JSON.parse(await asJson.data.blob.text())).toEqual({ id: "rev_1", items: [] });
  });

  it("a review the caller may not read is a 403 problem", async () => {
    const fake = new FakeFetch().answer(403, { type: "about:blank", title: "Forbidden", status: 403, code: "forbidden", detail: "Only admins may do this." });
    const api = createApi({ baseUrl: BASE, token: () => "jwt", fetch: fake.fetch });
    const result = await api.getReview("org_1", "rev_1");
    expect(result.ok ? "" : result.problem.code).toBe("forbidden");
  });
});
