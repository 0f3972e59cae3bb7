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
export type ProjectUpdate = Schemas["ProjectUpdate"];
export type OrgUpdate = Schemas["OrgUpdate"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type ReplayedApiKey = Schemas["ReplayedApiKey"];
export type InviteRequest = Schemas["InviteRequest"];
export type Invitation = Schemas["Invitation"];
export type InvitationPage = Schemas["InvitationPage"];
/** An invitation request (issue 14); an invite under the org's two-person rule answers 202 with one. */
export type InvitationRequest = Schemas["InvitationRequest"];
export type InvitationRequestPage = Schemas["InvitationRequestPage"];
export type FileInvitationRequest = Schemas["FileInvitationRequest"];
export type ApproveInvitationRequest = Schemas["ApproveInvitationRequest"];
export type RequestStatus = InvitationRequest["status"];
export type InvitationStatus = Invitation["status"];
export type BatchInviteResults = Schemas["BatchInviteResults"];
export type BatchResult = BatchInviteResults["results"][number];
export type Member = Schemas["Member"];
export type MemberPage = Schemas["MemberPage"];
export type AuditEvent = Schemas["AuditEvent"];
export type AuditPage = Schemas["AuditPage"];
export type MemberUpdate = Schemas["MemberUpdate"];
export type Duplicates = Schemas["Duplicates"];
export type ConsoleConfig = Schemas["ConsoleConfig"];
export type SignInConfig = ConsoleConfig["signIn"];
/** An access review (issue 14): a campaign, one item per member, each decided keep, change or remove. */
export type ReviewCampaign = Schemas["ReviewCampaign"];
export type ReviewCampaignPage = Schemas["ReviewCampaignPage"];
export type ReviewItem = Schemas["ReviewItem"];
export type ReviewAccess = Schemas["ReviewAccess"];
export type OpenReview = Schemas["OpenReview"];
export type ReviewDecisionRequest = Schemas["ReviewDecisionRequest"];
/** GET …/reviews/{reviewId}: the campaign's fields with its items (openapi.yaml names only `items`; the API sends both). */
export type ReviewWithItems = ReviewCampaign & Schemas["ReviewWithItems"];
export type MemberQuery = NonNullable<paths["/orgs/{orgId}/members"]["get"]["parameters"]["query"]>;
export type AuditQuery = NonNullable<paths["/orgs/{orgId}/audit"]["get"]["parameters"]["query"]>;
export type InvitationFilter = NonNullable<NonNullable<paths["/orgs/{orgId}/invitations"]["get"]["parameters"]["query"]>["status"]>;
/** The delivery state of an invitation's latest email; the list filters on it too. */
export type DeliveryStatus = Schemas["Delivery"]["status"];
export type Warning = Schemas["Warning"];
export type InvitationAddressCorrection = Schemas["InvitationAddressCorrection"];

/** A file fetched with the bearer token, to save through a blob link. */
export interface SavedFile {
  blob: Blob;
  filename: string;
}

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

  /** A download as a Blob, named as the API's Content-Disposition says, else `fallback`. */
  async function file(call: Promise<{ data?: unknown; error?: unknown; response: Response }>, fallback: string): Promise<Result<SavedFile>> {
    let filename = fallback;
    const result = await run<Blob>(
      call.then((outcome) => {
        const named = /filename="?([^";]+)"?/.exec(outcome.response.headers.get("Content-Disposition") ?? "");
        if (named?.[1]) filename = named[1];
        return outcome as { data?: Blob; error?: unknown; response: Response };
      }),
    );
    return result.ok ? { ok: true, status: result.status, data: { blob: result.data, filename } } : result;
  }

  return {
    /** The typed openapi-fetch client, for calls this module has no helper for yet. */
    client,
    run,
    /** How to sign in (public: asked before anyone has a token). */
    consoleConfig: () => run<ConsoleConfig>(client.GET("/console-config")),
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
    /** Every project of the org (pages of 100 followed), for pickers and for naming projects in tables. */
    allProjects: async (orgId: string): Promise<Result<Project[]>> => {
      const all: Project[] = [];
      let cursor: string | undefined;
      // A bound on pages, so a cursor that never ends cannot loop forever.
      for (let page = 0; page < 50; page++) {
        const result = await run<ProjectPage>(
          client.GET("/orgs/{orgId}/projects", {
            params: { path: { orgId }, query: cursor === undefined ? { limit: 100 } : { limit: 100, cursor } },
          }),
        );
        if (!result.ok) return result;
        all.push(...result.data.items);
        cursor = result.data.nextCursor;
        if (cursor === undefined) break;
      }
      return { ok: true, status: 200, data: all };
    },
    // If-Match carries the version read, so settings changed meanwhile are refused (412), not overwritten.
    updateOrg: (orgId: string, version: number, body: OrgUpdate) =>
      run<Organization>(client.PATCH("/orgs/{orgId}", { params: { path: { orgId }, header: { "If-Match": `"${version}"` } }, body })),
    updateProject: (orgId: string, projectId: string, version: number, body: ProjectUpdate) =>
      run<Project>(
        client.PATCH("/orgs/{orgId}/projects/{projectId}", {
          params: { path: { orgId, projectId }, header: { "If-Match": `"${version}"` } },
          body,
        }),
      ),
    createApiKey: (orgId: string, projectId: string, name: string) =>
      run<CreatedApiKey | ReplayedApiKey>(client.POST("/orgs/{orgId}/projects/{projectId}/api-keys", { params: { path: { orgId, projectId } }, body: { name } })),
    revokeApiKey: (orgId: string, projectId: string, keyId: string) =>
      run<void>(client.DELETE("/orgs/{orgId}/projects/{projectId}/api-keys/{keyId}", { params: { path: { orgId, projectId, keyId } } })),
    // Idempotency-Key makes a retry after a lost answer safe: the API answers the first outcome again.
    invite: (orgId: string, body: InviteRequest, idempotencyKey: string) =>
      run<Invitation | InvitationRequest>(
        client.POST("/orgs/{orgId}/invitations", {
          params: { path: { orgId }, header: { "Idempotency-Key": idempotencyKey } },
          body,
        }),
      ),
    inviteBatch: (orgId: string, invitations: InviteRequest[], idempotencyKey: string) =>
      run<BatchInviteResults>(
        client.POST("/orgs/{orgId}/invitations/batch", {
          params: { path: { orgId }, header: { "Idempotency-Key": idempotencyKey } },
          body: { invitations },
        }),
      ),
    listInvitations: (orgId: string, status: InvitationFilter, cursor?: string, limit?: number, delivery?: DeliveryStatus) =>
      run<InvitationPage>(
        client.GET("/orgs/{orgId}/invitations", {
          params: {
            path: { orgId },
            query: {
              status,
              ...(delivery === undefined ? {} : { delivery }),
              ...(cursor === undefined ? {} : { cursor }),
              ...(limit === undefined ? {} : { limit }),
            },
          },
        }),
      ),
    getInvitation: (orgId: string, invitationId: string) =>
      run<Invitation>(client.GET("/orgs/{orgId}/invitations/{invitationId}", { params: { path: { orgId, invitationId } } })),
    // If-Match carries the version read, so an invitation changed meanwhile is refused (412), not
    // overwritten; a repeat after a lost answer is refused the same way, so the new link goes out once.
    correctInvitationAddress: (orgId: string, invitationId: string, version: number, body: InvitationAddressCorrection) =>
      run<Invitation>(
        client.PATCH("/orgs/{orgId}/invitations/{invitationId}", {
          params: { path: { orgId, invitationId }, header: { "If-Match": `"${version}"` } },
          body,
        }),
      ),
    resendInvitation: (orgId: string, invitationId: string) =>
      run<Invitation>(client.POST("/orgs/{orgId}/invitations/{invitationId}/resend", { params: { path: { orgId, invitationId } } })),
    revokeInvitation: (orgId: string, invitationId: string) =>
      run<void>(client.DELETE("/orgs/{orgId}/invitations/{invitationId}", { params: { path: { orgId, invitationId } } })),
    listRequests: (orgId: string, status: RequestStatus | undefined, cursor?: string, limit?: number) =>
      run<InvitationRequestPage>(
        client.GET("/orgs/{orgId}/invitation-requests", {
          params: {
            path: { orgId },
            query: { ...(status === undefined ? {} : { status }), ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit }) },
          },
        }),
      ),
    // Idempotency-Key on each decision and request, as on invites: a retry after a lost answer does not act twice.
    fileRequest: (orgId: string, body: FileInvitationRequest, idempotencyKey: string) =>
      run<InvitationRequest>(
        client.POST("/orgs/{orgId}/invitation-requests", { params: { path: { orgId }, header: { "Idempotency-Key": idempotencyKey } }, body }),
      ),
    approveRequest: (orgId: string, requestId: string, body: ApproveInvitationRequest, idempotencyKey: string) =>
      run<InvitationRequest>(
        client.POST("/orgs/{orgId}/invitation-requests/{requestId}/approve", {
          params: { path: { orgId, requestId }, header: { "Idempotency-Key": idempotencyKey } },
          body,
        }),
      ),
    denyRequest: (orgId: string, requestId: string, reason: string, idempotencyKey: string) =>
      run<InvitationRequest>(
        client.POST("/orgs/{orgId}/invitation-requests/{requestId}/deny", {
          params: { path: { orgId, requestId }, header: { "Idempotency-Key": idempotencyKey } },
          body: { reason },
        }),
      ),
    listMembers: (orgId: string, query: MemberQuery) =>
      run<MemberPage>(client.GET("/orgs/{orgId}/members", { params: { path: { orgId }, query } })),
    getMember: (orgId: string, memberId: string) =>
      run<Member>(client.GET("/orgs/{orgId}/members/{memberId}", { params: { path: { orgId, memberId } } })),
    // If-Match carries the version read, so a change made meanwhile is refused (412) rather than overwritten.
    updateMember: (orgId: string, memberId: string, version: number, body: MemberUpdate) =>
      run<Member>(
        client.PATCH("/orgs/{orgId}/members/{memberId}", {
          params: { path: { orgId, memberId }, header: { "If-Match": `"${version}"` } },
          body,
        }),
      ),
    removeMember: (orgId: string, memberId: string, reason: string) =>
      run<void>(client.DELETE("/orgs/{orgId}/members/{memberId}", { params: { path: { orgId, memberId }, query: { reason } } })),
    memberDuplicates: (orgId: string) => run<Duplicates>(client.GET("/orgs/{orgId}/members/duplicates", { params: { path: { orgId } } })),
    listAudit: (orgId: string, query: AuditQuery) =>
      // The route also answers CSV (with Accept: text/csv); without that Accept it is always the JSON page.
      run<AuditPage>(
        client.GET("/orgs/{orgId}/audit", { params: { path: { orgId }, query } }) as Promise<{ data?: AuditPage; error?: unknown; response: Response }>,
      ),
    /**
     * The audit as CSV, through the same client (so with the bearer token, which a plain link could
     * not send), as a Blob and the file name the API gives it.
     */
    auditCsv: (orgId: string, query: Omit<AuditQuery, "limit" | "cursor">): Promise<Result<SavedFile>> =>
      file(client.GET("/orgs/{orgId}/audit", { params: { path: { orgId }, query }, headers: { Accept: "text/csv" }, parseAs: "blob" }), `audit-${orgId}.csv`),
    listReviews: (orgId: string, cursor?: string, limit?: number) =>
      run<ReviewCampaignPage>(
        client.GET("/orgs/{orgId}/reviews", {
          params: { path: { orgId }, query: { ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit }) } },
        }),
      ),
    // Idempotency-Key on opening and on each decision, as on invites: a retry after a lost answer does not act twice.
    openReview: (orgId: string, body: OpenReview, idempotencyKey: string) =>
      run<ReviewCampaign>(client.POST("/orgs/{orgId}/reviews", { params: { path: { orgId }, header: { "Idempotency-Key": idempotencyKey } }, body })),
    getReview: (orgId: string, reviewId: string) =>
      run<ReviewWithItems>(
        client.GET("/orgs/{orgId}/reviews/{reviewId}", { params: { path: { orgId, reviewId } } }) as Promise<{ data?: ReviewWithItems; error?: unknown; response: Response }>,
      ),
    decideReviewItem: (orgId: string, reviewId: string, memberId: string, body: ReviewDecisionRequest, idempotencyKey: string) =>
      run<ReviewItem>(
        client.POST("/orgs/{orgId}/reviews/{reviewId}/items/{memberId}", {
          params: { path: { orgId, reviewId, memberId }, header: { "Idempotency-Key": idempotencyKey } },
          body,
        }),
      ),
    /** A review's evidence as a file (CSV, or the JSON the API answers), fetched with the bearer token, with the file name to save it as. */
    reviewEvidence: (orgId: string, reviewId: string, format: "csv" | "json"): Promise<Result<SavedFile>> =>
      file(
        client.GET("/orgs/{orgId}/reviews/{reviewId}/evidence", {
          params: { path: { orgId, reviewId } },
          headers: { Accept: format === "csv" ? "text/csv" : "application/json" },
          parseAs: "blob",
        }),
        `review-${reviewId}.${format}`,
      ),
  };
}

export type Api = ReturnType<typeof createApi>;
