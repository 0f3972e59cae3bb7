/**
 * The local stack's sign-in: `POST /_local/token {"email"}` answers a JWT its authorizer accepts.
 * The token lives in sessionStorage: it ends with the tab, and is never written to a log.
 */
import type { Auth } from "./auth.js";
import { noAnswerProblem, toApiProblem } from "../api/problem.js";

const TOKEN_KEY = "tenure.token";
const EMAIL_KEY = "tenure.email";

export interface LocalAuthOptions {
  baseUrl: string;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function localAuth(options: LocalAuthOptions): Auth {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const { storage } = options;
  return {
    kind: "local",
    token: () => storage.getItem(TOKEN_KEY),
    email: () => storage.getItem(EMAIL_KEY),
    async signIn(email) {
      const trimmed = email.trim();
      if (trimmed === "") {
        return {
          ok: false,
          problem: {
            status: 0,
            code: "validation_failed",
            title: "Email required",
            detail: "Enter your email address.",
            fieldErrors: { email: "Enter your email address." },
            formErrors: [],
          },
        };
      }
      let response: Response;
      try {
        response = await fetchImpl(`${options.baseUrl}/_local/token`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email: trimmed }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { ok: false, problem: noAnswerProblem(error, timeoutMs) };
      }
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the problem mapping reports the status alone.
      }
      if (!response.ok) return { ok: false, problem: toApiProblem(response.status, body, response.headers) };
      const token = typeof body === "object" && body !== null ? (body as { token?: unknown }).token : undefined;
      if (typeof token !== "string" || token === "") {
        return { ok: false, problem: toApiProblem(502, text, response.headers) };
      }
      storage.setItem(TOKEN_KEY, token);
      storage.setItem(EMAIL_KEY, trimmed);
      return { ok: true, status: response.status, data: undefined };
    },
    signOut() {
      storage.removeItem(TOKEN_KEY);
      storage.removeItem(EMAIL_KEY);
    },
  };
}
