// The whole collaborator workflow in the browser, against the running local stack (TENURE_URL), with
// the SES emulator's address in SES_URL (the JUnit test ConsoleWorkflowEndToEndTest sets both):
//   1. an admin signs in and creates an org and a project through the console;
//   2. invites a collaborator with a note and an access end date, and sees the invitation pending;
//   3. resends it: refused within the minute with the wait in words, sent once the stack clock moves a minute;
//   4. the collaborator opens the emailed link in a second browser context: opening it changes nothing
//      (still pending, no member), pressing Accept makes them a member;
//   5. the admin sees the member on Members and on the member page, with the end date and stakeholders;
//   6. extends the access with a justification;
//   7. the stack clock moves until the access ends within 14 days: the Overview lists it;
//   8. removes the member with a reason;
//   9. the Audit shows every step, and its CSV downloads and parses with a row for each.
// Dates come from the stack's clock, which other tests move too. axe-core checks every screen.
// The emailed token is never printed. Exits non-zero on any failure, saying what failed.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { advanceClock, axe, axeSelfCheck, baseUrl, expect, focusVisible, launch, localToken, parseCsv, report, settled, stackNow, steps, tabTo, watch } from "./browser.mjs";

const started = performance.now();
const base = baseUrl();
const ses = (process.env.SES_URL ?? "").replace(/\/+$/, "");
if (!ses) {
  console.error("Set SES_URL to the SES emulator's address (the stack's banner shows it; ConsoleWorkflowEndToEndTest sets it).");
  process.exit(2);
}
const run = randomUUID().slice(0, 8);
const admin = `workflow-admin-${run}@console.example`;
const orgName = `Workflow Org ${run}`;
const project = "Web analytics";
const collaborator = `ana-${run}@partner.example`;
const stakeholder = `lead-${run}@console.example`;
const note = { engagement: "Q1 retention study", reference: "PO-2201", justification: "Builds the retention dashboards" };
const extension = "Extended for the Q2 follow-up, \"phase 2\", per PO-2201";
const reason = "Engagement finished, report delivered";
const figures = [];
const problems = [];

// The emailed link is a credential: whatever this script prints (step failures quote URLs and page text) has it masked.
let token = "";
for (const stream of ["log", "error"]) {
  const print = console[stream].bind(console);
  console[stream] = (...parts) => print(...parts.map((part) => (typeof part === "string" && token ? part.split(token).join("<token>") : part)));
}

const day = (date) => date.toISOString().slice(0, 10);
const dayFrom = (now, days) => day(new Date(now.getTime() + days * 86_400_000));
/** A day as the accept page writes an access end: "5 January 2027, 00:00 UTC". */
const human = (isoDay) =>
  `${new Date(`${isoDay}T00:00:00Z`).toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" })}, 00:00 UTC`;

/** The API as the admin's own session would call it (a token of its own, never printed). */
async function apiAs(email) {
  const bearer = await localToken(base, email);
  return async (path) => {
    const answer = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(answer.ok, `GET ${path} answered ${answer.status}`);
    return answer.json();
  };
}

/** The emails SES received for `address`, oldest first: the emulator's /store, or LocalStack's /_aws/ses. */
async function emailsTo(address) {
  let emails;
  const store = await fetch(`${ses}/store`);
  if (store.ok) {
    emails = ((await store.json()).emails ?? []).map((e) => ({ to: e.destination?.to ?? [], text: e.body?.text ?? "" }));
  } else {
    const aws = await fetch(`${ses}/_aws/ses`);
    expect(aws.ok, `the SES emulator answered ${store.status} at /store and ${aws.status} at /_aws/ses`);
    emails = ((await aws.json()).messages ?? []).map((m) => ({ to: m.Destination?.ToAddresses ?? [], text: m.Body?.text_part ?? "" }));
  }
  return emails.filter((e) => e.to.some((to) => String(to).toLowerCase().includes(address.toLowerCase())));
}

const LINK = /https?:\/\/[^\s"<>]+\/invitations\/accept\?token=[A-Za-z0-9_-]{43}/g;

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  watch(page, problems);
  const { step, tally } = steps(page, () => [token]);
  const h1 = page.locator("h1");
  const nav = () => page.getByRole("navigation", { name: orgName });
  const invitationRow = () => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: collaborator, exact: true }) });
  const section = (name) => page.getByRole("region", { name });
  let api;
  let orgId = "";
  let invitationId = "";
  let memberId = "";
  let endDate = "";
  let extendedTo = "";
  let sendsBefore = 0;
  let link = "";
  let collaboratorPage;

  await step("axe-core finds a planted violation, so its clean results mean something", async () => {
    await axeSelfCheck(page);
  });

  // 1. Sign in, an org and a project, through the console.
  await step("1. the admin signs in with an email, keyboard only", async () => {
    const response = await page.goto(`${base}/console/`, { timeout: 30_000 });
    expect(response?.status() === 200, `GET /console/ answered ${response?.status()}`);
    await h1.filter({ hasText: "Sign in" }).waitFor();
    await axe(page, "sign-in", figures);
    await tabTo(page, "#sign-in-email");
    expect(await focusVisible(page), "the focused email field shows no focus ring");
    await page.keyboard.type(admin);
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: "Organizations" }).waitFor();
    await page.getByText(admin).first().waitFor();
    await page.getByText("You are not a member of any organization yet").waitFor();
    await axe(page, "orgs (empty)", figures);
  });

  await step("1. the admin creates an org, keyboard only, and opens it", async () => {
    await tabTo(page, "#create-org-name");
    await page.keyboard.type(orgName);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: `Created ${orgName}` }).waitFor();
    await page.getByRole("link", { name: orgName }).waitFor();
    await axe(page, "orgs (org created)", figures);
    await tabTo(page, "a", orgName);
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: orgName }).waitFor();
    orgId = new URL(page.url()).pathname.split("/")[3];
    expect(/^org_[0-9A-Z]{26}$/.test(orgId), `unexpected URL ${page.url()}`);
    await page.getByText("No projects yet.").waitFor();
    await axe(page, "overview (new org)", figures);
  });

  await step("1. the admin creates a project, and it is listed", async () => {
    await page.getByLabel("Project name").fill(project);
    await page.getByLabel("Platform").selectOption("web");
    await page.getByRole("button", { name: "Create project" }).click();
    const row = page.getByRole("row").filter({ hasText: project });
    await row.waitFor();
    expect((await row.innerText()).includes("web"), `the project row does not show its platform: ${await row.innerText()}`);
    await axe(page, "overview (project created)", figures);
  });

  // 2. The invitation, with a note and an access end date, then pending on Invitations.
  await step("2. the admin invites the collaborator with a project role, a note, an end date and a stakeholder", async () => {
    const now = await stackNow(base);
    endDate = dayFrom(now, 20);
    await nav().getByRole("link", { name: "Invite", exact: true }).click();
    await h1.filter({ hasText: "Invite a collaborator" }).waitFor();
    await page.getByRole("checkbox", { name: new RegExp(`^${project}`) }).waitFor();
    await axe(page, "invite (empty)", figures);
    await page.locator("#invite-email").fill(collaborator);
    await page.getByRole("checkbox", { name: new RegExp(`^${project}`) }).check();
    await page.getByLabel(`Role on ${project}`).selectOption("analyst");
    await page.getByLabel("Engagement").fill(note.engagement);
    await page.getByLabel("Reference").fill(note.reference);
    await page.getByLabel("Justification").fill(note.justification);
    await page.getByLabel("Access ends on").fill(endDate);
    await page.getByLabel("Stakeholders").fill(stakeholder);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${collaborator}` }).waitFor();
    const facts = await page.locator("dl.facts").innerText();
    expect(/Status\s+pending/.test(facts), `the outcome does not say pending: ${facts}`);
    expect(facts.includes(`${endDate} 00:00 UTC`), `the outcome does not show the end date ${endDate}: ${facts}`);
    expect(facts.includes(`${project}: analyst`), `the outcome does not show the project role: ${facts}`);
    console.log(`  stack now ${now.toISOString()}; outcome: ${facts.replace(/\s+/g, " ")}`);
    await axe(page, "invite (sent)", figures);
  });

  await step("2. the Invitations screen lists the invitation pending, sent once", async () => {
    await page.getByRole("link", { name: "See pending invitations" }).click();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    // The project's name comes with the org's projects, which may load after the invitations.
    await invitationRow().filter({ hasText: `${project}: analyst` }).waitFor();
    const cells = await invitationRow().locator("td").allInnerTexts();
    expect(cells[0] === `member · ${project}: analyst`, `roles cell: ${cells[0]}`);
    expect(cells[1] === "pending", `status cell: ${cells[1]}`);
    expect(cells[3]?.startsWith("1 time"), `sent cell: ${cells[3]}`);
    console.log(`  row: ${cells.slice(0, 5).join(" | ").replace(/\s+/g, " ")}`);
    await axe(page, "invitations (pending)", figures);
    api = await apiAs(admin);
    const pending = await api(`/orgs/${orgId}/invitations?status=pending`);
    const invitation = pending.items.find((i) => i.email === collaborator);
    expect(invitation, `the API lists no pending invitation to ${collaborator}`);
    invitationId = invitation.id;
    expect(invitation.note?.engagement === note.engagement && invitation.note?.reference === note.reference && invitation.note?.justification === note.justification,
      `the invitation's note: ${JSON.stringify(invitation.note)}`);
    sendsBefore = (await emailsTo(collaborator)).length;
    expect(sendsBefore === 1, `${sendsBefore} emails to the collaborator after the invitation`);
  });

  // 3. Resend: refused within the minute, sent once the stack clock moved a minute.
  /** The list's reload that follows a resend: its GET answered and rendered (the table is gone while it loads). */
  const listReloaded = () => {
    const answered = page.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).pathname.endsWith(`/orgs/${orgId}/invitations`));
    return async () => {
      await answered;
      await invitationRow().waitFor();
    };
  };

  await step("3. a resend within the minute is refused with the wait in words, keyboard only", async () => {
    const resend = page.getByRole("button", { name: `Resend to ${collaborator}` });
    await resend.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Yes, resend" }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Yes, resend");
    await axe(page, "invitations (confirm resend)", figures);
    const reloaded = listReloaded();
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: `Could not resend to ${collaborator}` });
    await alert.waitFor();
    await reloaded();
    const text = await alert.innerText();
    expect(/try again in \d+ (seconds?|minutes?)/i.test(text), `the refusal does not say the wait in words: ${text}`);
    // A keyboard or screen reader user is taken to the refusal.
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "alert");
    expect((await invitationRow().locator("td").nth(3).innerText()).startsWith("1 time"), "the refused resend counted as a send");
    console.log(`  refusal shown: "${text.trim()}"`);
    await axe(page, "invitations (resend refused)", figures);
  });

  await step("3. a minute later on the stack clock the resend goes out: send 2, a second email, keyboard only", async () => {
    const now = await advanceClock(base, "PT1M");
    // From the refusal, which has focus, Tab reaches the row's Resend.
    await tabTo(page, `[aria-label="Resend to ${collaborator}"]`);
    expect(await focusVisible(page), "the focused Resend shows no focus ring");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.textContent === "Yes, resend");
    const reloaded = listReloaded();
    await page.keyboard.press("Enter");
    const status = page.getByRole("status").filter({ hasText: `Sent again to ${collaborator}` });
    await status.waitFor();
    await reloaded();
    expect((await status.innerText()).includes("send 2"), `the notice does not say the send count: ${await status.innerText()}`);
    // The list keeps showing the old rows while it reloads, so wait for the row to say so.
    const sentCell = invitationRow().locator("td").nth(3);
    await sentCell.filter({ hasText: /^2 times/ }).waitFor().catch(async () => {
      throw new Error(`sent cell after the resend: ${await sentCell.innerText()}`);
    });
    console.log(`  stack now ${now.toISOString()}; ${(await status.innerText()).trim()}`);
    await axe(page, "invitations (resent)", figures);
  });

  // 4. The collaborator, in a second browser context.
  await step("4. the newest emailed link is read from the SES emulator", async () => {
    const deadline = Date.now() + 10_000;
    let links = [];
    // Bounded polling of the emulator (no fixed sleep): each round is one request.
    while (Date.now() < deadline) {
      const emails = await emailsTo(collaborator);
      links = emails.flatMap((e) => e.text.match(LINK) ?? []);
      if (emails.length > sendsBefore && links.length >= 2) break;
    }
    expect(links.length === 2, `${links.length} invitation links emailed to the collaborator, expected 2 (the invitation and the resend)`);
    link = links[links.length - 1];
    token = new URL(link).searchParams.get("token") ?? "";
    expect(token.length === 43, "the link has no token");
    expect(link.startsWith(`${base}/invitations/accept?token=`), `the link points at ${link.slice(0, link.indexOf("?"))}, not this stack`);
  });

  await step("4. opening the link in a second browser context shows the invitation", async () => {
    collaboratorPage = await (await browser.newContext()).newPage();
    watch(collaboratorPage, problems);
    const response = await collaboratorPage.goto(link, { timeout: 30_000 });
    expect(response?.status() === 200, `the link answered ${response?.status()}`);
    const heading = (await collaboratorPage.locator("h1").innerText()).trim();
    expect(heading === `${admin} invited you to join ${orgName}`, `heading: ${heading}`);
    const text = (await collaboratorPage.locator("main").innerText()).replace(/\s+/g, " ");
    expect(text.includes(`The invitation is for ${collaborator}`), `the page does not name the address: ${text}`);
    expect(text.includes("Nothing changes until you press Accept."), `the page does not say that opening it changes nothing: ${text}`);
    const details = await collaboratorPage.locator("dl").evaluate((dl) =>
      Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.trim()])));
    expect(details["Engagement"] === note.engagement, `engagement: ${details["Engagement"]}`);
    expect(details["Access ends"] === human(endDate), `access ends: ${details["Access ends"]}, expected ${human(endDate)}`);
    expect(!(await collaboratorPage.content()).includes(token), "the page shows the link's token");
    console.log(`  invitation page: ${text}`);
    await axe(collaboratorPage, "accept page (invitation)", figures);
  });

  await step("4. opening it changed nothing: the invitation is still pending (API and console), no member yet", async () => {
    const invitation = await api(`/orgs/${orgId}/invitations/${invitationId}`);
    expect(invitation.status === "pending", `after opening the link the invitation is ${invitation.status}`);
    const members = await api(`/orgs/${orgId}/members?limit=100`);
    expect(!members.items.some((m) => m.email === collaborator), "the collaborator is a member before accepting");
    await page.reload();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    await invitationRow().waitFor();
    expect((await invitationRow().locator("td").nth(1).innerText()) === "pending", "the console no longer shows the invitation pending");
  });

  await step("4. Tab to Accept invitation and press Enter: the welcome page; the invitation is accepted and a member exists", async () => {
    await tabTo(collaboratorPage, "button", "Accept invitation");
    expect(await focusVisible(collaboratorPage), "Accept has focus but no visible focus ring");
    const posted = collaboratorPage.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/invitations/accept");
    const loaded = collaboratorPage.waitForEvent("load");
    await collaboratorPage.keyboard.press("Enter");
    const response = await posted;
    await loaded;
    expect(response.status() === 200, `Accept answered ${response.status()}`);
    const heading = (await collaboratorPage.locator("h1").innerText()).trim();
    expect(heading === `You have joined ${orgName}`, `heading: ${heading}`);
    const text = (await collaboratorPage.locator("main").innerText()).replace(/\s+/g, " ");
    expect(text.includes(`Your access for ${collaborator} is active.`), `the welcome says: ${text}`);
    console.log(`  welcome page: ${text}`);
    await axe(collaboratorPage, "accept page (welcome)", figures);
    const invitation = await api(`/orgs/${orgId}/invitations/${invitationId}`);
    expect(invitation.status === "accepted", `after Accept the invitation is ${invitation.status}`);
    const members = await api(`/orgs/${orgId}/members?limit=100`);
    const member = members.items.find((m) => m.email === collaborator);
    expect(member?.status === "active", `the member after Accept: ${JSON.stringify(member)}`);
    memberId = member.id;
    await page.reload();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    await page.getByText("No pending invitations.").waitFor();
    await page.getByLabel("Show invitations").selectOption("accepted");
    await invitationRow().waitFor();
    expect((await invitationRow().locator("td").nth(1).innerText()) === "accepted", "the console does not show the invitation accepted");
    await axe(page, "invitations (accepted)", figures);
    await collaboratorPage.context().close();
  });

  // 5. The member, seen by the admin.
  await step("5. Members lists the collaborator with the access end", async () => {
    await nav().getByRole("link", { name: "Members" }).click();
    await h1.filter({ hasText: "Members" }).waitFor();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: collaborator }) });
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    // Org role, project roles, access ends, last activity.
    expect(cells[0] === "member", `org role cell: ${cells[0]}`);
    await page.waitForFunction(([email, text]) => {
      const header = [...document.querySelectorAll("tbody th")].find((th) => th.textContent?.trim() === email);
      return header?.parentElement?.children[2]?.textContent === text;
    }, [collaborator, `${project}: analyst`]);
    expect(cells[2] === `${endDate} 00:00 UTC`, `access ends cell: ${cells[2]}, expected ${endDate} 00:00 UTC`);
    console.log(`  row: ${collaborator} | ${(await row.locator("td").allInnerTexts()).join(" | ")}`);
    await axe(page, "members", figures);
  });

  await step("5. the member page shows the end date, the stakeholders, the roles and the note's engagement", async () => {
    await page.getByRole("link", { name: collaborator }).click();
    await h1.filter({ hasText: collaborator }).waitFor();
    expect(new URL(page.url()).pathname.endsWith(`/members/${memberId}`), `unexpected URL ${page.url()}`);
    await page.getByRole("definition").filter({ hasText: `${project}: analyst` }).waitFor();
    const facts = await page.locator("dl.facts").evaluate((dl) =>
      Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.trim()])));
    expect(facts["Status"] === "active", `status: ${facts["Status"]}`);
    expect(facts["Access ends"] === `${endDate} 00:00 UTC`, `access ends: ${facts["Access ends"]}`);
    expect(facts["Stakeholders"] === stakeholder, `stakeholders: ${facts["Stakeholders"]}`);
    expect(facts["Invited by"] === admin, `invited by: ${facts["Invited by"]}`);
    expect(facts["Engagement"] === note.engagement, `engagement: ${facts["Engagement"]}`);
    console.log(`  member: ${JSON.stringify(facts)}`);
    await axe(page, "member", figures);
  });

  // 6. The extension.
  await step("6. the admin extends the access with a justification, saving with the keyboard", async () => {
    extendedTo = dayFrom(new Date(`${endDate}T00:00:00Z`), 10);
    await page.getByLabel("Access ends on").fill(extendedTo);
    await page.getByLabel("Justification").fill(extension);
    await tabTo(page, "button", "Save changes");
    expect(await focusVisible(page), "Save changes has focus but no visible focus ring");
    await page.keyboard.press("Enter");
    const saved = page.getByRole("status").filter({ hasText: "Saved (version 2)" });
    await saved.waitFor();
    expect((await saved.innerText()).includes(`Access ends ${extendedTo} 00:00 UTC`), `the notice says: ${await saved.innerText()}`);
    const facts = await page.getByRole("definition").allInnerTexts();
    expect(facts.includes(`${extendedTo} 00:00 UTC`), `the facts after saving: ${JSON.stringify(facts)}`);
    console.log(`  ${(await saved.innerText()).trim()}`);
    await axe(page, "member (extended)", figures);
  });

  // 7. The clock moves until the access ends within 14 days.
  await step("7. the Overview does not list the access as ending yet", async () => {
    await nav().getByRole("link", { name: "Overview" }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    const ending = section("Access ending within 14 days");
    await ending.getByText("No member's access ends within 14 days.").waitFor();
  });

  await step("7. the stack clock moves until 10 days are left: the Overview lists the member with the end and the stakeholders", async () => {
    const now = await stackNow(base);
    const left = new Date(`${extendedTo}T00:00:00Z`).getTime() - now.getTime();
    const advance = Math.ceil((left - 10 * 86_400_000) / 1000);
    expect(advance > 0, `the access already ends within 10 days (stack now ${now.toISOString()}, end ${extendedTo})`);
    const moved = await advanceClock(base, `PT${advance}S`);
    console.log(`  stack clock moved ${(advance / 86_400).toFixed(2)} days: ${now.toISOString()} -> ${moved.toISOString()}`);
    await page.reload();
    await h1.filter({ hasText: orgName }).waitFor();
    const ending = section("Access ending within 14 days");
    await ending.getByRole("link", { name: collaborator }).waitFor();
    const text = (await ending.innerText()).replace(/\s+/g, " ");
    expect(text.includes(`access ends ${extendedTo} 00:00 UTC`), `the end is not shown: ${text}`);
    expect(text.includes(`stakeholders ${stakeholder}`), `the stakeholders are not shown: ${text}`);
    console.log(`  access ending: ${text}`);
    await axe(page, "overview (access ending)", figures);
  });

  // 8. The removal.
  await step("8. the admin removes the member with a reason, from the Overview's link; Members and the Overview no longer list them", async () => {
    await settled(page);
    await section("Access ending within 14 days").getByRole("link", { name: collaborator }).click();
    await h1.filter({ hasText: collaborator }).waitFor();
    const open = page.getByRole("button", { name: `Remove ${collaborator}…` });
    await open.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "member-remove-reason");
    await page.keyboard.type(reason);
    await axe(page, "member (confirm removal)", figures);
    await tabTo(page, "button", "Yes, remove");
    await page.keyboard.press("Enter");
    const removed = page.getByRole("status").filter({ hasText: `Removed ${collaborator}` });
    await removed.waitFor();
    expect((await removed.innerText()).includes(`Reason recorded: ${reason}`), `the notice says: ${await removed.innerText()}`);
    await page.getByText("This member was removed; their access has ended.").waitFor();
    const facts = await page.locator("dl.facts").evaluate((dl) =>
      Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.trim()])));
    expect(facts["Status"] === "removed", `status after removal: ${facts["Status"]}`);
    console.log(`  ${(await removed.innerText()).trim()}`);
    await axe(page, "member (removed)", figures);
    await nav().getByRole("link", { name: "Members" }).click();
    // The admin (the org's creator) is listed once the list has loaded; the removed member is not.
    await page.getByRole("rowheader", { name: admin, exact: true }).waitFor();
    expect((await page.getByRole("rowheader", { name: collaborator, exact: true }).count()) === 0, "the removed member is still listed");
    await nav().getByRole("link", { name: "Overview" }).click();
    await section("Access ending within 14 days").getByText("No member's access ends within 14 days.").waitFor();
  });

  // 9. The audit trail and its CSV.
  const expectedActions = ["org.created", "project.created", "invitation.created", "invitation.resent", "invitation.accepted", "member.updated", "member.removed"];
  let shownEvents = 0;
  await step("9. the Audit screen shows every step, by whom and about what", async () => {
    await nav().getByRole("link", { name: "Audit" }).click();
    await h1.filter({ hasText: "Audit" }).waitFor();
    const rows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("rowheader") });
    await rows.filter({ has: page.getByRole("rowheader", { name: "member.removed", exact: true }) }).waitFor();
    // The org's events fit one page: no pager is offered, so every event is in the table.
    expect((await page.getByRole("navigation", { name: "Audit pages" }).count()) === 0, "the org's events do not fit one page");
    const events = await rows.evaluateAll((trs) => trs.map((tr) => ({ action: tr.querySelector("th").textContent.trim(), cells: [...tr.cells].map((c) => c.innerText.trim()) })));
    shownEvents = events.length;
    const actions = events.map((e) => e.action);
    for (const action of expectedActions) expect(actions.includes(action), `no ${action} event on the Audit screen: ${JSON.stringify(actions)}`);
    const byAction = (action) => events.filter((e) => e.action === action);
    expect(byAction("invitation.resent").length === 1, `${byAction("invitation.resent").length} invitation.resent events (one resend went out, one was refused)`);
    const accepted = byAction("invitation.accepted")[0].cells.join(" | ");
    expect(accepted.includes(invitationId), `the acceptance row: ${accepted}`);
    const updated = byAction("member.updated")[0].cells.join(" | ");
    expect(updated.includes(memberId) && updated.includes(extension) && updated.includes(extendedTo), `the extension row: ${updated}`);
    const removed = byAction("member.removed")[0].cells.join(" | ");
    expect(removed.includes(memberId) && removed.includes(reason) && removed.includes(admin), `the removal row: ${removed}`);
    for (const e of events) console.log(`  ${e.cells.join(" | ").replace(/\s+/g, " ")}`);
    await axe(page, "audit", figures);
  });

  await step("9. Audit's CSV downloads and parses (quoted cells included), with a row for every step", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download as CSV" }).click()]);
    expect(download.suggestedFilename() === `audit-${orgId}.csv`, `file name ${download.suggestedFilename()}`);
    const [header, ...records] = parseCsv(readFileSync(await download.path(), "utf8"));
    expect(header.join(",") === "id,at,actorType,actorId,actorEmail,action,targetType,targetId,changes,note,requestId,sourceIp,userAgent,seq,prevHash,hash", `header: ${header}`);
    expect(records.every((r) => r.length === header.length), `rows of another width: ${JSON.stringify(records.filter((r) => r.length !== header.length))}`);
    expect(records.length === shownEvents, `${records.length} rows in the CSV, ${shownEvents} events on the screen`);
    const at = (name) => header.indexOf(name);
    const rowOf = (action) => {
      const found = records.filter((r) => r[at("action")] === action);
      expect(found.length >= 1, `no ${action} row in the CSV`);
      return found[0];
    };
    for (const action of expectedActions) rowOf(action);
    const org = rowOf("org.created");
    expect(org[at("targetId")] === orgId && org[at("actorEmail")] === admin, `org.created row: ${JSON.stringify(org)}`);
    for (const action of ["invitation.created", "invitation.resent", "invitation.accepted"]) {
      expect(rowOf(action)[at("targetId")] === invitationId, `${action} row: ${JSON.stringify(rowOf(action))}`);
    }
    expect(rowOf("invitation.created")[at("actorEmail")] === admin, `invitation.created row: ${JSON.stringify(rowOf("invitation.created"))}`);
    const updated = rowOf("member.updated");
    // The justification holds quotes and commas: the parsed cell is exactly the text saved.
    expect(updated[at("targetId")] === memberId && updated[at("note")] === extension && updated[at("changes")].includes(extendedTo),
      `member.updated row: ${JSON.stringify(updated)}`);
    const removed = rowOf("member.removed");
    expect(removed[at("targetId")] === memberId && removed[at("note")] === reason && removed[at("actorEmail")] === admin,
      `member.removed row: ${JSON.stringify(removed)}`);
    await page.getByRole("status").filter({ hasText: `Downloaded audit-${orgId}.csv (${records.length} events` }).waitFor();
    for (const r of records) console.log(`  csv: ${r[at("action")]} ${r[at("targetType")]} ${r[at("targetId")]} by ${r[at("actorEmail")] || r[at("actorType")]}${r[at("note")] ? ` "${r[at("note")]}"` : ""}`);
    await axe(page, "audit (CSV downloaded)", figures);
  });

  await step("no script error and no Content-Security-Policy refusal on the way", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });

  for (const f of figures) {
    console.log(`axe figures ${f.screen}: critical ${f.impacts.critical}, serious ${f.impacts.serious}, moderate ${f.impacts.moderate}, ` +
      `minor ${f.impacts.minor}; ${f.passes} rules passed`);
  }
  console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  exitCode = report(figures, tally);
} catch (error) {
  console.log(`FAILED - ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close();
}
process.exit(exitCode);
