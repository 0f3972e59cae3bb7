// Access reviews, against the running local stack (TENURE_URL). The JUnit test that runs this has made
// the org ORG_NAME with ADMIN_EMAIL as its admin, the project Web (WEB_ID), and three members who
// accepted their invitations: KEEP_EMAIL (Web manager), CHANGE_EMAIL (Web analyst) and REMOVE_EMAIL
// (Web viewer). Here: the admin opens Reviews with the keyboard, opens a review (an end in 5 days
// refused by the API beside its field first); the review's link loads directly in a new session; the
// Web manager is told plainly that the org has not asked them to review; once the admin lets project
// managers review (Settings), the manager sees the two Web members only and changes one's end date;
// the admin sees that change, keeps one member (a missing note refused beside its field first), keeps their own
// access, and removes the third after confirming (Escape cancelling first); the review is closed;
// its evidence downloads as CSV and JSON and is checked against the API. axe-core checks every state.
import { readFileSync } from "node:fs";
import { axe, baseUrl, expect, fetchAs, focusVisible, launch, parseCsv, report, stackNow, steps, tabTo, watch, requiredEnv } from "./browser.mjs";

const base = baseUrl();
const required = (name) => requiredEnv(name);
const admin = required("ADMIN_EMAIL");
const orgName = required("ORG_NAME");
const webId = required("WEB_ID");
const keep = required("KEEP_EMAIL");
const change = required("CHANGE_EMAIL");
const remove = required("REMOVE_EMAIL");
const figures = [];
const problems = [];

function dayFrom(now, days) {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

let browser;
let exitCode = 1;
try {
  browser = await launch();
  /** A page of its own (its own sign-in) for `email`, signing in on `url` (the console's first screen by default). */
  async function signedIn(email, url = `${base}/console/`, options = {}) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(url, { timeout: 30_000 });
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Sign in" }).click();
    return page;
  }
  const page = await signedIn(admin, undefined, { acceptDownloads: true });
  const { step, tally } = steps(page);
  const h1 = page.locator("h1");
  const api = await fetchAs(base, admin);
  const card = (email) => page.getByRole("article", { name: email, exact: true });
  const decideForm = (email) => page.getByRole("form", { name: `Decide ${email}` });
  const now = await stackNow(base);
  const newEnd = dayFrom(now, 120);
  let orgId = "";
  let reviewId = "";
  let reviewUrl = "";
  const memberIds = {};

  /** Picks a decision and writes its note in a member's form. */
  async function decide(email, decision, note) {
    const form = decideForm(email);
    await form.getByRole("radio", { name: decision }).check();
    await form.getByLabel("Note").fill(note);
    return form;
  }

  await step("the admin opens the org and its Reviews tab with the keyboard; no review yet", async () => {
    await h1.filter({ hasText: "Organizations" }).waitFor();
    await page.getByRole("link", { name: orgName }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    orgId = new URL(page.url()).pathname.split("/")[3];
    await tabTo(page, "nav a", "Reviews");
    expect(await focusVisible(page), "the focused Reviews tab shows no focus ring");
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: "Access reviews" }).waitFor();
    await page.getByText("No access reviews yet.").waitFor();
    expect((await page.getByLabel("Ends in (days)").inputValue()) === "28", "the end is not 28 days by default");
    await axe(page, "reviews (none yet)", figures);
    for (const member of (await (await api(`/orgs/${orgId}/members?limit=100`)).json()).items) memberIds[member.email] = member.id;
    expect([admin, keep, change, remove].every((email) => memberIds[email]), `the members: ${JSON.stringify(memberIds)}`);
  });

  await step("an end in 5 days is refused by the API (422) beside the field, with the focus on it; nothing is opened", async () => {
    await page.getByLabel("Ends in (days)").fill("5");
    await page.getByRole("button", { name: "Open a review" }).click();
    const error = page.locator("#open-review-endsInDays-error");
    await error.waitFor();
    const said = await error.innerText();
    expect(/whole number from \d+ to 90/.test(said), `the error: ${said}`);
    console.log(`  422 beside Ends in (days): "${said}"`);
    expect(
      await page.getByLabel("Ends in (days)").evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true" && el.getAttribute("aria-describedby")?.includes("endsInDays-error")),
      "the field has no focus, is not marked invalid or does not name its error",
    );
    await axe(page, "reviews (end refused)", figures);
    const reviews = await (await api(`/orgs/${orgId}/reviews`)).json();
    expect(reviews.items.length === 0, `a refused opening opened a review: ${JSON.stringify(reviews.items)}`);
  });

  await step("with 30 days the review opens: said with a link, listed open with 0 of 4 decided", async () => {
    await page.getByLabel("Ends in (days)").fill("30");
    await page.getByRole("button", { name: "Open a review" }).click();
    const notice = page.getByRole("status").filter({ hasText: "Opened an access review of 4 members" });
    await notice.waitFor();
    expect((await page.locator("#open-review-endsInDays-error").count()) === 0, "the error is still shown after the review opened");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "on demand" }) });
    await row.waitFor();
    const text = await row.innerText();
    expect(text.includes("open") && text.includes("0 of 4 decided") && text.includes(admin), `the listed review: ${text}`);
    const reviews = await (await api(`/orgs/${orgId}/reviews`)).json();
    expect(reviews.items.length === 1 && reviews.items[0].status === "open", `the reviews: ${JSON.stringify(reviews.items)}`);
    reviewId = reviews.items[0].id;
    reviewUrl = `${base}/console/orgs/${orgId}/reviews/${reviewId}`;
    const ends = (new Date(reviews.items[0].endsAt).getTime() - new Date(reviews.items[0].openedAt).getTime()) / 86_400_000;
    expect(ends === 30, `the review ends ${ends} days after it opened`);
    await axe(page, "reviews (opened)", figures);
    await notice.getByRole("link", { name: "Decide the members of this review" }).click();
    await h1.filter({ hasText: "Access review: on demand" }).waitFor();
    expect(page.url() === reviewUrl, `the link went to ${page.url()}`);
  });

  await step("the review's page: the campaign, and each member with roles by project name, last activity, end and justification", async () => {
    const header = await page.locator("dl[aria-label='The review']").innerText();
    expect(header.includes("open") && header.includes(admin) && header.includes("0 of 4 decided"), `the campaign: ${header}`);
    // The project names arrive with the project list, which may come after the review.
    await card(change).getByText("member · Web: analyst").waitFor();
    const text = await card(change).innerText();
    expect(!text.includes(webId), "a project is shown by its id, not its name");
    expect(text.includes("Last activity") && text.includes("Access ends") && text.includes("Justification"), `the member: ${text}`);
    expect((await card(admin).innerText()).includes("admin · every project"), "the admin's roles are not said");
    await axe(page, "review (open)", figures);
  });

  await step("the review's link loads directly in a new session (sign-in on the link, then the review)", async () => {
    const direct = await signedIn(admin, reviewUrl);
    await direct.locator("h1").filter({ hasText: "Access review: on demand" }).waitFor();
    await direct.getByRole("article", { name: keep, exact: true }).waitFor();
    expect(direct.url() === reviewUrl, `the deep link became ${direct.url()}`);
    expect(
      (await direct.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Reviews" }).getAttribute("aria-current")) === "page",
      "the Reviews tab is not marked current on a review's page",
    );
    await axe(direct, "review (deep link)", figures);
    await direct.context().close();
  });

  await step("the Web manager sees Reviews, and is told plainly that the organization has not asked them to review", async () => {
    const manager = await signedIn(keep, reviewUrl);
    await manager.getByText("This organization has not asked you to review its members' access").waitFor();
    expect((await manager.getByRole("alert").count()) === 0, "a 403 is shown as an error");
    await manager.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Reviews" }).click();
    await manager.locator("h1").filter({ hasText: "Access reviews" }).waitFor();
    await manager.getByText("This organization has not asked you to review its members' access").waitFor();
    expect((await manager.getByRole("button", { name: "Open a review" }).count()) === 0, "a manager is offered to open a review");
    await axe(manager, "reviews (not asked)", figures);
    await manager.context().close();
  });

  await step("the admin lets project managers review in Settings; the Web manager then sees the members of Web only, changes one's end date (not the org role), and gets no evidence", async () => {
    await page.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Settings" }).click();
    await h1.filter({ hasText: "Settings" }).waitFor();
    await page.getByLabel("Project managers review the members of their projects").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
    const settings = (await (await api(`/orgs/${orgId}`)).json()).settings;
    expect(settings.reviewsByProjectManagers === true, `reviewsByProjectManagers: ${settings.reviewsByProjectManagers}`);
    const manager = await signedIn(keep, reviewUrl);
    await manager.locator("h1").filter({ hasText: "Access review: on demand" }).waitFor();
    const articles = manager.getByRole("article");
    await articles.first().waitFor();
    const shown = (await articles.locator("h3").allInnerTexts()).map((t) => t.trim()).sort();
    expect(JSON.stringify(shown) === JSON.stringify([change, remove].sort()), `the manager reviews: ${JSON.stringify(shown)}`);
    expect((await manager.getByRole("button", { name: "Download the evidence as CSV" }).count()) === 0, "a project manager is offered the evidence");
    const form = manager.getByRole("form", { name: `Decide ${change}` });
    await form.getByRole("radio", { name: "Change" }).check();
    // A project manager changes the projects they manage and the end date, not the org role; the review names the projects.
    expect((await form.getByLabel("Org role").count()) === 0, "a project manager is offered the org role");
    expect((await form.getByLabel("Web", { exact: true }).inputValue()) === "analyst", "the manager is not offered Web's role by its name");
    expect(!(await manager.getByRole("article").first().innerText()).includes(webId), "a project is shown to the manager by its id");
    await axe(manager, "review (project manager)", figures);
    await form.getByLabel("Note").fill("Extended for the Q2 funnel work");
    await form.getByLabel("Access ends on").fill(newEnd);
    await form.getByRole("button", { name: "Save the change" }).click();
    await manager.getByRole("status").filter({ hasText: `Changed the access of ${change}: access end` }).waitFor();
    await manager.context().close();
    await page.goto(reviewUrl);
    await h1.filter({ hasText: "Access review: on demand" }).waitFor();
    await card(keep).waitFor();
  });

  await step("keep: a missing note is refused beside Note with the focus on it; with one, the member is kept", async () => {
    const form = decideForm(keep);
    await form.getByRole("radio", { name: "Keep" }).check();
    await form.getByRole("button", { name: "Keep the access" }).click();
    const error = form.locator(".field-error");
    await error.waitFor();
    expect((await error.innerText()).startsWith("Write a note"), `the error: ${await error.innerText()}`);
    expect(await form.getByLabel("Note").evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true"), "the note has no focus or is not marked invalid");
    await axe(page, "review (note refused)", figures);
    await page.keyboard.type("Still manages the Web dashboards");
    await form.getByRole("button", { name: "Keep the access" }).click();
    await page.getByRole("status").filter({ hasText: `Kept the access of ${keep}.` }).waitFor();
    // The notice comes with the answer; the card changes once the review is read again.
    await card(keep).getByText("Kept: access unchanged").waitFor();
    const text = await card(keep).innerText();
    expect(text.includes("Kept: access unchanged") && text.includes("Still manages the Web dashboards") && text.includes(admin), `the kept member: ${text}`);
    expect((await decideForm(keep).count()) === 0, "a decided member still has a form");
    await axe(page, "review (kept)", figures);
  });

  await step("the manager's change: shown to the admin with the manager as reviewer and the access after, and made on the member", async () => {
    await card(change).getByText(`member · Web: analyst · ends ${newEnd}`).waitFor();
    const text = await card(change).innerText();
    expect(text.includes(`→ ${newEnd}`) && text.includes("Extended for the Q2 funnel work") && text.includes(keep), `the changed member: ${text}`);
    const member = await (await api(`/orgs/${orgId}/members/${memberIds[change]}`)).json();
    expect(member.accessEndsAt === `${newEnd}T00:00:00Z`, `the member's end after the change: ${member.accessEndsAt}`);
    // An admin's change starts from the access reviewed, org role included.
    const form = decideForm(remove);
    await form.getByRole("radio", { name: "Change" }).check();
    expect((await form.getByLabel("Org role").inputValue()) === "member", "the org role does not start from the access reviewed");
    expect((await form.getByLabel("Web", { exact: true }).inputValue()) === "viewer", "Web's role does not start from the access reviewed");
    await axe(page, "review (change form)", figures);
  });

  await step("the admin keeps their own access (the review holds every member, its admin too)", async () => {
    const form = await decide(admin, "Keep", "Owner of the organization");
    await form.getByRole("button", { name: "Keep the access" }).click();
    await page.getByRole("status").filter({ hasText: `Kept the access of ${admin}.` }).waitFor();
    await page.locator("dl[aria-label='The review']").filter({ hasText: "3 of 4 decided" }).waitFor();
  });

  await step("remove: asked once more (Escape cancels and gives the focus back), confirmed, the member removed and the review closed", async () => {
    const form = await decide(remove, "Remove", "Engagement finished in December");
    const submit = form.getByRole("button", { name: "Remove…" });
    await submit.click();
    const confirm = page.getByRole("group", { name: `Confirm removing ${remove}` });
    await confirm.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Yes, remove");
    await axe(page, "review (removal confirmation)", figures);
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    await page.waitForFunction(() => document.activeElement?.textContent === "Remove…");
    let status = (await (await api(`/orgs/${orgId}/members/${memberIds[remove]}`)).json()).status;
    expect(status === "active", `a cancelled removal removed the member (${status})`);
    await page.keyboard.press("Enter");
    await confirm.getByRole("button", { name: "Yes, remove" }).click();
    await page.getByRole("status").filter({ hasText: `Removed ${remove}: their access has ended` }).waitFor();
    await page.getByRole("status").filter({ hasText: "Every member is decided: the review is closed." }).waitFor();
    await card(remove).getByText("Removed: access ended").waitFor();
    const text = await card(remove).innerText();
    expect(text.includes("Removed: access ended") && text.includes("removed: no access") && text.includes("Engagement finished in December"), `the removed member: ${text}`);
    status = (await (await api(`/orgs/${orgId}/members/${memberIds[remove]}`)).json()).status;
    expect(status === "removed", `the member after the removal: ${status}`);
    const header = await page.locator("dl[aria-label='The review']").innerText();
    expect(header.includes("closed") && header.includes("4 of 4 decided") && header.includes("none: every member was decided"), `the closed campaign: ${header}`);
    expect((await page.getByRole("form").count()) === 0, "a closed review still offers a decision");
    await axe(page, "review (closed)", figures);
  });

  await step("the evidence downloads as CSV (fetched with the token): a row per member with the decision, reviewer and access after", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the evidence as CSV" }).click()]);
    expect(download.suggestedFilename() === `review-${reviewId}.csv`, `file name ${download.suggestedFilename()}`);
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), "utf8"));
    const at = (name) => header.indexOf(name);
    expect(at("decision") >= 0 && at("accessEndsAtAfter") >= 0 && at("reviewer") >= 0, `header: ${header}`);
    const byEmail = Object.fromEntries(rows.map((row) => [row[at("email")], row]));
    const members = [keep, change, remove];
    const reviewers = { [keep]: admin, [change]: keep, [remove]: admin };
    expect(members.every((email) => byEmail[email]?.[at("reviewer")] === reviewers[email]), `the CSV rows: ${JSON.stringify(rows)}`);
    expect(byEmail[keep][at("decision")] === "keep" && byEmail[change][at("decision")] === "change" && byEmail[remove][at("decision")] === "remove",
      `the decisions: ${JSON.stringify(rows.map((row) => [row[at("email")], row[at("decision")]]))}`);
    expect(byEmail[change][at("accessEndsAtAfter")] === `${newEnd}T00:00:00Z` && byEmail[remove][at("orgRoleAfter")] === "removed",
      `the access after: ${JSON.stringify([byEmail[change], byEmail[remove]])}`);
    const memberRows = rows.filter((row) => members.includes(row[at("email")]));
    expect(memberRows.length === 3, `${memberRows.length} rows of the 3 members`);
    // The org's admin is an active member too, so the review (and its evidence) holds them as well.
    expect(rows.length === 4 && byEmail[admin]?.[at("decision")] === "keep", `${rows.length} data rows: ${JSON.stringify(rows.map((row) => row[at("email")]))}`);
    console.log(`  CSV: ${header.length} columns, ${rows.length} data rows (${memberRows.length} members reviewed and the admin): ${rows.map((row) => `${row[at("email")]} ${row[at("decision")]}`).join(", ")}`);
    await page.getByRole("status").filter({ hasText: `Downloaded review-${reviewId}.csv (4 members)` }).waitFor();
    await axe(page, "review (CSV downloaded)", figures);
  });

  await step("the evidence downloads as JSON, the same as the API's", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the evidence as JSON" }).click()]);
    expect(download.suggestedFilename() === `review-${reviewId}.json`, `file name ${download.suggestedFilename()}`);
    const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
    const fromApi = await (await api(`/orgs/${orgId}/reviews/${reviewId}/evidence`)).json();
    expect(JSON.stringify(saved) === JSON.stringify(fromApi), "the saved JSON differs from the API's evidence");
    expect(saved.status === "closed" && saved.items.length === 4 && saved.items.every((item) => item.decision), `the evidence: ${JSON.stringify(saved)}`);
  });

  await step("the list shows the review closed, 4 of 4 decided", async () => {
    await page.getByRole("link", { name: "All access reviews" }).click();
    await h1.filter({ hasText: "Access reviews" }).waitFor();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "on demand" }) });
    await row.waitFor();
    const text = await row.innerText();
    expect(text.includes("closed") && text.includes("4 of 4 decided"), `the listed review: ${text}`);
    await axe(page, "reviews (closed)", figures);
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
