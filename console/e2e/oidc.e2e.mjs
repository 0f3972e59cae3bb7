// Signing in to the console with OpenID Connect, as in AWS: a real OpenID provider (panva's
// oidc-provider, OpenID certified) runs here at OIDC_ISSUER, and the local stack at TENURE_URL was
// started with JwtIssuer set to it and JwtAudience to OIDC_CLIENT_ID, so its JWT authorizer checks
// that provider's ID tokens with the provider's published keys. The console reads the issuer and
// client id from GET /console-config, signs in with authorization code and PKCE (oidc-client-ts),
// and sends the ID token to the API.
import Provider from "oidc-provider";
import { axe, axeSelfCheck, baseUrl, expect, launch, steps, tabTo, watch } from "./browser.mjs";

const TENURE = baseUrl();
const ISSUER = process.env.OIDC_ISSUER;
const CLIENT_ID = process.env.OIDC_CLIENT_ID;
if (!ISSUER || !CLIENT_ID) {
  console.error("Set OIDC_ISSUER (http://127.0.0.1:<free port>) and OIDC_CLIENT_ID, as the stack's JwtIssuer and JwtAudience.");
  process.exit(2);
}
const run = Math.random().toString(36).slice(2, 8);
const EMAIL = `oidc-admin-${run}@console.example`;
const ORG = `OIDC Org ${run}`;

// The provider: one public client (no secret, PKCE), the console's URL as its redirect, the email
// scope's claims in the ID token (as Cognito and Auth0 put them there). Its built-in login page
// takes any login and password; the login given becomes the subject and the email.
const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: CLIENT_ID,
      token_endpoint_auth_method: "none",
      application_type: "web",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [`${TENURE}/console/`],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true }) }),
  cookies: { keys: [`tenure-e2e-${run}`] },
});
const port = Number(new URL(ISSUER).port);
const server = await new Promise((resolve) => {
  const listening = provider.listen(port, "127.0.0.1", () => resolve(listening));
});
const issued = [];
provider.on("grant.success", () => issued.push("grant"));

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const problems = [];
watch(page, problems);
const figures = [];
const { step, tally } = steps(page);
let orgId = "";

try {
  await step("axe-core finds a planted violation", () => axeSelfCheck(page));

  await step("the console reads the OpenID Connect sign-in from GET /console-config and offers it, with no email field", async () => {
    await page.goto(`${TENURE}/console/`);
    await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    await page.getByText("Sign in with your organization's identity provider").waitFor();
    expect((await page.getByLabel("Email").count()) === 0, "the OIDC sign-in asks no email");
    await axe(page, "oidc sign-in", figures);
  });

  await step("a provider's answer the console did not ask for is refused with its reason, and nobody is signed in", async () => {
    await page.goto(`${TENURE}/console/?error=access_denied&error_description=Nope&state=not-ours`);
    const notice = page.locator(".notice");
    await notice.waitFor();
    const text = await notice.innerText();
    expect(/^Sign-in did not complete: .+\. Try again\.$/.test(text), `notice: ${text}`);
    expect(new URL(page.url()).search === "", `the answer left the address bar: ${page.url()}`);
    expect((await page.getByText("Signed in as").count()) === 0, "nobody is signed in");
  });

  await step("Sign in, by keyboard, goes to the provider with a PKCE code challenge for the console's client", async () => {
    await tabTo(page, "button", "Sign in");
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/auth`) && r.isNavigationRequest()),
      page.keyboard.press("Enter"),
    ]);
    const asked = new URL(request.url()).searchParams;
    expect(asked.get("client_id") === CLIENT_ID, `client_id ${asked.get("client_id")}`);
    expect(asked.get("response_type") === "code", `response_type ${asked.get("response_type")}`);
    expect(asked.get("code_challenge_method") === "S256" && (asked.get("code_challenge") ?? "").length >= 43, "a S256 code challenge");
    expect(asked.get("redirect_uri") === `${TENURE}/console/`, `redirect_uri ${asked.get("redirect_uri")}`);
    expect((asked.get("scope") ?? "").split(" ").includes("email"), `scope ${asked.get("scope")}`);
    await page.locator("input[name=login]").waitFor();
  });

  await step("the admin signs in at the provider and comes back signed in, with the code gone from the address", async () => {
    await page.locator("input[name=login]").fill(EMAIL);
    await page.locator("input[name=password]").fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click(); // the provider's consent
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    const url = new URL(page.url());
    expect(url.pathname === "/console/" && url.search === "", `back at ${page.url()}`);
    expect(issued.length === 1, `grants issued: ${issued.length}`);
  });

  await step("the API accepts the provider's ID token: the admin creates an org", async () => {
    await page.getByRole("heading", { name: "Organizations", level: 1 }).waitFor();
    await page.locator("#create-org-name").fill(ORG);
    await page.locator("#create-org-name").press("Enter");
    await page.getByRole("link", { name: ORG }).click();
    await page.getByRole("heading", { name: ORG, level: 1 }).waitFor();
    orgId = new URL(page.url()).pathname.split("/")[3] ?? "";
    expect(/^org_[0-9A-Z]{26}$/.test(orgId), `org id from ${page.url()}`);
    await axe(page, "oidc overview", figures);
  });

  await step("signed out on the audit page, signing in again returns to that page, which lists the org's creation", async () => {
    await page.goto(`${TENURE}/console/orgs/${orgId}/audit`);
    await page.getByRole("heading", { name: "Audit", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Sign in" }).click();
    // The provider still has a session: it may ask for nothing and send the browser straight back.
    const login = page.locator("input[name=login]");
    const back = page.getByRole("heading", { name: "Audit", level: 1 });
    await Promise.race([login.waitFor(), back.waitFor()]);
    if (await login.isVisible()) {
      await login.fill(EMAIL);
      await page.locator("input[name=password]").fill("any password");
      await page.getByRole("button", { name: "Sign-in" }).click();
    }
    const consent = page.getByRole("button", { name: "Continue" });
    await Promise.race([consent.waitFor(), back.waitFor()]);
    if (await consent.isVisible()) await consent.click();
    await back.waitFor();
    expect(new URL(page.url()).pathname === `/console/orgs/${orgId}/audit`, `back at ${page.url()}`);
    await page.getByRole("table").getByRole("rowheader", { name: "org.created", exact: true }).waitFor();
  });

  await step("a token the provider did not sign is refused by the API", async () => {
    const answer = await page.evaluate(async (url) => {
      const forged = `${btoa(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${btoa(JSON.stringify({ sub: "x", email: "x@console.example" }))}.c2ln`;
      const response = await fetch(`${url}/me`, { headers: { Authorization: `Bearer ${forged}` } });
      return response.status;
    }, TENURE);
    expect(answer === 401, `GET /me with a forged token answered ${answer}`);
  });
} finally {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
}

for (const problem of problems) console.log(`FAILED - ${problem}`);
console.log(`axe: ${figures.map((f) => `${f.screen} ${f.serious} serious/critical`).join(", ")}`);
const failed = tally.failed + problems.length;
console.log(`${tally.passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
