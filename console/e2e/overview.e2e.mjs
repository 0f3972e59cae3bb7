// The Overview with something to show, against the running local stack (TENURE_URL). The JUnit test
// that runs this has made the org ORG_NAME with ADMIN_EMAIL as its admin, an invitation to
// BOUNCED_EMAIL whose email bounced, and a member MEMBER_EMAIL whose access ends 20 days from the
// stack's now. Here: the bounce shows, the access is not yet ending; the stack clock moves 10 days,
// and the Overview shows the access ending and the bounced invitation expired, linking to its list;
// a section whose call fails shows the error in that section alone; the member sees no admin screens.
// axe-core checks every screen. Exits non-zero on any failure, saying what failed.
import { axe, baseUrl, expect, launch, report, settled, steps, watch, requiredEnv } from "./browser.mjs";

const base = baseUrl();
const required = (name) => requiredEnv(name);
const admin = required("ADMIN_EMAIL");
const orgName = required("ORG_NAME");
const bounced = required("BOUNCED_EMAIL");
const member = required("MEMBER_EMAIL");
const figures = [];
const problems = [];

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const page = await (await browser.newContext()).newPage();
  watch(page, problems);
  const { step, tally } = steps(page);
  const h1 = page.locator("h1");
  const section = (name) => page.getByRole("region", { name });

  await step("sign in as the org's admin and open its Overview", async () => {
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await page.getByLabel("Email").fill(admin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: orgName }).click();
    await h1.filter({ hasText: orgName }).waitFor();
  });

  await step("the bounced email shows with its reason; no access ends within 14 days yet", async () => {
    const delivery = section("Emails that bounced or failed");
    await delivery.getByText(bounced, { exact: true }).waitFor();
    const text = await delivery.innerText();
    expect(/email bounced: SES bounce/.test(text), `the bounce's reason is not shown: ${text}`);
    await section("Pending invitations").getByText(bounced, { exact: true }).waitFor();
    await section("Access ending within 14 days").getByText("No member's access ends within 14 days.").waitFor();
    const audit = await section("Latest audit events").innerText();
    expect(audit.includes("invitation.accepted") && audit.includes("invitation.delivery_failed"), `the audit events lack the accept or the bounce: ${audit}`);
    console.log(`  bounced or failed: ${text.replace(/\s+/g, " ")}`);
    await axe(page, "overview (bounced)", figures);
  });

  await step("10 days later on the stack clock: the access is ending, the bounced invitation expired", async () => {
    const moved = await fetch(`${base}/_local/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advance: "P10D" }),
    });
    expect(moved.ok, `POST /_local/clock answered ${moved.status}`);
    await page.reload();
    await h1.filter({ hasText: orgName }).waitFor();
    const ending = section("Access ending within 14 days");
    await ending.getByText(member, { exact: true }).waitFor();
    const text = await ending.innerText();
    expect(/access ends \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(text), `the end is not shown: ${text}`);
    expect(text.includes("stakeholders"), `the stakeholders are not shown: ${text}`);
    console.log(`  access ending: ${text.replace(/\s+/g, " ")}`);
    await section("Expired invitations").getByText(bounced, { exact: true }).waitFor();
    await section("Pending invitations").getByText("No pending invitations.").waitFor();
    await axe(page, "overview (access ending, expired)", figures);
  });

  await step("the expired section links to the expired invitations, with the bounce in the delivery column", async () => {
    await settled(page);
    await section("Expired invitations").getByRole("link", { name: "All expired invitations" }).click();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    expect(page.url().endsWith("/invitations?status=expired"), `unexpected URL ${page.url()}`);
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: bounced, exact: true }) });
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    expect(cells[1] === "expired", `status cell: ${cells[1]}`);
    expect(cells[2]?.startsWith("Bounced: "), `delivery cell: ${cells[2]}`);
    expect(await row.getByRole("button", { name: `Resend to ${bounced}` }).isVisible(), "an expired invitation offers no Resend");
    await axe(page, "invitations (expired)", figures);
  });

  await step("one section's failure stays in that section, with its request id, and Try again loads it", async () => {
    // The browser is made to get a 500 for the audit (the local stack has no way to fail on purpose).
    const failing = (url) => url.pathname.endsWith("/audit");
    await page.route(failing, (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/problem+json",
        headers: { "X-Request-Id": "req-console-e2e" },
        body: JSON.stringify({
          type: "urn:tenure:problem:internal_error",
          title: "Internal error",
          status: 500,
          detail: "Something went wrong on our side.",
          code: "internal_error",
        }),
      }));
    await page.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Overview" }).click();
    const audit = section("Latest audit events");
    const alert = audit.getByRole("alert");
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text.includes("Something went wrong on our side.") && text.includes("request id req-console-e2e"), `the section's error says: ${text}`);
    await section("Access ending within 14 days").getByText(member, { exact: true }).waitFor();
    await axe(page, "overview (a section failed)", figures);
    await page.unroute(failing);
    await alert.getByRole("button", { name: "Try again" }).click();
    await audit.getByText("invitation.accepted").waitFor();
  });

  await step("the member (not an admin) sees the org without the admin's screens", async () => {
    const memberPage = await (await browser.newContext()).newPage();
    watch(memberPage, problems);
    await memberPage.goto(`${base}/console/`, { timeout: 30_000 });
    await memberPage.getByLabel("Email").fill(member);
    await memberPage.getByRole("button", { name: "Sign in" }).click();
    await memberPage.getByRole("link", { name: orgName }).click();
    await memberPage.locator("h1").filter({ hasText: orgName }).waitFor();
    await memberPage.getByText("Invitations, members and the audit trail are for the organization's admins.").waitFor();
    const nav = memberPage.getByRole("navigation", { name: orgName });
    expect((await nav.getByRole("link", { name: "Invite", exact: true }).count()) === 0, "a member is offered Invite");
    expect((await nav.getByRole("link", { name: "Invitations" }).count()) === 0, "a member is offered Invitations");
    await axe(memberPage, "overview (member)", figures);
    // A member who types the address gets the API's refusal said plainly.
    await memberPage.goto(`${memberPage.url()}/invitations`);
    await memberPage.getByText("Only admins of this organization see its invitations.").waitFor();
    await memberPage.close();
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
