// Screenshots of every console screen, of the collaborator's accept page and of each kind of email,
// against a running local stack (TENURE_URL; its SES emulator at SES_URL, default http://127.0.0.1:8005).
// The data is made here through the public API: the org Northwind Analytics with three projects, an
// admin colleague, collaborators with end dates and stakeholders, pending invitations (one resent,
// one expired, one revoked), an invitation with a warning and a batch through the console. The
// emails come from driving the stack: its clock moves forward (POST /_local/clock, never back; other
// tests share it, so every date is computed from GET /_local/clock) and the schedules run
// (POST /_local/schedules/{id}). Each email's HTML, as the SES emulator received it, is shown in the
// browser with page.setContent.
//
//   node e2e/screenshots.mjs [output folder]     (default: console/target/screenshots/)
//   npm run screenshots                          (writes ../docs/images, the README's images)
//
// Prints one line per image, and "N passed, 0 failed" at the end. No API key secret is ever shown:
// the one key made here is checked to be absent from the page before each screenshot.
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { axe, axeSelfCheck, baseUrl, expect, launch, report, steps, watch } from "./browser.mjs";

const base = baseUrl();
const sesUrl = (process.env.SES_URL || "http://127.0.0.1:8005").replace(/\/+$/, "");
// The message id in events/email/bounce.json, replaced by the one SES gave the invitation's email.
const SAMPLE_MESSAGE_ID = "0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000";
const out = resolve(process.argv[2] ?? new URL("../target/screenshots/", import.meta.url).pathname);
const DAY = 86_400_000;
const VIEWPORT = { width: 1280, height: 800 };
const EMAIL_VIEWPORT = { width: 760, height: 360 }; // full-page shots: as tall as each email

const org = "Northwind Analytics";
const admin = "morgan.reyes@northwind.example";
const colleague = "priya.nair@northwind.example";
const lead = "sam.lee@northwind.example";
const people = {
  ana: "ana.lima@partner.example", // Web storefront analyst, access ends in 45 days: the 30-day check-in
  ben: "ben.okafor@partner.example", // iOS app viewer, access ends in 10 days: on the Overview, then ended
  chloe: "chloe.martin@partner.example", // Data warehouse analyst, ends in 20 days: the 14- and 7-day warnings
  dev: "dev.patel@partner.example", // pending: the 72-hour reminder, then expired
  eva: "eva.schmidt@partner.example", // pending, resent; her link is the accept page shown
  finn: "finn.berg@partner.example", // a one-day link: expired
  gus: "gus.rossi@partner.example", // revoked
  anaAgain: "ana.lima+reports@partner.example", // pending: a +tag variant of ana's address, in the duplicates report
  hana: "hana.kim@partner.example", // invited in the console with no end date: the warning
  kai: "kai.tanaka@partnre.example", // a mistyped domain: the email bounces (on the Overview), the bounce notice and the 72-hour "has not reached them"
  batch: ["ivan.petrov@partner.example", "not-an-address", "jo.walsh@partner.example"],
};

const secrets = [];
const problems = [];
const figures = [];
const images = [];

async function json(response, what) {
  const text = await response.text();
  expect(response.ok, `${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

async function local(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  return json(await fetch(`${base}/_local/${path}`, init), `${init.method ?? "GET"} /_local/${path}`);
}

async function stackNow() {
  return new Date((await local("clock")).now);
}

/** Moves the stack clock forward to `when` (never back: it stays if the clock is already past it). */
async function moveClockTo(when) {
  if (when.getTime() > (await stackNow()).getTime()) await local("clock", { set: when.toISOString() });
}

async function runSchedules() {
  for (const id of ["ExpirySweepSchedule", "RemindersSchedule"]) await local(`schedules/${id}`, {});
}

/** The API as `email` (a local sign-in token, never printed). */
async function apiAs(email) {
  const { token } = await local("token", { email });
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return json(response, `${method} ${path}`);
  };
}

/** Every email SES received: the emulator's GET /store, or LocalStack's GET /_aws/ses in the emulator's shape. */
async function mailbox() {
  let response;
  try {
    response = await fetch(`${sesUrl}/store`);
  } catch (error) {
    throw new Error(`no SES emulator at ${sesUrl} (${error.cause?.code ?? error.message}): set SES_URL to the address local/run prints as "SES emulator"`);
  }
  if (response.ok) return (await response.json()).emails ?? [];
  const messages = (await json(await fetch(`${sesUrl}/_aws/ses`), `GET ${sesUrl}/_aws/ses`)).messages ?? [];
  return messages.map((m) => ({
    messageId: m.Id,
    destination: { to: m.Destination?.ToAddresses ?? [], cc: m.Destination?.CcAddresses ?? [] },
    subject: m.Subject,
    body: { html: m.Body?.html_part, text: m.Body?.text_part },
  }));
}

let seen = 0; // emails in the mailbox before this run: older runs' emails to the same people are not used

/** The newest email of this run to `address` whose subject matches, waiting (bounded) while `nudge` runs. */
async function newestEmail(address, subject, nudge = async () => {}) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const emails = (await mailbox()).slice(seen);
    const found = emails.filter((e) => (e.destination?.to ?? []).some((to) => to.toLowerCase().includes(address)) && subject.test(e.subject ?? ""));
    if (found.length > 0) return found[found.length - 1];
    await nudge();
  }
  throw new Error(`no email to ${address} with a subject like ${subject}`);
}

/** The accept token in the newest invitation email to `address`. */
async function tokenFor(address) {
  const email = await newestEmail(address, /invited you to .* on Tenure$/);
  const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]{43})/.exec(email.body?.text ?? "");
  expect(match, `no accept link in the email to ${address}`);
  return match[1];
}

function escaped(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function dayAfter(now, days) {
  return new Date(now.getTime() + days * DAY);
}

/** The start of the calendar quarter after `now` (UTC), when the quarterly access review is due. */
function nextQuarter(now) {
  const month = Math.floor(now.getUTCMonth() / 3) * 3 + 3;
  return new Date(Date.UTC(now.getUTCFullYear() + (month > 11 ? 1 : 0), month % 12, 1));
}

/** Saves a screenshot of the page (or of `target`, one of its elements), after checking no API key secret shows. */
async function save(page, name, options = {}, target = page) {
  const text = await page.locator("body").innerText();
  for (const secret of secrets) expect(!text.includes(secret) && !(await page.content()).includes(secret), `${name} would show an API key secret`);
  const file = `${out}/${name}.png`;
  await target.screenshot({ path: file, ...options });
  images.push(name);
  console.log(`image ${name}.png ${Math.round(statSync(file).size / 1024)} KB`);
}

let browser;
let exitCode = 1;
try {
  mkdirSync(out, { recursive: true });
  browser = await launch();
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  watch(page, problems);
  const { step, tally } = steps(page, () => secrets);
  const h1 = page.locator("h1");
  const nav = page.getByRole("navigation", { name: org });
  const region = (name) => page.getByRole("region", { name });
  const row = (email) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: email, exact: true }) });
  let t0;
  let orgId;
  let api;
  const projects = {};
  const invitationIds = {};

  await step("axe-core finds a planted violation", async () => {
    await axeSelfCheck(page);
  });

  await step("the org, its projects, members, invitations and an API key, made through the API", async () => {
    seen = (await mailbox()).length;
    t0 = await stackNow();
    const at = (days) => dayAfter(t0, days).toISOString().replace(/\.\d+Z$/, "Z");
    api = await apiAs(admin);
    orgId = (await api("POST", "/orgs", {
      name: org,
      settings: {
        internalDomains: ["northwind.example"],
        supportContact: "it-help@northwind.example",
        loginUrl: "https://app.northwind.example/login",
        welcomeLinks: [{ title: "Analyst handbook", url: "https://docs.northwind.example/handbook" }],
        defaultStakeholders: [lead],
      },
    })).id;
    await api("POST", "/orgs", { name: "Northwind Labs" });
    for (const [name, platform] of [["Web storefront", "web"], ["iOS app", "ios"], ["Data warehouse", "web"]]) {
      projects[name] = (await api("POST", `/orgs/${orgId}/projects`, { name, platform, environment: "production" })).id;
    }
    const invite = async (email, body) => {
      const made = await api("POST", `/orgs/${orgId}/invitations`, { email, orgRole: "member", ...body });
      invitationIds[email] = made.id;
      return made;
    };
    const role = (name, r) => ({ projects: [{ projectId: projects[name], role: r }] });
    const accept = async (email) => json(await fetch(`${base}/invitations/accept`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: await tokenFor(email) }),
    }), `accepting the invitation of ${email}`);

    await invite(colleague, { orgRole: "admin", projects: [] });
    await invite(people.ana, { ...role("Web storefront", "analyst"), accessEndsAt: at(45), stakeholders: [lead],
      note: { engagement: "Checkout funnel study", reference: "SOW-2027-014", justification: "Builds the conversion dashboards" } });
    await invite(people.ben, { ...role("iOS app", "viewer"), accessEndsAt: at(10), stakeholders: [lead],
      note: { engagement: "App store review", reference: "SOW-2027-019", justification: "Reviews the release metrics" } });
    await invite(people.chloe, { ...role("Data warehouse", "analyst"), accessEndsAt: at(20), stakeholders: [lead],
      note: { engagement: "Warehouse migration", reference: "SOW-2027-022", justification: "Checks the migrated tables" } });
    for (const email of [colleague, people.ana, people.ben, people.chloe]) await accept(email);
    // Signed in once each: the members list and the check-in show a last activity.
    for (const email of [people.ana, people.ben, colleague]) await (await apiAs(email))("GET", "/me");

    await invite(people.dev, { ...role("Web storefront", "viewer"), accessEndsAt: at(60), expiresInDays: 7,
      note: { engagement: "Checkout funnel study", reference: "SOW-2027-014", justification: "Reads the funnel reports" } });
    await invite(people.eva, { ...role("Data warehouse", "analyst"), accessEndsAt: at(90), expiresInDays: 14,
      note: { engagement: "Warehouse migration", reference: "SOW-2027-022", justification: "Validates the nightly loads" } });
    await invite(people.finn, { ...role("iOS app", "viewer"), accessEndsAt: at(30), expiresInDays: 1 });
    await invite(people.gus, { ...role("Web storefront", "viewer"), accessEndsAt: at(30) });
    await api("DELETE", `/orgs/${orgId}/invitations/${invitationIds[people.gus]}`);
    // SES's bounce for it, as the configuration set's events reach EmailEventsFunction in AWS.
    const mistyped = await invite(people.kai, { ...role("Data warehouse", "viewer"), accessEndsAt: at(30), expiresInDays: 7 });
    const bounce = readFileSync(new URL("../../events/email/bounce.json", import.meta.url), "utf8")
      .replaceAll(SAMPLE_MESSAGE_ID, mistyped.delivery.messageId);
    const recorded = await fetch(`${base}/_local/invoke/EmailEventsFunction`, { method: "POST", body: bounce });
    expect(recorded.ok && (await recorded.text()).includes("recorded"), `the bounce was not recorded: HTTP ${recorded.status}`);
    await invite(people.anaAgain, { ...role("Web storefront", "viewer"), accessEndsAt: at(45), expiresInDays: 14 });

    const key = await api("POST", `/orgs/${orgId}/projects/${projects["Web storefront"]}/api-keys`, { name: "Backend identify" });
    expect(/^tnr_[A-Za-z0-9_-]{43}$/.test(key.secret ?? ""), "the new API key's answer has no secret, so it could not be kept out of the images");
    // The whole secret and what follows its shown prefix (its first 8 characters).
    secrets.push(key.secret, key.secret.slice(8));
  });

  await step("a day later on the stack clock: the one-day link expired, and the pending one is resent", async () => {
    await moveClockTo(new Date(t0.getTime() + DAY + 10 * 60_000));
    await newestEmail(admin, new RegExp(`invitation to ${escaped(people.finn)} expired`), runSchedules);
    await api("POST", `/orgs/${orgId}/invitations/${invitationIds[people.eva]}/resend`);
  });

  await step("sign-in", async () => {
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await h1.filter({ hasText: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill(admin);
    await axe(page, "sign-in", figures);
    await save(page, "console-sign-in");
  });

  await step("Organizations", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await h1.filter({ hasText: "Organizations" }).waitFor();
    // By its address: on a stack where this ran before, older orgs of the same name are listed too (use a fresh stack for the README's images).
    await page.locator(`a[href$="/orgs/${orgId}"]`).waitFor();
    await page.getByRole("link", { name: "Northwind Labs" }).first().waitFor();
    await axe(page, "organizations", figures);
    await save(page, "console-orgs");
  });

  await step("Overview", async () => {
    await page.locator(`a[href$="/orgs/${orgId}"]`).click();
    await h1.filter({ hasText: org }).waitFor();
    await region("Pending invitations").getByText(people.eva, { exact: true }).waitFor();
    await region("Expired invitations").getByText(people.finn, { exact: true }).waitFor();
    await region(/Access ending within/).getByText(people.ben, { exact: true }).waitFor();
    await region("Latest audit events").getByText("invitation.expired").first().waitFor();
    await page.getByRole("row").filter({ hasText: "Data warehouse" }).waitFor();
    await axe(page, "overview", figures);
    await save(page, "console-overview", { fullPage: true });
  });

  await step("Invite, with the API's warning about an invitation without an end date", async () => {
    await nav.getByRole("link", { name: "Invite", exact: true }).click();
    await h1.filter({ hasText: "Invite a collaborator" }).waitFor();
    await page.locator("#invite-email").fill(people.hana);
    await page.getByRole("checkbox", { name: /^Web storefront/ }).check();
    await page.getByLabel("Role on Web storefront").selectOption("analyst");
    await page.getByLabel("Engagement").fill("Checkout funnel study");
    await page.getByLabel("Justification").fill("Pairs with the analysts for two weeks");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("heading", { name: `Invitation sent to ${people.hana}` }).waitFor();
    await page.locator(".warnings").waitFor();
    await axe(page, "invite (sent, with a warning)", figures);
    await save(page, "console-invite", { fullPage: true });
  });

  await step("Invite a batch: each line's result (207)", async () => {
    await nav.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByRole("link", { name: "Invite up to 10 people at once" }).click();
    await page.getByLabel("Email addresses").fill(people.batch.join("\n"));
    await page.getByRole("checkbox", { name: /^Data warehouse/ }).check();
    await page.getByLabel("Justification").fill("Quarterly reporting");
    await page.getByLabel("Access ends on").fill(dayAfter(await stackNow(), 60).toISOString().slice(0, 10));
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && /\/invitations\/batch$/.test(new URL(r.url()).pathname));
    await page.getByRole("button", { name: "Send invitations" }).click();
    const response = await answered;
    expect(response.status() === 207, `the batch answered ${response.status()}, expected 207`);
    await page.getByRole("heading", { name: "2 of 3 invited" }).waitFor();
    await axe(page, "invite batch (results)", figures);
    await save(page, "console-invite-batch", { fullPage: true });
  });

  await step("Invitations", async () => {
    await nav.getByRole("link", { name: "Invitations", exact: true }).click();
    await h1.filter({ hasText: "Invitations" }).waitFor();
    await row(people.eva).waitFor();
    await row(people.hana).waitFor();
    await axe(page, "invitations", figures);
    await save(page, "console-invitations", { fullPage: true });
  });

  await step("Members", async () => {
    await nav.getByRole("link", { name: "Members", exact: true }).click();
    await h1.filter({ hasText: "Members" }).waitFor();
    for (const email of [admin, colleague, people.ana, people.ben, people.chloe]) await row(email).waitFor();
    await axe(page, "members", figures);
    await save(page, "console-members", { fullPage: true });
  });

  await step("a member's page", async () => {
    await row(people.ana).getByRole("link").first().click();
    await h1.filter({ hasText: people.ana }).waitFor();
    await page.getByText("Checkout funnel study").first().waitFor();
    await page.getByText("Web storefront").first().waitFor();
    await axe(page, "member", figures);
    await save(page, "console-member", { fullPage: true });
  });

  await step("the duplicates report", async () => {
    await nav.getByRole("link", { name: "Members", exact: true }).click();
    await page.getByRole("link", { name: "Duplicates report" }).click();
    await h1.filter({ hasText: "Duplicates report" }).waitFor();
    await page.getByRole("heading", { name: people.ana }).waitFor();
    await axe(page, "duplicates", figures);
    await save(page, "console-duplicates");
  });

  await step("Audit", async () => {
    await nav.getByRole("link", { name: "Audit", exact: true }).click();
    await h1.filter({ hasText: "Audit" }).waitFor();
    // The newest events (the batch's invitations) are on the first page.
    await page.getByRole("row").filter({ hasText: people.batch[2] }).first().waitFor();
    await axe(page, "audit", figures);
    await save(page, "console-audit"); // the first screenful: the whole page of events is large
  });

  await step("Settings", async () => {
    await nav.getByRole("link", { name: "Settings", exact: true }).click();
    await h1.filter({ hasText: "Settings" }).waitFor();
    // Its API keys are listed only on the page that made them (the console cannot list others): none here, so no secret shows.
    await page.getByRole("heading", { name: /^Data warehouse/ }).first().waitFor();
    await axe(page, "settings", figures);
    await save(page, "console-settings"); // the first screenful: the whole form is large
    // Below the form, each project's block: its name, identify settings and API keys (the first project's).
    const project = page.locator("section.project-settings").first();
    await project.getByRole("heading", { name: /^Web storefront/ }).waitFor();
    await save(page, "console-settings-project", {}, project);
  });

  await step("the accept page: the collaborator's view of the emailed link", async () => {
    const collaborator = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    watch(collaborator, problems);
    const link = `${base}/invitations/accept?token=${await tokenFor(people.eva)}`;
    const response = await collaborator.goto(link);
    expect(response?.status() === 200, `the accept page answered ${response?.status()}`);
    await collaborator.getByRole("button", { name: "Accept invitation" }).waitFor();
    await axe(collaborator, "accept page", figures);
    await save(collaborator, "accept-invitation", { fullPage: true });
    await collaborator.getByRole("button", { name: "Accept invitation" }).click();
    await collaborator.locator("h1").filter({ hasText: `You have joined ${org}` }).waitFor();
    await axe(collaborator, "accept page (joined)", figures);
    await save(collaborator, "accept-joined", { fullPage: true });
    await collaborator.context().close();
  });

  // The emails: each kind, from the people above, as the stack's clock moves through their lives.
  const mail = await browser.newContext({ viewport: EMAIL_VIEWPORT, javaScriptEnabled: false });
  const reader = await mail.newPage();
  const shots = [];
  const shoot = (name, to, subject) => shots.push({ name, to, subject });
  shoot("email-invitation", people.dev, /invited you to .* on Tenure$/);
  shoot("email-welcome", people.ana, /^Welcome to /);
  shoot("email-bounced", admin, new RegExp(`^Your invitation to ${escaped(people.kai)} could not be delivered`));
  shoot("email-accepted", admin, new RegExp(`^${escaped(people.ana)} accepted your invitation`));
  let stages = [];

  await step("the stack clock moves through the reminders, warnings, expiries, the check-in and the quarterly review", async () => {
    const quarter = nextQuarter(t0);
    stages = [
      { days: 3.05, name: "email-reminder", to: people.dev, subject: /^Reminder: you are invited to join/ },
      { days: 3.05, name: "email-reminder-inviter", to: admin, subject: new RegExp(`^${escaped(people.dev)} has not accepted`) },
      { days: 3.05, name: "email-not-delivered", to: admin, subject: new RegExp(`^Your invitation to ${escaped(people.kai)} has not reached them`) },
      { days: 3.05, name: "email-access-ending-inviter", to: admin, subject: new RegExp(`^${escaped(people.ben)}'s access to .* ends in 7 days`) },
      { days: 6.05, name: "email-access-ending", to: people.chloe, subject: /^Your access to .* ends on/ },
      { days: 7.05, name: "email-invitation-expired", to: admin, subject: new RegExp(`^Your invitation to ${escaped(people.dev)} expired`) },
      { days: 10.05, name: "email-access-ended", to: people.ben, subject: /^Your access to .* has ended/ },
      { days: 10.05, name: "email-access-ended-inviter", to: admin, subject: new RegExp(`^${escaped(people.ben)}'s access to .* has ended`) },
      { days: 30.05, name: "email-check-in", to: admin, subject: new RegExp(`^30-day check-in: ${escaped(people.ana)}`) },
      { days: (quarter.getTime() - t0.getTime()) / DAY + 0.05, name: "email-access-review", to: admin, subject: new RegExp(`^${escaped(org)}: access review for \\d{4}-Q\\d`) },
    ].sort((a, b) => a.days - b.days);
    const found = new Map();
    for (const stage of stages) {
      await moveClockTo(dayAfter(t0, stage.days));
      found.set(stage.name, await newestEmail(stage.to, stage.subject, runSchedules));
    }
    for (const stage of stages) shoot(stage.name, stage.to, stage.subject);
    console.log(`  stack clock now ${(await stackNow()).toISOString()}`);
  });

  for (const { name, to, subject } of shots) {
    await step(`the ${name.replace("email-", "")} email`, async () => {
      const email = await newestEmail(to, subject);
      const html = email.body?.html;
      expect(typeof html === "string" && html.includes("<"), `the email "${email.subject}" has no HTML body`);
      await reader.setContent(html);
      await save(reader, name, { fullPage: true });
    });
  }

  await step("no script error and no Content-Security-Policy refusal on the way", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });

  console.log(`${images.length} images in ${out}`);
  exitCode = report(figures, tally);
} catch (error) {
  console.log(`FAILED - ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close();
}
process.exit(exitCode);
