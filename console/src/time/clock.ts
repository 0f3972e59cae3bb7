/**
 * The time "now" for questions like "whose access ends within 14 days". In AWS the API's time is
 * the real time, so the browser's clock answers. The local stack has a clock of its own that tests
 * move (`/_local/clock`); there the console asks it, so what the screens show matches what the API
 * decides. Behind one small interface, like sign-in.
 */
export interface Clock {
  now(): Promise<Date>;
}

export const browserClock: Clock = { now: async () => new Date() };

export interface LocalClockOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The local stack's clock (`GET /_local/clock` → `{"now"}`); the browser's when that gives no usable answer. */
export function localClock(options: LocalClockOptions): Clock {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    async now() {
      try {
        const response = await fetchImpl(`${options.baseUrl}/_local/clock`, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
        if (response.ok) {
          const body: unknown = await response.json();
          const now = typeof body === "object" && body !== null ? (body as { now?: unknown }).now : undefined;
          const at = typeof now === "string" ? Date.parse(now) : Number.NaN;
          if (!Number.isNaN(at)) return new Date(at);
        }
      } catch {
        // No local clock here (or no answer): the browser's clock is the API's.
      }
      return new Date();
    },
  };
}
