// Settings, against the running local stack (TENURE_URL). The JUnit test that runs this has made the
// org ORG_NAME with ADMIN_EMAIL as its admin and the projects Web and Old. Here: org settings changed
// (a range refused by the form, a stakeholder refused by the API beside its field, then fixed, with
// project managers reviewing turned on), a welcome link added, a 412 when the settings changed meanwhile; Old renamed and archived; an API key
// for Web made, its secret shown once, copied, working on POST /api/v1/identify, revoked (then refused),
// and gone after a reload; Web's identity hashing turned on. axe-core checks every state. The secret is
// never printed: only its shape is checked. Web changed through the API meanwhile: a 412, said, and Web re-read.
// Issue 15: the SSO sign-in saved (an SSO login address refused by the form, a bad SSO domain by the
// API, each beside its field), and an invite outside the SSO domains warned about (outside_sso_domain).
import { axe, baseUrl, expect, fetchAs, launch, report, steps, tabTo, watch, requiredEnv } from "./browser.mjs";

const base = baseUrl();
const required = (name) => requiredEnv(name);
const admin = required("ADMIN_EMAIL");
const orgName = required("ORG_NAME");
const figures = [];
const problems = [];

/** The API as another admin session would use it: a token of the admin's own (never printed). */
const apiAs = (email) => fetchAs(base, email);

async function identifyWith(secret, appId) {
  const response = await fetch(`${base}/api/v1/identify`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ app_id: appId, identity: "shopper@shop.example", user_id: 4242 }),
  });
  return response.status;
}

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const context = await browser.newContext();
  // The copy button writes to the clipboard; headless chromium asks for the permission first.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  watch(page, problems);
  // A failing step prints the page's text: the secret is masked there.
  const { step, tally } = steps(page, () => [secret]);
  const h1 = page.locator("h1");
  const api = await apiAs(admin);
  const saved = page.getByRole("status").filter({ hasText: "Settings saved." });
  let orgId = "";
  let webId = "";
  let secret = "";

  await step("sign in, open Settings from the org's navigation with the keyboard; the settings and the projects load", async () => {
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await page.getByLabel("Email").fill(admin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: orgName }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    orgId = new URL(page.url()).pathname.split("/")[3];
    await tabTo(page, "nav a", "Settings");
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: "Settings" }).waitFor();
    expect((await page.getByLabel("Longest access (days)").inputValue()) === "365", "the default longest access is not shown");
    await page.getByRole("heading", { name: "Web", exact: false }).first().waitFor();
    expect((await page.getByText("No welcome links.").count()) === 1, "the empty welcome links are not said");
    await axe(page, "settings (loaded)", figures);
  });

  await step("a longest access of 0 is refused by the form beside its field, with the focus on it", async () => {
    await page.getByLabel("Longest access (days)").fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    const error = page.locator("#org-settings-maxAccessDays-error");
    expect((await error.innerText()) === "Enter a whole number from 1 to 3650.", `the error: ${await error.innerText()}`);
    expect(await page.getByLabel("Longest access (days)").evaluate((el) => el === document.activeElement && el.getAttribute("aria-describedby")?.includes("maxAccessDays-error")), "the field has no focus or does not name its error");
    await axe(page, "settings (form error)", figures);
  });

  await step("a stakeholder that is no address is refused by the API (422) beside Default stakeholders; fixed, the settings save", async () => {
    await page.getByLabel("Longest access (days)").fill("90");
    await page.getByLabel("Require a justification").check();
    await page.getByLabel("Default stakeholders").fill("not-an-address");
    await page.getByRole("button", { name: "Save settings" }).click();
    const error = page.locator("#org-settings-defaultStakeholders-error");
    await error.waitFor();
    expect((await error.innerText()).includes("is not a valid email address"), `the error: ${await error.innerText()}`);
    expect(await page.getByLabel("Default stakeholders").evaluate((el) => el === document.activeElement), "the refused field has no focus");
    expect((await page.locator("#org-settings-maxAccessDays-error").count()) === 0, "the fixed field still shows its error");
    await axe(page, "settings (API field error)", figures);
    const unchanged = await (await api(`/orgs/${orgId}`)).json();
    expect(unchanged.settings.maxAccessDays === 365, "a refused save changed the org");

    await page.getByLabel("Default stakeholders").fill("lead@console.example");
    // A welcome link, added with the keyboard: the new link's title takes the focus.
    await page.getByRole("button", { name: "Add a welcome link" }).focus();
    await page.keyboard.press("Enter");
    await page.getByLabel("Link 1 title").waitFor();
    expect(await page.getByLabel("Link 1 title").evaluate((el) => el === document.activeElement), "the new link's title has no focus");
    await page.keyboard.type("Getting started");
    await page.getByLabel("Link 1 address").fill("https://docs.console.example/start");
    const reviewers = page.getByLabel("Project managers review the members of their projects");
    expect(!(await reviewers.isChecked()), "project managers are shown reviewing before the setting is on");
    await reviewers.check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await saved.waitFor();
    const org = await (await api(`/orgs/${orgId}`)).json();
    expect(org.settings.maxAccessDays === 90 && org.settings.requireJustification === true, `settings: ${JSON.stringify(org.settings)}`);
    expect(org.settings.reviewsByProjectManagers === true, `reviewsByProjectManagers: ${org.settings.reviewsByProjectManagers}`);
    expect(await reviewers.isChecked(), "the saved review setting is not shown");
    expect(JSON.stringify(org.settings.defaultStakeholders) === '["lead@console.example"]', `stakeholders: ${org.settings.defaultStakeholders}`);
    expect(org.settings.welcomeLinks.length === 1 && org.settings.welcomeLinks[0].title === "Getting started", `links: ${JSON.stringify(org.settings.welcomeLinks)}`);
    expect((await page.getByLabel("Longest access (days)").inputValue()) === "90", "the saved value is not shown");
    console.log(`  saved: maxAccessDays ${org.settings.maxAccessDays}, requireJustification, 1 stakeholder, 1 welcome link (version ${org.version})`);
    await axe(page, "settings (saved)", figures);
  });

  await step("settings changed elsewhere meanwhile: the save is refused (412), the newest settings are shown and said so", async () => {
    const changed = await api(`/orgs/${orgId}`, { method: "PATCH", body: JSON.stringify({ settings: { supportContact: "help@console.example" } }) });
    expect(changed.ok, `the other session's change answered ${changed.status}`);
    await page.getByLabel("Invitations per day").fill("20");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "changed by someone else meanwhile" }).waitFor();
    await page.waitForFunction(() => document.getElementById("org-settings-supportContact")?.value === "help@console.example");
    expect((await page.getByLabel("Invitations per day").inputValue()) === "50", "the refused change is still shown as if saved");
    const org = await (await api(`/orgs/${orgId}`)).json();
    expect(org.settings.invitesPerDay === 50, "the stale save changed the org");
    await axe(page, "settings (412)", figures);
  });

  await step("SSO sign-in: a login address that is no URL refused beside it, a bad domain refused by the API beside the domains, then saved", async () => {
    await page.getByLabel("Login method", { exact: true }).selectOption("sso");
    const domains = page.getByLabel("SSO domains", { exact: true });
    const ssoUrl = page.getByLabel("SSO login address", { exact: true });
    await domains.fill("Console.example, sso.console.example\nconsole portal");
    await ssoUrl.fill("sso.console.example/start");
    await page.getByRole("button", { name: "Save settings" }).click();
    const urlError = page.locator("#org-settings-ssoLoginUrl-error");
    await urlError.waitFor();
    expect(await ssoUrl.evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true"), "the SSO login address is not focused and invalid");
    await axe(page, "settings (SSO login address refused)", figures);
    await ssoUrl.fill("https://sso.console.example/start");
    await page.getByRole("button", { name: "Save settings" }).click();
    const domainsError = page.locator("#org-settings-ssoDomains-error");
    await domainsError.waitFor();
    expect((await domainsError.innerText()).startsWith("console portal: "), `the domains' error does not name the bad one: ${await domainsError.innerText()}`);
    expect(await domains.evaluate((el) => el === document.activeElement), "the refused domains have no focus");
    console.log(`  the API said beside SSO domains: ${await domainsError.innerText()}`);
    await axe(page, "settings (SSO domain refused by the API)", figures);
    await domains.fill("Console.example, sso.console.example");
    await page.getByRole("button", { name: "Save settings" }).click();
    await saved.waitFor();
    const org = await (await api(`/orgs/${orgId}`)).json();
    expect(org.settings.loginMethod === "sso" && JSON.stringify(org.settings.ssoDomains) === '["console.example","sso.console.example"]'
      && org.settings.ssoLoginUrl === "https://sso.console.example/start", `settings: ${JSON.stringify(org.settings)}`);
    expect((await domains.inputValue()) === "console.example\nsso.console.example", `the saved domains shown: ${await domains.inputValue()}`);
    console.log(`  saved: loginMethod sso, ssoDomains ${JSON.stringify(org.settings.ssoDomains)}, ssoLoginUrl ${org.settings.ssoLoginUrl}`);
    await axe(page, "settings (SSO saved)", figures);
  });

  await step("an invite outside the SSO domains is hinted while typing, and the API's outside_sso_domain warning is shown", async () => {
    const orgNav = page.getByRole("navigation", { name: orgName });
    await orgNav.getByRole("link", { name: "Invite", exact: true }).click();
    await h1.filter({ hasText: "Invite a collaborator" }).waitFor();
    const outside = `outside-${orgId.slice(-6).toLowerCase()}@partner.example`;
    await page.locator("#invite-email").fill(outside);
    const hint = await page.locator("#invite-email-hint").innerText();
    expect(hint.includes("signs in with SSO"), `the hint says: ${hint}`);
    await page.getByRole("checkbox", { name: /^Web/ }).check();
    await page.getByLabel("Justification").fill("Reviews the SSO roll-out");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${outside}` }).waitFor();
    const warnings = await page.locator(".warnings").innerText();
    expect(/SSO/.test(warnings) && /password/i.test(warnings), `no outside_sso_domain warning (how they will sign in) shown: ${warnings}`);
    console.log(`  warnings shown: ${warnings.replace(/\s+/g, " ")}`);
    await axe(page, "invite (outside the SSO domains)", figures);
    await orgNav.getByRole("link", { name: "Settings" }).click();
    await h1.filter({ hasText: "Settings" }).waitFor();
    await page.getByLabel("Name of Old").waitFor();
  });

  await step("rename Old to Legacy, then archive it after confirming with the keyboard", async () => {
    await page.getByLabel("Name of Old").fill("Legacy");
    await page.getByRole("form", { name: "Rename Old" }).getByRole("button", { name: "Rename" }).click();
    await page.getByRole("status").filter({ hasText: "Renamed to Legacy." }).waitFor();
    await page.getByRole("button", { name: "Archive Legacy…" }).click();
    const confirm = page.getByRole("group", { name: "Archive Legacy?" });
    await confirm.waitFor();
    await axe(page, "settings (archive confirmation)", figures);
    expect(await confirm.getByRole("button", { name: "Archive Legacy" }).evaluate((el) => el === document.activeElement), "the confirm button has no focus");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Legacy is archived." }).waitFor();
    await page.getByRole("button", { name: "Unarchive Legacy" }).waitFor();
    const projects = await (await api(`/orgs/${orgId}/projects`)).json();
    const legacy = projects.items.find((p) => p.name === "Legacy");
    expect(legacy?.archived === true, `projects: ${JSON.stringify(projects.items.map((p) => [p.name, p.archived]))}`);
    webId = projects.items.find((p) => p.name === "Web")?.id ?? "";
    expect(webId.startsWith("prj_"), "no Web project");
    await axe(page, "settings (archived)", figures);
  });

  await step("an API key for Web: the secret shown once with a copy button, and it works on POST /api/v1/identify", async () => {
    await page.getByLabel("New key name for Web").fill("Server");
    await page.getByRole("form", { name: "Create an API key for Web" }).getByRole("button", { name: "Create API key" }).click();
    const shown = page.getByRole("region", { name: "New API key Server" });
    await shown.waitFor();
    await shown.getByText("it will not be shown again").waitFor();
    secret = (await shown.locator("code").innerText()).trim();
    expect(/^tnr_[A-Za-z0-9_-]{43}$/.test(secret), "the secret is not tnr_ and 43 characters");
    const row = page.getByRole("row").filter({ hasText: "Server" });
    expect((await row.innerText()).includes(secret.slice(0, 8)) && (await row.innerText()).includes("Active"), "the key's row lacks its prefix or status");
    await axe(page, "settings (secret shown)", figures);
    await shown.getByRole("button", { name: "Copy the key" }).click();
    await page.getByRole("status").filter({ hasText: "Copied to the clipboard." }).waitFor();
    expect(await page.evaluate(async (s) => (await navigator.clipboard.readText()) === s, secret), "the clipboard does not hold the secret");
    const status = await identifyWith(secret, webId);
    expect(status === 200, `identify with the new key answered ${status}`);
    console.log(`  key: prefix ${secret.slice(0, 4)}…, ${secret.length} characters; identify with it answered ${status}`);
    await shown.getByRole("button", { name: "Done" }).click();
    expect((await page.getByRole("region", { name: "New API key Server" }).count()) === 0, "the secret is still shown after Done");
  });

  await step("revoke the key after confirming; identify with it is then refused (401)", async () => {
    await page.getByRole("button", { name: "Revoke Server…" }).click();
    await page.getByRole("group", { name: "Revoke Server?" }).waitFor();
    await axe(page, "settings (revoke confirmation)", figures);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Revoked Server" }).waitFor();
    expect((await page.getByRole("row").filter({ hasText: "Server" }).innerText()).includes("Revoked"), "the row does not say Revoked");
    const status = await identifyWith(secret, webId);
    expect(status === 401, `identify with the revoked key answered ${status}`);
    await axe(page, "settings (key revoked)", figures);
  });

  await step("after a reload the secret is nowhere: not on the page, not in the browser's storage", async () => {
    await page.reload();
    await h1.filter({ hasText: "Settings" }).waitFor();
    await page.getByLabel("New key name for Web").waitFor();
    const kept = await page.evaluate((s) => {
      const stores = [localStorage, sessionStorage].flatMap((store) => Object.keys(store).map((k) => store.getItem(k) ?? ""));
      return document.documentElement.outerHTML.includes(s) || stores.some((v) => v.includes(s));
    }, secret);
    expect(!kept, "the secret is still in the page or the browser's storage");
  });

  await step("turn on Web's identity hashing; it is kept after a reload", async () => {
    const web = page.getByRole("form", { name: "Identify settings of Web" });
    await web.getByLabel("Hash identities (HMAC-SHA-256)").check();
    await web.getByRole("button", { name: "Save identify settings" }).click();
    await page.getByRole("status").filter({ hasText: "Identify settings saved." }).waitFor();
    const projects = await (await api(`/orgs/${orgId}/projects`)).json();
    const settings = projects.items.find((p) => p.id === webId)?.settings;
    expect(settings?.identityHashing === "hmac-sha256" && settings.keylessIdentify === false, `Web's settings: ${JSON.stringify(settings)}`);
    await page.reload();
    await h1.filter({ hasText: "Settings" }).waitFor();
    expect(await page.getByRole("form", { name: "Identify settings of Web" }).getByLabel("Hash identities (HMAC-SHA-256)").isChecked(), "hashing is not shown on after a reload");
    await axe(page, "settings (identify saved)", figures);
  });

  await step("Web changed elsewhere meanwhile: its identify save is refused (412), said so, and Web is shown as it now is", async () => {
    const read = (await (await api(`/orgs/${orgId}/projects`)).json()).items.find((p) => p.id === webId);
    const changed = await api(`/orgs/${orgId}/projects/${webId}`, { method: "PATCH", headers: { "If-Match": `"${read.version}"` }, body: JSON.stringify({ settings: { keylessIdentify: true } }) });
    expect(changed.ok, `the other session's change answered ${changed.status}`);
    const web = page.getByRole("form", { name: "Identify settings of Web" });
    await web.getByLabel("Hash identities (HMAC-SHA-256)").uncheck();
    await web.getByRole("button", { name: "Save identify settings" }).click();
    await page.getByRole("alert").filter({ hasText: "Web was changed by someone else meanwhile" }).waitFor();
    await page.waitForFunction(() => document.querySelector("[aria-label='Identify settings of Web'] input[id$='-keyless']")?.checked === true);
    expect(await web.getByLabel("Hash identities (HMAC-SHA-256)").isChecked(), "the refused change is still shown");
    const after = (await (await api(`/orgs/${orgId}/projects`)).json()).items.find((p) => p.id === webId);
    expect(after.settings.identityHashing === "hmac-sha256", "the stale save changed Web");
    await axe(page, "settings (project 412)", figures);
  });

  await step("no script error and no Content-Security-Policy refusal on the way", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });

  exitCode = report(figures, tally);
} catch (error) {
  console.log(`FAILED - ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close();
}
process.exit(exitCode);
