/**
 * The console's only way to the API: openapi-fetch typed by the paths generated from openapi.yaml,
 * with the bearer token of the signed-in user, a time limit on every request, and every failure
 * turned into an {@link ApiProblem}.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { noAnswerProblem, toApiProblem, type ApiProblem } from "./problem.js";

export type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type Membership = Me["memberships"][number];
export type Organization = Schemas["Organization"];
export type Project = Schemas["Project"];
export type ProjectPage = Schemas["ProjectPage"];
export type OrgCreate = Schemas["OrgCreate"];
export type ProjectCreate = Schemas["ProjectCreate"];

export type Result<T> = { ok: true; status: number; data: T } | { ok: false; problem: ApiProblem };

export interface ApiOptions {
  /** The API's origin; the console is served from it, so in the browser this is `location.origin`. */
  baseUrl: string;
  /** The current bearer token, or null when signed out. */
  token: () => string | null;
  /** Called on a 401, so the app can send the user back to sign-in. */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
  /** Per request; the API answers within 30 s or API Gateway gives up. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createApi(options: ApiOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: (request: Request) => fetchImpl(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });
  client.use({
    onRequest({ request }) {
      const token = options.token();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });

  /** One call's outcome as a {@link Result}; never throws. */
  async function run<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Result<T>> {
    let outcome: { data?: T; error?: unknown; response: Response };
    try {
      outcome = await call;
    } catch (error) {
      return { ok: false, problem: noAnswerProblem(error, timeoutMs) };
    }
    const { response } = outcome;
    if (response.ok) return { ok: true, status: response.status, data: outcome.data as T };
    const problem = toApiProblem(response.status, outcome.error, response.headers);
    if (response.status === 401) options.onUnauthenticated?.();
    return { ok: false, problem };
  }

  return {
    /** The typed openapi-fetch client, for calls this module has no helper for yet. */
    client,
    run,
    me: () => run<Me>(client.GET("/me")),
    createOrg: (body: OrgCreate) => run<Organization>(client.POST("/orgs", { body })),
    getOrg: (orgId: string) => run<Organization>(client.GET("/orgs/{orgId}", { params: { path: { orgId } } })),
    listProjects: (orgId: string, cursor?: string) =>
      run<ProjectPage>(
        client.GET("/orgs/{orgId}/projects", {
          params: { path: { orgId }, query: cursor === undefined ? {} : { cursor } },
        }),
      ),
    createProject: (orgId: string, body: ProjectCreate) =>
      run<Project>(client.POST("/orgs/{orgId}/projects", { params: { path: { orgId } }, body })),
  };
}

export type Api = ReturnType<typeof createApi>;
