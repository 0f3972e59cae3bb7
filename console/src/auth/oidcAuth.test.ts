import { describe, expect, it } from "vitest";
import type { User } from "oidc-client-ts";
import { oidcAuth, type SignInManager } from "./oidcAuth.js";

const NOW = Date.parse("2026-12-06T12:00:00Z");

function user(fields: { idToken?: string; exp?: number; email?: string; urlState?: string }): User {
  return {
    id_token: fields.idToken,
    url_state: fields.urlState,
    profile: { sub: "auth0|42", iss: "https://idp.example/", aud: "console", exp: fields.exp ?? NOW / 1000 + 3600, iat: NOW / 1000, email: fields.email },
  } as unknown as User;
}

/** A fake of oidc-client-ts's UserManager: records the redirects asked for and answers the callback it is given. */
class FakeSignInManager implements SignInManager {
  stored: User | null = null;
  redirects: Array<{ url_state?: string }> = [];
  callback: User | Error = new Error("no callback set");
  redirectFails: Error | null = null;
  removed = 0;
  async getUser() {
    return this.stored;
  }
  async signinRedirect(args?: { url_state?: string }) {
    if (this.redirectFails) throw this.redirectFails;
    this.redirects.push(args ?? {});
  }
  async signinRedirectCallback() {
    if (this.callback instanceof Error) throw this.callback;
    this.stored = this.callback;
    return this.callback;
  }
  async removeUser() {
    this.removed++;
    this.stored = null;
  }
}

const options = { base: "/console/", issuer: "https://idp.example/", currentPath: () => "/console/orgs/o1/members?role=admin", now: () => NOW };

describe("OIDC sign-in", () => {
  it("is signed out with no stored user, and signing in redirects with the page to come back to", async () => {
    const manager = new FakeSignInManager();
    const auth = await oidcAuth(manager, options);
    expect(auth.kind).toBe("oidc");
    expect(auth.token()).toBeNull();
    expect(auth.email()).toBeNull();
    const result = await auth.signIn("ignored@example.com");
    expect(result.ok).toBe(true);
    expect(manager.redirects).toHaveLength(1);
    expect(decodeURIComponent(manager.redirects[0]?.url_state ?? "")).toBe("/console/orgs/o1/members?role=admin");
  });

  it("sends the stored ID token while it is valid, and none once it has expired", async () => {
    const manager = new FakeSignInManager();
    manager.stored = user({ idToken: "id.token.jwt", email: "ada@acme.example" });
    const auth = await oidcAuth(manager, options);
    expect(auth.token()).toBe("id.token.jwt");
    expect(auth.email()).toBe("ada@acme.example");

    manager.stored = user({ idToken: "old.token.jwt", exp: NOW / 1000 - 1 });
    const expired = await oidcAuth(manager, options);
    expect(expired.token()).toBeNull();
    expect(expired.email()).toBeNull();
  });

  it("names the subject when the ID token has no email", async () => {
    const manager = new FakeSignInManager();
    manager.stored = user({ idToken: "id.token.jwt" });
    expect((await oidcAuth(manager, options)).email()).toBe("auth0|42");
  });

  it("recognises the provider's answer: state with code or error", async () => {
    const auth = await oidcAuth(new FakeSignInManager(), options);
    expect(auth.isCallback("https://console.example/console/?code=abc&state=xyz")).toBe(true);
    expect(auth.isCallback("https://console.example/console/?error=access_denied&state=xyz")).toBe(true);
    expect(auth.isCallback("https://console.example/console/?code=abc")).toBe(false);
    expect(auth.isCallback("https://console.example/console/orgs")).toBe(false);
  });

  it("completes a sign-in and goes back to the page asked for, but never off the console", async () => {
    const manager = new FakeSignInManager();
    const auth = await oidcAuth(manager, options);
    manager.callback = user({ idToken: "new.token.jwt", email: "ada@acme.example", urlState: encodeURIComponent("/console/orgs/o1/audit") });
    const done = await auth.completeSignIn("https://console.example/console/?code=abc&state=xyz");
    expect(done).toEqual({ ok: true, status: 200, data: "/console/orgs/o1/audit" });
    expect(auth.token()).toBe("new.token.jwt");

    for (const elsewhere of ["https://evil.example/", "//evil.example/console/", "/docs/", "%E0%A4%A"]) {
      manager.callback = user({ idToken: "t", urlState: elsewhere === "%E0%A4%A" ? elsewhere : encodeURIComponent(elsewhere) });
      const back = await auth.completeSignIn("https://console.example/console/?code=abc&state=xyz");
      expect(back.ok && back.data, elsewhere).toBe("/console/");
    }
  });

  it("says what the provider answered when the sign-in failed", async () => {
    const manager = new FakeSignInManager();
    const auth = await oidcAuth(manager, options);
    manager.callback = Object.assign(new Error("access_denied"), { error: "access_denied", error_description: "The user cancelled" });
    const done = await auth.completeSignIn("https://console.example/console/?error=access_denied&state=xyz");
    expect(done.ok).toBe(false);
    if (!done.ok) {
      expect(done.problem.code).toBe("sign_in_failed");
      expect(done.problem.detail).toBe("Sign-in did not complete: The user cancelled. Try again.");
    }
    expect(auth.token()).toBeNull();
  });

  it("says the provider could not be reached when the redirect cannot start", async () => {
    const manager = new FakeSignInManager();
    manager.redirectFails = new TypeError("Failed to fetch");
    const result = await (await oidcAuth(manager, options)).signIn("");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.detail).toBe("Sign-in did not complete: The identity provider at https://idp.example/ could not be reached: Failed to fetch. Try again.");
  });

  it("signing out forgets the tokens", async () => {
    const manager = new FakeSignInManager();
    manager.stored = user({ idToken: "id.token.jwt" });
    const auth = await oidcAuth(manager, options);
    auth.signOut();
    expect(auth.token()).toBeNull();
    await Promise.resolve();
    expect(manager.removed).toBe(1);
  });
});
