/**
 * Retry-After (RFC 9110 §10.2.3) read into seconds and said in words, for the 429 and 409
 * answers that carry it ("try again in 3 minutes").
 */

/** Seconds to wait from `now`: the header is delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: Date = new Date()): number | undefined {
  if (header == null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date has letters in it; Date.parse would also take odd strings like "1", hence the check.
  if (/[A-Za-z]/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
  }
  return undefined;
}

function unit(count: number, name: string): string {
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}

/**
 * "try again in 3 minutes". Rounded up, so the wait said is never shorter than the one asked:
 * under a minute in seconds, under an hour in minutes, under a day in hours and minutes, then in
 * days and hours.
 */
export function retryAfterInWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return "try again now";
  const s = Math.ceil(seconds);
  if (s < 60) return `try again in ${unit(s, "second")}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `try again in ${unit(minutes, "minute")}`;
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return `try again in ${unit(hours, "hour")}${rest ? ` ${unit(rest, "minute")}` : ""}`;
  }
  const hours = Math.ceil(minutes / 60);
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return `try again in ${unit(days, "day")}${restHours ? ` ${unit(restHours, "hour")}` : ""}`;
}
