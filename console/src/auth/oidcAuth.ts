/**
 * OpenID Connect sign-in, authorization code with PKCE, through oidc-client-ts, against the issuer
 * the API's JWT authorizer trusts (`GET /console-config` names it and the console's client id).
 *
 * The console sends the ID token to the API: its `aud` is the console's client id, which is a
 * JwtAudience, and it carries `email` and `email_verified` (docs/operations.md, section 4). Tokens
 * live in sessionStorage, so they end with the tab; nothing is refreshed silently, and an expired
 * ID token means signing in again.
 */
import { UserManager, WebStorageStateStore, type User } from "oidc-client-ts";
import type { Result } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";
import type { Auth } from "./auth.js";

/** The part of oidc-client-ts's UserManager this module uses (a fake stands in for it in unit tests). */
export interface SignInManager {
  getUser(): Promise<User | null>;
  signinRedirect(args?: { url_state?: string }): Promise<void>;
  signinRedirectCallback(url?: string): Promise<User>;
  removeUser(): Promise<void>;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: string;
  /** Where the provider sends the browser back: the console's own URL (`<origin>/console/`). */
  redirectUri: string;
  storage: Storage;
}

export function userManager(settings: OidcSettings): SignInManager {
  const store = new WebStorageStateStore({ store: settings.storage });
  return new UserManager({
    authority: settings.issuer,
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    response_type: "code",
    scope: settings.scopes,
    userStore: store,
    stateStore: store,
    // The ID token has what the console needs; the userinfo endpoint would be one more origin to allow.
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
    requestTimeoutInSeconds: 15,
  });
}

export interface OidcAuth extends Auth {
  /** True when `url` is the provider's answer to a sign-in: `state` with `code` or `error`. */
  isCallback(url: string): boolean;
  /** Finishes a sign-in from the provider's answer: the console path to go back to, or what went wrong. */
  completeSignIn(url: string): Promise<Result<string>>;
}

export interface OidcAuthOptions {
  /** The console's path (Vite's base): where to land when the sign-in names no other page. */
  base: string;
  /** The page to come back to after signing in (path and query). */
  currentPath: () => string;
  issuer: string;
  now?: () => number;
}

export async function oidcAuth(manager: SignInManager, options: OidcAuthOptions): Promise<OidcAuth> {
  const now = options.now ?? Date.now;
  let user: User | null = null;
  try {
    user = await manager.getUser();
  } catch {
    // A stored user that cannot be read is no sign-in.
  }

  const idToken = (): string | null => {
    if (!user?.id_token) return null;
    const expires = user.profile.exp;
    return typeof expires === "number" && expires * 1000 > now() ? user.id_token : null;
  };

  return {
    kind: "oidc",
    token: idToken,
    email() {
      if (idToken() === null || !user) return null;
      const email = user.profile.email;
      return typeof email === "string" && email !== "" ? email : user.profile.sub;
    },
    async signIn() {
      try {
        await manager.signinRedirect({ url_state: encodeURIComponent(options.currentPath()) });
        return { ok: true, status: 302, data: undefined };
      } catch (error) {
        return { ok: false, problem: signInProblem(error, `The identity provider at ${options.issuer} could not be reached`) };
      }
    },
    signOut() {
      user = null;
      // Forgets the console's tokens; the provider's own session is the provider's (docs/operations.md).
      void manager.removeUser().catch(() => undefined);
    },
    isCallback(url) {
      const params = new URL(url).searchParams;
      return params.has("state") && (params.has("code") || params.has("error"));
    },
    async completeSignIn(url) {
      try {
        user = await manager.signinRedirectCallback(url);
      } catch (error) {
        user = null;
        return { ok: false, problem: signInProblem(error, "The identity provider's answer could not be used") };
      }
      let back = options.base;
      try {
        const asked = user.url_state === undefined ? "" : decodeURIComponent(user.url_state);
        // Only a page of the console: never a redirect elsewhere.
        if (asked.startsWith(options.base) && !asked.startsWith("//")) back = asked;
      } catch {
        // A malformed return path lands on the console's start.
      }
      return { ok: true, status: 200, data: back };
    },
  };
}

/** What the provider or the network said, for the sign-in screen. */
function signInProblem(error: unknown, fallback: string): ApiProblem {
  const said = error as { error?: unknown; error_description?: unknown; message?: unknown } | null;
  const description =
    typeof said?.error_description === "string" && said.error_description !== ""
      ? said.error_description
      : typeof said?.error === "string"
        ? said.error
        : typeof said?.message === "string" && said.message !== ""
          ? `${fallback}: ${said.message}`
          : fallback;
  return {
    status: 0,
    code: "sign_in_failed",
    title: "Sign-in did not complete",
    detail: `Sign-in did not complete: ${description}. Try again.`,
    fieldErrors: {},
    formErrors: [],
  };
}
