/**
 * Who is signed in, behind one small interface: the local stack's email-only sign-in, or OpenID
 * Connect (in AWS), chosen by `GET /console-config`. The screens do not know which.
 */
import type { Result } from "../api/client.js";

export interface Auth {
  /** `local` asks for an email here; `oidc` sends the browser to the identity provider. */
  readonly kind: "local" | "oidc";
  /** The bearer token for API calls, or null when signed out (or when the token has expired). */
  token(): string | null;
  /** The signed-in email, for the header. */
  email(): string | null;
  /** Local sign-in uses `email`; OIDC ignores it and redirects (the promise settles only on failure). */
  signIn(email: string): Promise<Result<void>>;
  signOut(): void;
}
