/**
 * Every failed call as one shape the screens can show: the API's problem+json (§4 of the spec),
 * API Gateway's own `{"message"}` answers, anything else a proxy may send, and a request that got
 * no answer at all.
 */
import { parseRetryAfter, retryAfterInWords } from "./retryAfter.js";

export interface ApiProblem {
  /** The HTTP status; 0 when no answer came. */
  status: number;
  /** The API's stable code (`validation_failed`, …), or one of the console's own: `gateway`, `unexpected_answer`, `network_error`, `timeout`. */
  code: string;
  title: string;
  /** For people: what went wrong and what to do, with the wait in words when there is one. */
  detail: string;
  /** Field errors by form field name (the JSON pointer `/settings/invitationTtlDays` is `settings.invitationTtlDays`). */
  fieldErrors: Record<string, string>;
  /** Field errors whose pointer names the body as a whole (empty pointer). */
  formErrors: string[];
  /** Seconds from Retry-After, when the answer had one. */
  retryAfterSeconds?: number;
  /** X-Request-Id, to quote when reporting a problem. */
  requestId?: string;
}

/** The form field a JSON pointer (RFC 6901) names: segments joined with dots, `~1` and `~0` unescaped. */
export function fieldForPointer(pointer: string): string {
  if (pointer === "" || pointer === "/") return "";
  const path = pointer.startsWith("/") ? pointer.slice(1) : pointer;
  return path
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withWait(detail: string, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined) return detail;
  const words = retryAfterInWords(retryAfterSeconds);
  const sentence = words.charAt(0).toUpperCase() + words.slice(1) + ".";
  return detail ? `${detail.replace(/\.?$/, ".")} ${sentence}` : sentence;
}

/** The problem of an answer with a status of 400 or more, from its parsed body (JSON or text) and headers. */
export function toApiProblem(status: number, body: unknown, headers: Headers, now: Date = new Date()): ApiProblem {
  const retryAfterSeconds = parseRetryAfter(headers.get("Retry-After"), now);
  const requestId = headers.get("X-Request-Id") ?? undefined;
  const base = {
    status,
    fieldErrors: {} as Record<string, string>,
    formErrors: [] as string[],
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  };
  if (isRecord(body) && typeof body.code === "string" && typeof body.status === "number") {
    const detail = typeof body.detail === "string" ? body.detail : "";
    const problem: ApiProblem = {
      ...base,
      code: body.code,
      title: typeof body.title === "string" ? body.title : body.code,
      detail: withWait(detail, retryAfterSeconds),
    };
    if (Array.isArray(body.errors)) {
      for (const entry of body.errors) {
        if (!isRecord(entry) || typeof entry.message !== "string") continue;
        const field = fieldForPointer(typeof entry.pointer === "string" ? entry.pointer : "");
        if (field === "") problem.formErrors.push(entry.message);
        // Several errors on one field: show them all, in the order the API gave them.
        else problem.fieldErrors[field] = problem.fieldErrors[field] ? `${problem.fieldErrors[field]} ${entry.message}` : entry.message;
      }
    }
    return problem;
  }
  if (isRecord(body) && typeof body.message === "string") {
    // API Gateway's own answer: 401 without a valid token, 404 for no route, 429 throttling, 5xx.
    const code = status === 401 ? "unauthenticated" : status === 429 ? "rate_limited" : "gateway";
    const detail =
      status === 401
        ? "Your sign-in has ended or is not valid. Sign in again."
        : status === 429
          ? "Too many requests."
          : `The server answered ${status} (${body.message}).`;
    return { ...base, code, title: body.message, detail: withWait(detail, retryAfterSeconds) };
  }
  return {
    ...base,
    code: "unexpected_answer",
    title: `HTTP ${status}`,
    detail: withWait(`The server answered ${status} without a problem description.`, retryAfterSeconds),
  };
}

/** The problem of a request that got no answer: the network failed or the time ran out. */
export function noAnswerProblem(error: unknown, timeoutMs: number): ApiProblem {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return timedOut
    ? {
        status: 0,
        code: "timeout",
        title: "No answer",
        detail: `The server did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again.`,
        fieldErrors: {},
        formErrors: [],
      }
    : {
        status: 0,
        code: "network_error",
        title: "Network error",
        detail: "The server could not be reached. Check your connection and try again.",
        fieldErrors: {},
        formErrors: [],
      };
}
