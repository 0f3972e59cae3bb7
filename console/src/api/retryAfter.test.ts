import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryAfterInWords } from "./retryAfter.js";

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-24T09:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date as the seconds until it, never negative", () => {
    expect(parseRetryAfter("Tue, 24 Nov 2026 09:03:00 GMT", now)).toBe(180);
    expect(parseRetryAfter("Tue, 24 Nov 2026 08:00:00 GMT", now)).toBe(0);
  });

  it("is undefined when absent or unreadable", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("retryAfterInWords", () => {
  it.each([
    [0, "try again now"],
    [-3, "try again now"],
    [1, "try again in 1 second"],
    [45, "try again in 45 seconds"],
    [60, "try again in 1 minute"],
    [61, "try again in 2 minutes"],
    [180, "try again in 3 minutes"],
    [3599, "try again in 1 hour"],
    [3600, "try again in 1 hour"],
    [5400, "try again in 1 hour 30 minutes"],
    [7200, "try again in 2 hours"],
    [86400, "try again in 1 day"],
    [90000, "try again in 1 day 1 hour"],
    [3 * 86400, "try again in 3 days"],
  ])("%i s is %s", (seconds, words) => {
    expect(retryAfterInWords(seconds)).toBe(words);
  });

  it("never says a shorter wait than asked", () => {
    for (let seconds = 1; seconds < 3 * 86400; seconds += 37) {
      const words = retryAfterInWords(seconds);
      const said = [...words.matchAll(/(\d+) (second|minute|hour|day)/g)].reduce(
        (total, [, n, unit]) => total + Number(n) * { second: 1, minute: 60, hour: 3600, day: 86400 }[unit as "second"],
        0,
      );
      expect(said, words).toBeGreaterThanOrEqual(seconds);
    }
  });
});
