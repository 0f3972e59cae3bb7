/**
 * Who is signed in, behind one small interface so that OpenID Connect sign-in (in AWS) can
 * replace the local one without the screens changing.
 */
import type { Result } from "../api/client.js";

export interface Auth {
  /** The bearer token for API calls, or null when signed out. */
  token(): string | null;
  /** The signed-in email, for the header. */
  email(): string | null;
  /** Local sign-in takes an email; an OIDC sign-in would redirect instead. */
  signIn(email: string): Promise<Result<void>>;
  signOut(): void;
}
