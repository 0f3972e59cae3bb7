import { describe, expect, it } from "vitest";
import { localClock } from "./clock.js";

const BASE = "http://127.0.0.1:3000";

describe("localClock", () => {
  it("answers the local stack's time, which tests move", async () => {
    const urls: string[] = [];
    const clock = localClock({
      baseUrl: BASE,
      fetch: async (input) => {
        urls.push(String(input));
        return new Response(JSON.stringify({ now: "2027-01-15T10:00:00Z" }), { headers: { "Content-Type": "application/json" } });
      },
    });
    expect((await clock.now()).toISOString()).toBe("2027-01-15T10:00:00.000Z");
    expect(urls).toEqual([`${BASE}/_local/clock`]);
  });

  it("falls back to the browser's time without a local clock: a 404, a page that is not JSON, no answer", async () => {
    const before = Date.now();
    const answers: (() => Promise<Response>)[] = [
      async () => new Response("Not Found", { status: 404 }),
      async () => new Response("<!doctype html><title>console</title>", { headers: { "Content-Type": "text/html" } }),
      async () => new Response(JSON.stringify({ now: "yesterday-ish" })),
      async () => {
        throw new TypeError("Failed to fetch");
      },
    ];
    for (const answer of answers) {
      const now = await localClock({ baseUrl: BASE, fetch: answer }).now();
      expect(now.getTime()).toBeGreaterThanOrEqual(before);
      expect(now.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });
});
