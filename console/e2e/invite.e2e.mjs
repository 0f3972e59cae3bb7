// The invite workflow in the browser, against the running local stack (TENURE_URL): an admin signs
// in, creates an org and a project, invites a collaborator with a note and an end date (an empty
// address first, then errors beside the projects, link lifetime and a stakeholder), replaces a pending
// invitation with a role template one, sees the invitation pending with its delivery,
// resends it (refused within the minute with the wait in words, then accepted once the stack clock
// has moved a minute), revokes another invitation after confirming, invites a batch of 3 lines with
// one bad address and reads each line's result, finds the pending invitation on the Overview, and
// pages through 25 invitations 20 at a time. Issue 15: an invite to ana@partnr.example (the org has
// invitations at partner.example) shows the possible_typo warning with its suggestion, and "Use
// ana@partner.example" corrects it; a batch line's typo likewise; Invitations' Correct address form
// (the API's 422 and 409 beside the address, a 412 when the invitation was resent meanwhile, then
// corrected); the delivery filter after SES's Delivery and DeliveryDelay events reach
// EmailEventsFunction; Audit filtered by invitation.address_corrected.
// axe-core checks every screen. Exits non-zero on any failure, saying what failed.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { axe, axeSelfCheck, baseUrl, expect, fetchAs, focusVisible, launch, report, steps, tabTo, watch } from "./browser.mjs";

const base = baseUrl();
const run = randomUUID().slice(0, 8);
const admin = `invite-admin-${run}@console.example`;
const orgName = `Invite Org ${run}`;
const collaborator = `ana-${run}@partner.example`;
const other = `bob-${run}@partner.example`;
const batch = [`carol-${run}@partner.example`, "not-an-address", `dave-${run}@partner.example`];
// Issue 15: a typo of partner.example (the org's invitations' domain) and the address it probably meant.
const typo = "ana@partnr.example";
const meant = "ana@partner.example";
const batchTypo = `eve-${run}@partnr.example`;
const batchMeant = `eve-${run}@partner.example`;
/** The message id in the sample SES events (events/email/), replaced by an invitation's own. */
const SAMPLE_MESSAGE_ID = "0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000";
const figures = [];
const problems = [];

/** The stack's clock (every function reads time from it), so dates chosen here are in its future. */
async function stackNow() {
  const response = await fetch(`${base}/_local/clock`);
  expect(response.ok, `GET /_local/clock answered ${response.status}`);
  return new Date((await response.json()).now);
}

/** SES's event `file` (events/email/) for the email `messageId`, given to EmailEventsFunction as the bus gives it in AWS. */
async function sesEvent(file, messageId) {
  const event = readFileSync(new URL(`../../events/email/${file}`, import.meta.url), "utf8").replaceAll(SAMPLE_MESSAGE_ID, messageId);
  const response = await fetch(`${base}/_local/invoke/EmailEventsFunction`, { method: "POST", body: event });
  const text = await response.text();
  expect(response.ok && text.includes("recorded"), `EmailEventsFunction did not record ${file}: HTTP ${response.status} ${text}`);
}

async function advanceClock(duration) {
  const response = await fetch(`${base}/_local/clock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ advance: duration }),
  });
  expect(response.ok, `POST /_local/clock answered ${response.status}`);
}

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page, problems);
  const { step, tally } = steps(page);
  const h1 = page.locator("h1");
  const orgNav = page.getByRole("navigation", { name: orgName });
  const row = (email) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: email, exact: true }) });
  /** The cells of an email's row once it is shown (the rows load after the screen). */
  const cellsOf = async (email) => {
    await row(email).waitFor();
    return row(email).locator("td").allInnerTexts();
  };
  let endDate;

  await step("axe-core finds a planted violation", async () => {
    await axeSelfCheck(page);
  });

  await step("sign in, create an org, open it and add a project", async () => {
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await page.getByLabel("Email").fill(admin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await h1.filter({ hasText: "Organizations" }).waitFor();
    await page.getByLabel("Organization name").fill(orgName);
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.getByRole("link", { name: orgName }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    await page.getByText("No pending invitations.").waitFor();
    await page.getByText("No projects yet.").waitFor();
    await axe(page, "overview (new org)", figures);
    await page.getByLabel("Project name").fill("Web analytics");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("row").filter({ hasText: "Web analytics" }).waitFor();
  });

  await step("the Invite screen opens from the org's navigation, keyboard only", async () => {
    const link = orgNav.getByRole("link", { name: "Invite", exact: true });
    // Reached with the keyboard (Shift+Tab from the link after it), as focus rings show for keyboard users.
    await orgNav.getByRole("link", { name: "Invitations", exact: true }).focus();
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent === "Invite"), "Shift+Tab did not reach the Invite link");
    expect(await focusVisible(page), "the focused Invite link shows no focus ring");
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: "Invite a collaborator" }).waitFor();
    expect((await link.getAttribute("aria-current")) === "page", "the Invite link is not marked as the current page");
    await page.getByRole("checkbox", { name: /^Web analytics/ }).waitFor();
    await axe(page, "invite (empty)", figures);
  });

  await step("an empty address is refused with the API's error beside the email field", async () => {
    await page.getByRole("button", { name: "Send invitation" }).click();
    const error = page.locator("#invite-email-error");
    await error.waitFor();
    const input = page.locator("#invite-email");
    expect((await input.getAttribute("aria-invalid")) === "true", "the email field is not marked aria-invalid");
    expect(((await input.getAttribute("aria-describedby")) ?? "").includes("invite-email-error"), "the email field is not described by its error");
    expect(await page.evaluate(() => document.activeElement?.id === "invite-email"), "focus is not on the email field");
    console.log(`  field error shown: "${(await error.innerText()).trim()}"`);
    await axe(page, "invite (field errors)", figures);
  });

  await step("typing an outside address without an end date says so before submitting", async () => {
    await page.locator("#invite-email").fill(collaborator);
    const hint = page.locator("#invite-email-hint");
    expect((await hint.innerText()).includes("give an end date"), `the email hint says: ${await hint.innerText()}`);
  });

  await step("the API's field errors show beside the projects, the link lifetime and the stakeholder they are about", async () => {
    await page.getByLabel("Link works for (days)").fill("99");
    await page.getByLabel("Stakeholders").fill(`lead-${run}@console.example\nnot-an-address`);
    await page.getByRole("button", { name: "Send invitation" }).click();
    const projects = page.locator("#invite-projects-error");
    await projects.waitFor();
    const days = page.locator("#invite-expiresInDays-error");
    const stakeholders = page.locator("#invite-stakeholders-error");
    await days.waitFor();
    expect((await stakeholders.innerText()).startsWith("not-an-address: "), `the stakeholder error does not name the address: ${await stakeholders.innerText()}`);
    expect((await page.locator("#invite-expiresInDays").getAttribute("aria-invalid")) === "true", "the link lifetime is not marked invalid");
    // The first field in error, in the form's order, takes focus: the projects' first checkbox.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type") === "checkbox"), "focus is not on the projects");
    console.log(`  field errors shown: projects "${await projects.innerText()}", days "${await days.innerText()}", stakeholders "${await stakeholders.innerText()}"`);
    await axe(page, "invite (errors on projects, days, stakeholders)", figures);
    await page.getByLabel("Link works for (days)").fill("");
  });

  await step("invite a collaborator with a project role, a note, an end date and a stakeholder", async () => {
    const now = await stackNow();
    endDate = new Date(now.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByLabel("Role on Web analytics").selectOption("analyst");
    await page.getByLabel("Engagement").fill("Q4 funnel analysis");
    await page.getByLabel("Reference").fill("PO-1042");
    await page.getByLabel("Justification").fill("Builds the Q4 dashboards");
    await page.getByLabel("Access ends on").fill(endDate);
    await page.getByLabel("Stakeholders").fill(`lead-${run}@console.example`);
    expect(!(await page.locator("#invite-email-hint").innerText()).includes("give an end date"), "the end-date hint stays with an end date");
    await page.getByRole("button", { name: "Send invitation" }).click();
    const heading = page.getByRole("heading", { name: `Invitation sent to ${collaborator}` });
    await heading.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id === "invite-outcome"), "focus did not move to the outcome");
    const facts = await page.locator("dl.facts").innerText();
    expect(/Status\s+pending/.test(facts), `the outcome does not say pending: ${facts}`);
    expect(/Email delivery\s+(Sent|Sending) \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(facts), `the outcome does not say the email's delivery: ${facts}`);
    expect(facts.includes(`${endDate} 00:00 UTC`), `the outcome does not show the end date ${endDate}: ${facts}`);
    expect(facts.includes("Web analytics: analyst"), `the outcome does not show the project role: ${facts}`);
    console.log(`  outcome: ${facts.replace(/\s+/g, " ")}`);
    await axe(page, "invite (sent)", figures);
  });

  await step("a second invitation without an end date comes back with the API's no_end_date warning", async () => {
    await page.getByRole("button", { name: "Invite someone else" }).click();
    await page.locator("#invite-email").fill(other);
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${other}` }).waitFor();
    const warnings = await page.locator(".warnings").innerText();
    expect(/no end date/i.test(warnings), `no end-date warning shown: ${warnings}`);
    console.log(`  warnings shown: ${warnings.replace(/\s+/g, " ")}`);
  });

  await step("inviting the same address again with a role template: refused as pending, then replacing it", async () => {
    await page.getByRole("button", { name: "Invite someone else" }).click();
    await page.locator("#invite-email").fill(other);
    await page.getByLabel("A role template").check();
    await page.getByLabel("Role template", { exact: true }).selectOption("reporting");
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByRole("button", { name: "Send invitation" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "pending invitation" });
    await alert.waitFor();
    console.log(`  refusal shown: "${(await alert.innerText()).trim()}"`);
    await page.getByLabel("Revoke the pending invitation of this address and send this one instead").check();
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${other}` }).waitFor();
    const facts = await page.locator("dl.facts").innerText();
    expect(facts.includes("member · Web analytics: viewer"), `the template's roles are not shown: ${facts}`);
  });

  await step("Invitations lists the invitation pending, with its delivery, send count and link expiry", async () => {
    await page.getByRole("link", { name: "See pending invitations" }).click();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    expect(page.url().endsWith("/invitations?status=pending"), `unexpected URL ${page.url()}`);
    const cells = await cellsOf(collaborator);
    // Roles, status, delivery, sent, link expires, actions.
    expect(cells[0] === "member · Web analytics: analyst", `roles cell: ${cells[0]}`);
    expect(cells[1] === "pending", `status cell: ${cells[1]}`);
    expect(/^(Sent|Sending) \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/.test(cells[2] ?? ""), `delivery cell: ${cells[2]}`);
    expect(cells[3]?.startsWith("1 time"), `sent cell: ${cells[3]}`);
    expect(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/.test(cells[4] ?? ""), `link expiry cell: ${cells[4]}`);
    console.log(`  row: ${cells.slice(0, 5).join(" | ").replace(/\s+/g, " ")}`);
    await axe(page, "invitations (pending)", figures);
  });

  await step("Resend asks first; Escape cancels and gives focus back, keyboard only", async () => {
    const resend = page.getByRole("button", { name: `Resend to ${collaborator}` });
    await resend.focus();
    await page.keyboard.press("Enter");
    const yes = page.getByRole("button", { name: "Yes, resend" });
    await yes.waitFor();
    // Focus moves in an effect after the render: wait for it rather than read it at once (a loaded machine is slower).
    await page.waitForFunction(() => document.activeElement?.textContent === "Yes, resend", null, { timeout: 5_000 })
      .catch(() => expect(false, "focus did not move to the confirmation"));
    await axe(page, "invitations (confirm resend)", figures);
    await page.keyboard.press("Escape");
    await resend.waitFor();
    await page.waitForFunction((email) => document.activeElement?.getAttribute("aria-label") === `Resend to ${email}`, collaborator, { timeout: 5_000 })
      .catch(() => expect(false, "focus did not return to the Resend button"));
    expect((await row(collaborator).locator("td").nth(3).innerText()).startsWith("1 time"), "a cancelled resend was sent");
  });

  await step("an immediate resend is refused with the Retry-After in words", async () => {
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.textContent === "Yes, resend");
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: `Could not resend to ${collaborator}` });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(/try again in \d+ (seconds?|minutes?)/i.test(text), `the refusal does not say the wait in words: ${text}`);
    console.log(`  refusal shown: "${text.trim()}"`);
    await axe(page, "invitations (429)", figures);
  });

  await step("a minute later (stack clock) the resend goes out: send 2", async () => {
    await advanceClock("PT1M");
    await page.getByRole("button", { name: `Resend to ${collaborator}` }).click();
    await page.getByRole("button", { name: "Yes, resend" }).click();
    const status = page.getByRole("status").filter({ hasText: `Sent again to ${collaborator}` });
    await status.waitFor();
    expect((await status.innerText()).includes("send 2"), `the notice does not say the send count: ${await status.innerText()}`);
    await page.waitForFunction((email) => {
      const header = [...document.querySelectorAll("tbody th")].find((th) => th.textContent === email);
      return header?.parentElement?.children[4]?.textContent?.startsWith("2 times");
    }, collaborator);
  });

  await step("Revoke asks first, then the invitation leaves the pending list and shows as revoked", async () => {
    await page.getByRole("button", { name: `Revoke the invitation of ${other}` }).click();
    const group = page.getByRole("group", { name: `Confirm revoking the invitation of ${other}` });
    await group.waitFor();
    await axe(page, "invitations (confirm revoke)", figures);
    await group.getByRole("button", { name: "Yes, revoke" }).click();
    await page.getByRole("status").filter({ hasText: `Revoked the invitation of ${other}` }).waitFor();
    await row(other).waitFor({ state: "detached" });
    await row(collaborator).waitFor();
    expect((await row(other).count()) === 0, "the revoked invitation is still listed as pending");
    await page.getByLabel("Show invitations").selectOption("revoked");
    // Two: the one replaced by the template invitation, and the one revoked here.
    await row(other).nth(1).waitFor();
    expect(page.url().endsWith("/invitations?status=revoked"), `the filter is not in the URL: ${page.url()}`);
    const statuses = await row(other).locator("td:nth-child(3)").allInnerTexts();
    expect(statuses.length === 2 && statuses.every((text) => text === "revoked"), `revoked rows: ${statuses}`);
    await axe(page, "invitations (revoked)", figures);
  });

  await step("a batch of 3 lines with one bad address: each line's result", async () => {
    await orgNav.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByRole("link", { name: "Invite up to 10 people at once" }).click();
    await h1.filter({ hasText: "Invite several collaborators" }).waitFor();
    await page.getByLabel("Email addresses").fill(batch.join("\n"));
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByLabel("Justification").fill("Quarterly reporting");
    await page.getByLabel("Access ends on").fill(endDate);
    await page.getByRole("button", { name: "Send invitations" }).click();
    await page.getByRole("heading", { name: "2 of 3 invited" }).waitFor();
    const lines = [];
    for (const email of batch) lines.push(await cellsOf(email));
    expect(lines[0]?.[1]?.startsWith("Invited"), `line 1: ${lines[0]}`);
    expect(lines[1]?.[1]?.startsWith("Not invited: Validation failed"), `line 2: ${lines[1]}`);
    expect(lines[1]?.[2]?.startsWith("email: "), `line 2 does not say what is wrong with the address: ${lines[1]}`);
    expect(lines[2]?.[1]?.startsWith("Invited"), `line 3: ${lines[2]}`);
    for (const [i, cells] of lines.entries()) console.log(`  line ${i + 1} ${batch[i]}: ${cells.slice(1).join(" | ").replace(/\s+/g, " ")}`);
    await axe(page, "invite batch (results)", figures);
  });

  await step("the Overview shows the pending invitation, and links to the list", async () => {
    await orgNav.getByRole("link", { name: "Overview" }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    const pending = page.getByRole("region", { name: "Pending invitations" });
    await pending.getByText(collaborator, { exact: true }).waitFor();
    expect(!(await pending.getByText(other, { exact: true }).isVisible()), "the revoked invitation is listed as pending");
    await page.getByRole("region", { name: "Latest audit events" }).getByText("invitation.revoked").first().waitFor();
    await page.getByRole("region", { name: "Access ending within 14 days" }).getByText("No member's access ends within 14 days.").waitFor();
    await page.getByRole("region", { name: "Emails that bounced or failed" }).getByText("No invitation email bounced or failed.").waitFor();
    await axe(page, "overview (invitations)", figures);
    await pending.getByRole("link", { name: "All pending invitations" }).click();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    await row(collaborator).waitFor();
  });

  await step("Invitations pages with the API's cursor: 20 a page, next and previous", async () => {
    await orgNav.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByRole("link", { name: "Invite up to 10 people at once" }).click();
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByLabel("Access ends on").fill(endDate);
    for (const round of [1, 2]) {
      const emails = Array.from({ length: 10 }, (_, i) => `page${round}-${i}-${run}@partner.example`);
      await page.getByLabel("Email addresses").fill(emails.join("\n"));
      await page.getByRole("button", { name: "Send invitations" }).click();
      // This round's own lines, so the previous round's results cannot pass for them.
      await row(emails[9]).waitFor();
      await page.getByRole("heading", { name: "10 of 10 invited" }).waitFor();
    }
    await orgNav.getByRole("link", { name: "Invitations" }).click();
    await page.getByLabel("Show invitations").selectOption("all");
    const bodyRows = page.locator("tbody tr");
    await page.getByRole("heading", { name: "All invitations" }).waitFor();
    await bodyRows.nth(19).waitFor();
    expect((await bodyRows.count()) === 20, `page 1 has ${await bodyRows.count()} rows`);
    expect((await row(collaborator).count()) === 0, "the oldest invitation is on the first page");
    await page.getByRole("button", { name: "Next page" }).click();
    await row(collaborator).waitFor();
    await page.getByText("Page 2").waitFor();
    const second = await bodyRows.count();
    expect(second >= 5 && second <= 20, `page 2 has ${second} rows`);
    await axe(page, "invitations (all, page 2)", figures);
    expect((await row(`page1-0-${run}@partner.example`).count()) === 0, "page 2 repeats page 1");
    await page.getByRole("button", { name: "Previous page" }).click();
    await row(`page1-0-${run}@partner.example`).waitFor();
    console.log(`  pages: 20 rows, then ${second}`);
  });

  await step("Invitations when the API is unavailable: the error with its wait, then Try again loads; an empty filter says so", async () => {
    // The browser is made to get a 503 for the list (the local stack has no way to fail on purpose).
    const unavailable = (url) => url.pathname.endsWith("/invitations");
    await page.route(unavailable, (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        headers: { "Retry-After": "30" },
        body: JSON.stringify({
          type: "urn:tenure:problem:service_unavailable",
          title: "Service unavailable",
          status: 503,
          detail: "The service is busy.",
          code: "service_unavailable",
        }),
      }));
    await page.getByLabel("Show invitations").selectOption("pending");
    const alert = page.getByRole("alert").filter({ hasText: "Could not load invitations" });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text.includes("The service is busy. Try again in 30 seconds."), `the load error says: ${text}`);
    console.log(`  load error shown: "${text.replace(/\s+/g, " ").trim()}"`);
    await axe(page, "invitations (load error)", figures);
    await page.unroute(unavailable);
    await alert.getByRole("button", { name: "Try again" }).click();
    await page.locator("tbody tr").nth(19).waitFor();
    await page.getByLabel("Show invitations").selectOption("accepted");
    await page.getByText("No accepted invitations.").waitFor();
    await axe(page, "invitations (empty)", figures);
  });

  // Issue 15: typos corrected, the Correct address form, the delivery filter and the audit of corrections.
  let orgId = "";
  const api = await fetchAs(base, admin);
  /** The org's pending invitation to `email`, read through the API. */
  const pendingOf = async (email) => {
    const response = await api(`/orgs/${orgId}/invitations?status=pending&limit=100`);
    expect(response.ok, `GET invitations answered ${response.status}`);
    const found = (await response.json()).items.find((invitation) => invitation.email === email);
    expect(found, `no pending invitation to ${email}`);
    return found;
  };
  const corrected = `page2-9-fixed-${run}@partner.example`;
  const toCorrect = `page2-9-${run}@partner.example`;

  await step("an invite to ana@partnr.example shows the possible_typo warning with the address it probably meant", async () => {
    orgId = new URL(page.url()).pathname.split("/")[3];
    await orgNav.getByRole("link", { name: "Invite", exact: true }).click();
    await h1.filter({ hasText: "Invite a collaborator" }).waitFor();
    await page.locator("#invite-email").fill(typo);
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByLabel("Access ends on").fill(endDate);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${typo}` }).waitFor();
    const warnings = page.locator(".warnings");
    const text = await warnings.innerText();
    expect(text.includes(meant), `the typo warning does not name ${meant}: ${text}`);
    await warnings.getByRole("button", { name: `Use ${meant}`, exact: true }).waitFor();
    console.log(`  warning shown: ${text.replace(/\s+/g, " ")}`);
    await axe(page, "invite (possible typo)", figures);
  });

  await step("\"Use ana@partner.example\" (keyboard) corrects the invitation just sent, and the corrected invitation is shown", async () => {
    const before = await pendingOf(typo);
    // Focus is on the outcome's heading; the suggestion is the next stop for Tab.
    await tabTo(page, "button", `Use ${meant}`, 3);
    expect(await focusVisible(page), "the focused Use button shows no focus ring");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: `Invitation sent to ${meant}` }).waitFor();
    const notice = page.getByRole("status").filter({ hasText: `Corrected the address from ${typo} to ${meant}` });
    await notice.waitFor();
    expect((await page.getByRole("button", { name: `Use ${meant}` }).count()) === 0, "the corrected invitation still offers the suggestion");
    const facts = await page.locator("dl.facts").innerText();
    expect(/Email delivery\s+(Sent|Sending|Delivered) /.test(facts), `the corrected invitation's delivery: ${facts}`);
    const after = await pendingOf(meant);
    expect(after.id === before.id && after.version > before.version && after.sendCount === before.sendCount + 1,
      `the invitation was not corrected in place: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    console.log(`  ${(await notice.innerText()).trim()}`);
    await axe(page, "invite (address corrected)", figures);
  });

  await step("a batch line with a typo: its suggestion corrects that line", async () => {
    await page.getByRole("link", { name: "Invite up to 10 people at once" }).click();
    await h1.filter({ hasText: "Invite several collaborators" }).waitFor();
    await page.getByLabel("Email addresses").fill(batchTypo);
    await page.getByRole("checkbox", { name: /^Web analytics/ }).check();
    await page.getByLabel("Access ends on").fill(endDate);
    await page.getByRole("button", { name: "Send invitations" }).click();
    await page.getByRole("heading", { name: "1 of 1 invited" }).waitFor();
    const use = row(batchTypo).getByRole("button", { name: `Use ${batchMeant}`, exact: true });
    await use.waitFor();
    await axe(page, "invite batch (possible typo)", figures);
    await use.click();
    await row(batchMeant).waitFor();
    const cells = await row(batchMeant).locator("td").allInnerTexts();
    expect(cells[2]?.includes(`Address corrected from ${batchTypo}`), `the corrected line says: ${cells}`);
    expect((await row(batchTypo).count()) === 0, "the line still shows the typo");
    console.log(`  line: ${cells.join(" | ").replace(/\s+/g, " ")}`);
    await axe(page, "invite batch (typo corrected)", figures);
  });

  await step("Invitations lists the corrected addresses, not the typos", async () => {
    await orgNav.getByRole("link", { name: "Invitations" }).click();
    await page.getByRole("heading", { name: "Pending invitations" }).waitFor();
    await row(meant).waitFor();
    await row(batchMeant).waitFor();
    expect((await row(typo).count()) === 0 && (await row(batchTypo).count()) === 0, "a typo is still listed");
  });

  await step("Correct address opens a form under the row with focus on the new address; Escape closes it, focus back on the button", async () => {
    const open = page.getByRole("button", { name: `Correct address of ${toCorrect}` });
    await open.focus();
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: `Correct the address of ${toCorrect}` });
    await form.waitFor();
    await page.waitForFunction(() => document.activeElement?.id?.endsWith("-email") && document.activeElement?.closest("form.correct-address"));
    expect((await open.getAttribute("aria-expanded")) === "true", "the button does not say its form is open");
    await axe(page, "invitations (correct address form)", figures);
    await page.keyboard.press("Escape");
    await form.waitFor({ state: "detached" });
    await page.waitForFunction((name) => document.activeElement?.getAttribute("aria-label") === name, `Correct address of ${toCorrect}`);
  });

  await step("the form's own check and the API's 422 and 409 show beside the fields they are about", async () => {
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: `Correct the address of ${toCorrect}` });
    const email = form.getByLabel("New address");
    const justification = form.getByLabel("Justification");
    const submit = form.getByRole("button", { name: "Correct the address" });
    await email.fill(corrected);
    await submit.click();
    const justificationError = form.locator(".field-error").filter({ hasText: "Say why" });
    await justificationError.waitFor();
    expect(await justification.evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true"), "the justification is not focused and invalid");
    await justification.fill("The address had the wrong page number");
    await email.fill("not-an-address");
    await submit.click();
    const emailError = form.locator(`[id$="-email-error"]`);
    await emailError.waitFor();
    expect((await email.getAttribute("aria-invalid")) === "true" && (await email.getAttribute("aria-describedby"))?.includes("-email-error"), "the address is not marked invalid");
    console.log(`  422 beside the address: "${(await emailError.innerText()).trim()}"`);
    await axe(page, "invitations (correction refused, 422)", figures);
    await email.fill(batch[0]);
    await submit.click();
    await form.locator(`[id$="-email-error"]`).filter({ hasText: batch[0] }).waitFor();
    console.log(`  409 beside the address: "${(await emailError.innerText()).trim()}"`);
    await axe(page, "invitations (correction refused, 409)", figures);
  });

  await step("resent through the API meanwhile: the correction answers 412, the invitation is read again and said; saved again, it is corrected", async () => {
    const before = await pendingOf(toCorrect);
    await advanceClock("PT1M");
    const resent = await api(`/orgs/${orgId}/invitations/${before.id}/resend`, { method: "POST" });
    expect(resent.status === 200, `the API's resend answered ${resent.status}`);
    const now = await pendingOf(toCorrect);
    const form = page.getByRole("form", { name: `Correct the address of ${toCorrect}` });
    await form.getByLabel("New address").fill(corrected);
    await form.getByRole("button", { name: "Correct the address" }).click();
    const stale = form.getByRole("alert").filter({ hasText: "The invitation changed meanwhile" });
    await stale.waitFor();
    const text = await stale.innerText();
    expect(now.version > before.version && text.includes(`version ${now.version}`), `the 412 says: ${text}`);
    console.log(`  412: ${text.trim()}`);
    await axe(page, "invitations (correction 412)", figures);
    await form.getByRole("button", { name: "Correct the address" }).click();
    const notice = page.getByRole("status").filter({ hasText: `Corrected the address from ${toCorrect} to ${corrected}` });
    await notice.waitFor();
    await row(corrected).waitFor();
    expect((await row(toCorrect).count()) === 0, "the old address is still listed");
    const after = await pendingOf(corrected);
    expect(after.id === before.id && after.sendCount === before.sendCount + 2, `after: ${JSON.stringify(after)}`);
    console.log(`  ${(await notice.innerText()).trim()}`);
    await axe(page, "invitations (address corrected)", figures);
  });

  await step("the delivery filter, kept in the URL: delivered, delayed, and none bounced", async () => {
    const delivered = await pendingOf(meant);
    const delayed = await pendingOf(batch[2]);
    await sesEvent("delivery.json", delivered.delivery.messageId);
    await sesEvent("delivery-delay.json", delayed.delivery.messageId);
    await page.getByLabel("Email delivery").selectOption("delivered");
    await page.getByRole("heading", { name: "Pending invitations whose email was delivered" }).waitFor();
    await row(meant).waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get("status") === "pending" && url.searchParams.get("delivery") === "delivered", `the filter is not in the URL: ${page.url()}`);
    let emails = await page.locator("tbody th").allInnerTexts();
    expect(JSON.stringify(emails) === JSON.stringify([meant]), `delivered: ${JSON.stringify(emails)}`);
    const deliveredCell = (await cellsOf(meant))[2] ?? "";
    expect(/^Delivered \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/.test(deliveredCell), `delivery cell: ${deliveredCell}`);
    await axe(page, "invitations (delivered)", figures);
    await page.getByLabel("Email delivery").selectOption("delayed");
    await page.getByRole("heading", { name: "Pending invitations whose email is delayed" }).waitFor();
    await row(batch[2]).waitFor();
    emails = await page.locator("tbody th").allInnerTexts();
    const delayedCell = (await cellsOf(batch[2]))[2] ?? "";
    expect(JSON.stringify(emails) === JSON.stringify([batch[2]]) && delayedCell.startsWith("Delayed: "), `delayed: ${JSON.stringify(emails)}, ${delayedCell}`);
    console.log(`  delivered: ${deliveredCell}; delayed: ${delayedCell}`);
    await axe(page, "invitations (delayed)", figures);
    await page.getByLabel("Email delivery").selectOption("bounced");
    await page.getByText("No pending invitations whose email bounced.").waitFor();
    await axe(page, "invitations (none bounced)", figures);
    // A link to the filtered list opens it as it was.
    await page.goto(`${base}/console/orgs/${orgId}/invitations?status=all&delivery=delayed`);
    await page.getByRole("heading", { name: "All invitations whose email is delayed" }).waitFor();
    await row(batch[2]).waitFor();
    expect((await page.getByLabel("Email delivery").inputValue()) === "delayed" && (await page.getByLabel("Show invitations").inputValue()) === "all",
      "the filters read from the URL are not shown");
  });

  await step("Audit filtered by invitation.address_corrected shows each correction with both addresses and its justification", async () => {
    await orgNav.getByRole("link", { name: "Audit" }).click();
    await h1.filter({ hasText: "Audit" }).waitFor();
    await page.getByLabel("Action").selectOption("invitation.address_corrected");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("heading", { name: "Events matching the filters, newest first" }).waitFor();
    const rows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("rowheader", { name: "invitation.address_corrected", exact: true }) });
    await rows.first().waitFor();
    expect((await page.getByRole("table").getByRole("rowheader").count()) === 3, `${await page.getByRole("table").getByRole("rowheader").count()} corrections listed`);
    const typoRow = await rows.filter({ hasText: `email: ${typo} → ${meant}` }).innerText();
    expect(typoRow.includes(`Corrected a typo: ${typo} → ${meant}`), `the correction's row: ${typoRow}`);
    console.log(`  audit: ${typoRow.replace(/\s+/g, " ")}`);
    await axe(page, "audit (address corrections)", figures);
  });

  await step("no script error and no Content-Security-Policy refusal on the way", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });

  const worst = figures.reduce((n, f) => n + f.serious, 0);
  exitCode = report(figures, tally);
} catch (error) {
  console.log(`FAILED - ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close();
}
process.exit(exitCode);
