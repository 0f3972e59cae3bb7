// Members and Audit, against the running local stack (TENURE_URL). The JUnit test that runs this has
// made the org ORG_NAME with ADMIN_EMAIL as its admin, projects Web and iOS, three members who
// accepted their invitations (ENDING_EMAIL, Web analyst, access ending in 10 days, signed in once; VIEWER_EMAIL, iOS
// viewer; LEAVING_EMAIL, Web viewer) and 10 pending invitations, DUPLICATE_EMAIL and VARIANT_EMAIL
// among them, gmail variants of one address (so the audit holds more than a page of 20 events). Here: the Overview's access-ending link opens the filtered Members
// list; the project and role filters; the duplicates report; a member's end date extended with a
// justification after an API error beside the date, through a 412 (the script changes the member
// through the API between load and save); a member removed with a reason; the Audit shows those
// events, filters by action, and its CSV downloads and parses. axe-core checks every state.
import { readFileSync } from "node:fs";
import { axe, baseUrl, expect, fetchAs, focusVisible, launch, parseCsv, report, settled, steps, tabTo, watch, requiredEnv } from "./browser.mjs";

const base = baseUrl();
const required = (name) => requiredEnv(name);
const admin = required("ADMIN_EMAIL");
const orgName = required("ORG_NAME");
const ending = required("ENDING_EMAIL");
const viewer = required("VIEWER_EMAIL");
const leaving = required("LEAVING_EMAIL");
const duplicate = required("DUPLICATE_EMAIL");
const variant = required("VARIANT_EMAIL");
const figures = [];
const problems = [];

async function stackNow() {
  const response = await fetch(`${base}/_local/clock`);
  expect(response.ok, `GET /_local/clock answered ${response.status}`);
  return new Date((await response.json()).now);
}

function dayFrom(now, days) {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The API as another admin session would use it: a token of the admin's own (never printed). */
const apiAs = (email) => fetchAs(base, email);

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  watch(page, problems);
  const { step, tally } = steps(page);
  const h1 = page.locator("h1");
  const nav = () => page.getByRole("navigation", { name: orgName });
  const memberRows = () => page.getByRole("table").getByRole("row").filter({ has: page.getByRole("rowheader") });
  const listed = async () => (await memberRows().getByRole("rowheader").allInnerTexts()).map((t) => t.trim());
  const now = await stackNow();
  let orgId = "";
  let endingId = "";
  let leavingId = "";
  const extendedTo = dayFrom(now, 60);

  await step("sign in as the org's admin; the Overview's access-ending section links to the Members list filtered to it", async () => {
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await page.getByLabel("Email").fill(admin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: orgName }).click();
    await h1.filter({ hasText: orgName }).waitFor();
    orgId = new URL(page.url()).pathname.split("/")[3];
    const section = page.getByRole("region", { name: "Access ending within 14 days" });
    await section.getByRole("link", { name: ending }).waitFor();
    const endsBefore = dayFrom(now, 15);
    await section.getByRole("link", { name: `Members whose access ends before ${endsBefore}` }).click();
    await h1.filter({ hasText: "Members" }).waitFor();
    expect(new URL(page.url()).search === `?endsBefore=${endsBefore}`, `unexpected URL ${page.url()}`);
    expect((await page.getByLabel("Access ends before").inputValue()) === endsBefore, "the date filter does not show the URL's date");
    await memberRows().first().waitFor();
    const shown = await listed();
    expect(shown.length === 1 && shown[0] === ending, `the filtered list shows ${JSON.stringify(shown)}`);
    const cells = await memberRows().first().locator("td").allInnerTexts();
    const time = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;
    expect(cells[0] === "member" && cells[1] === "Web: analyst" && time.test(cells[2]) && time.test(cells[3]), `columns (role, projects, end, last activity): ${JSON.stringify(cells)}`);
    console.log(`  ending before ${endsBefore}: ${shown.join(", ")} | ${cells.join(" | ")}`);
    await axe(page, "members (access ends before)", figures);
  });

  await step("filter by project and role with the keyboard: only the iOS viewer", async () => {
    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.getByRole("heading", { name: "All active members" }).waitFor();
    await memberRows().filter({ hasText: leaving }).waitFor();
    const all = await listed();
    for (const email of [admin, ending, viewer, leaving]) expect(all.includes(email), `${email} is not among all members: ${all}`);
    await page.getByLabel("Project").selectOption({ label: "iOS" });
    await page.getByLabel("Role").selectOption("viewer");
    await tabTo(page, "button", "Apply filters");
    expect(await focusVisible(page), "Apply filters has no visible focus");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Members matching the filters" }).waitFor();
    await page.waitForFunction(() => new URLSearchParams(location.search).get("role") === "viewer");
    await memberRows().first().waitFor();
    const shown = await listed();
    expect(JSON.stringify(shown) === JSON.stringify([viewer]), `iOS viewers: ${JSON.stringify(shown)}`);
    console.log(`  iOS viewers: ${shown.join(", ")}`);
    await axe(page, "members (project and role)", figures);
  });

  await step("the empty state: no manager on iOS; the error state: a failed list says so with its request id, and Try again loads it", async () => {
    await page.getByLabel("Role").selectOption("manager");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No member matches these filters.").waitFor();
    await axe(page, "members (empty)", figures);
    // The browser is made to get a 500 for the list (the local stack has no way to fail on purpose).
    const failing = (url) => url.pathname.endsWith("/members");
    await page.route(failing, (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/problem+json",
        headers: { "X-Request-Id": "req-members-e2e" },
        body: JSON.stringify({ type: "urn:tenure:problem:internal_error", title: "Internal error", status: 500, detail: "Something went wrong on our side.", code: "internal_error" }),
      }));
    await page.getByRole("link", { name: "Clear filters" }).click();
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "request id req-members-e2e" }).waitFor();
    await axe(page, "members (error)", figures);
    await page.unroute(failing);
    await alert.getByRole("button", { name: "Try again" }).click();
    await memberRows().filter({ hasText: viewer }).waitFor();
  });

  await step("the duplicates report groups the two gmail variants", async () => {
    await page.getByRole("link", { name: "Duplicates report" }).click();
    await h1.filter({ hasText: "Duplicates report" }).waitFor();
    const group = page.getByRole("region").filter({ hasText: duplicate });
    await group.waitFor();
    const text = await group.innerText();
    expect(text.includes(variant) && text.includes("pending invitation"), `the group says: ${text}`);
    console.log(`  duplicates: ${text.replace(/\s+/g, " ")}`);
    await axe(page, "duplicates report", figures);
  });

  await step("open a member: roles, end, last activity and stakeholders; a save without a justification is refused beside it", async () => {
    await nav().getByRole("link", { name: "Members" }).click();
    await page.getByRole("link", { name: ending }).click();
    await h1.filter({ hasText: ending }).waitFor();
    endingId = new URL(page.url()).pathname.split("/").pop();
    // The project's name comes with the org's projects, which may load after the member.
    await page.getByRole("definition").filter({ hasText: "Web: analyst" }).waitFor();
    const facts = await page.getByRole("definition").allInnerTexts();
    expect(facts.includes("Web: analyst") && facts.includes("lead@console.example") && facts.filter((f) => / UTC$/.test(f)).length === 3,
      `the member's facts (the end, last activity and acceptance as times): ${JSON.stringify(facts)}`);
    await axe(page, "member", figures);
    await page.getByLabel("Access ends on").fill(extendedTo);
    await page.getByRole("button", { name: "Save changes" }).click();
    const error = page.locator("#member-edit-justification-error");
    await error.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "member-edit-justification", null, { timeout: 5_000 });
    expect((await page.getByLabel("Justification").getAttribute("aria-invalid")) === "true", "the justification is not marked invalid");
    await axe(page, "member (justification missing)", figures);
  });

  await step("an end date in the past: the API's error shows beside the date", async () => {
    await page.getByLabel("Justification").fill("Extended for the Q1 follow-up");
    await page.getByLabel("Access ends on").fill(dayFrom(now, -2));
    await page.getByRole("button", { name: "Save changes" }).click();
    const error = page.locator("#member-edit-accessEndsOn-error");
    await error.waitFor();
    console.log(`  the API said beside the date: ${await error.innerText()}`);
    await axe(page, "member (end date refused)", figures);
  });

  await step("someone changes the member meanwhile: the save answers 412, the newer version shows, re-applying saves the extension", async () => {
    const api = await apiAs(admin);
    const current = await api(`/orgs/${orgId}/members/${endingId}`);
    expect(current.ok, `GET member answered ${current.status}`);
    const etag = current.headers.get("ETag");
    const changed = await api(`/orgs/${orgId}/members/${endingId}`, {
      method: "PATCH",
      headers: { "If-Match": etag },
      body: JSON.stringify({ justification: "Finance lead joins", stakeholders: ["lead@console.example", "finance@console.example"] }),
    });
    expect(changed.status === 200, `the API's own PATCH answered ${changed.status}`);
    await page.getByLabel("Access ends on").fill(extendedTo);
    await page.getByRole("button", { name: "Save changes" }).click();
    const stale = page.getByRole("alert").filter({ hasText: "Someone changed this member since you opened it" });
    await stale.waitFor();
    const text = await stale.innerText();
    expect(text.includes("finance@console.example") && /version 2 \(you had version 1\)/.test(text), `the 412 says: ${text}`);
    expect(await page.getByRole("button", { name: "Save changes" }).isDisabled(), "Save stays open over a stale version");
    console.log(`  412: ${text.replace(/\s+/g, " ")}`);
    await axe(page, "member (412, newer version shown)", figures);
    await stale.getByRole("button", { name: "Re-apply my changes to version 2" }).click();
    expect((await page.getByLabel("Access ends on").inputValue()) === extendedTo, "the re-applied form lost the new end date");
    expect((await page.getByLabel("Justification").inputValue()) === "Extended for the Q1 follow-up", "the re-applied form lost the justification");
    await page.getByRole("button", { name: "Save changes" }).click();
    const saved = page.getByRole("status").filter({ hasText: "Saved (version 3)" });
    await saved.waitFor();
    const facts = await page.getByRole("definition").allInnerTexts();
    expect(facts.some((f) => f.startsWith(extendedTo)) && facts.some((f) => f.includes("finance@console.example")), `after saving: ${JSON.stringify(facts)}`);
    console.log(`  ${(await saved.innerText()).trim()}`);
    await axe(page, "member (saved)", figures);
  });

  await step("remove a member: no reason is refused beside it, Escape cancels, then removed with a reason", async () => {
    await nav().getByRole("link", { name: "Members" }).click();
    await page.getByRole("link", { name: leaving }).click();
    await h1.filter({ hasText: leaving }).waitFor();
    leavingId = new URL(page.url()).pathname.split("/").pop();
    const open = page.getByRole("button", { name: `Remove ${leaving}…` });
    await open.click();
    const reason = page.getByLabel("Reason");
    // Focus moves after the render; wait for it rather than for a fixed time.
    await page.waitForFunction(() => document.activeElement?.id === "member-remove-reason", null, { timeout: 5_000 });
    await page.keyboard.press("Escape");
    await open.waitFor();
    await page.waitForFunction((text) => document.activeElement?.textContent === text, `Remove ${leaving}…`, { timeout: 5_000 });
    await page.keyboard.press("Enter");
    await reason.waitFor();
    await page.getByRole("button", { name: "Yes, remove" }).click();
    await page.locator("#member-remove-reason-error").waitFor();
    await axe(page, "member (removal, reason missing)", figures);
    await reason.fill("Engagement finished");
    await page.getByRole("button", { name: "Yes, remove" }).click();
    await page.getByRole("status").filter({ hasText: `Removed ${leaving}` }).waitFor();
    await page.getByText("This member was removed; their access has ended.").waitFor();
    await axe(page, "member (removed)", figures);
    await nav().getByRole("link", { name: "Members" }).click();
    await memberRows().filter({ hasText: ending }).waitFor();
    expect(!(await listed()).includes(leaving), "the removed member is still listed");
  });

  await step("Audit shows the change with its justification and the removal with its reason; the Overview links to it", async () => {
    await nav().getByRole("link", { name: "Overview" }).click();
    await settled(page);
    await page.getByRole("region", { name: "Latest audit events" }).getByRole("link", { name: "The whole audit trail" }).click();
    await h1.filter({ hasText: "Audit" }).waitFor();
    const rows = page.getByRole("table").getByRole("row");
    const removed = rows.filter({ has: page.getByRole("rowheader", { name: "member.removed", exact: true }) });
    await removed.waitFor();
    expect((await removed.innerText()).includes("Engagement finished") && (await removed.innerText()).includes(leavingId), `the removal row: ${await removed.innerText()}`);
    const updated = rows.filter({ has: page.getByRole("rowheader", { name: "member.updated", exact: true }) }).filter({ hasText: "Extended for the Q1 follow-up" });
    expect((await updated.innerText()).includes(`accessEndsAt:`) && (await updated.innerText()).includes(extendedTo), `the change row: ${await updated.innerText()}`);
    await axe(page, "audit", figures);
  });

  await step("Audit pages with the API's cursor: the org's creation is on page 2, and back to page 1", async () => {
    const pager = page.getByRole("navigation", { name: "Audit pages" });
    await pager.getByText("Page 1").waitFor();
    expect((await page.getByRole("table").getByRole("rowheader").count()) === 20, "page 1 does not hold 20 events");
    await pager.getByRole("button", { name: "Next page" }).click();
    await pager.getByText("Page 2").waitFor();
    await page.getByRole("table").getByRole("rowheader", { name: "org.created", exact: true }).waitFor();
    expect(await pager.getByRole("button", { name: "Next page" }).isDisabled(), "the last page offers a next page");
    await axe(page, "audit (page 2)", figures);
    await pager.getByRole("button", { name: "Previous page" }).click();
    await pager.getByText("Page 1").waitFor();
    await page.getByRole("table").getByRole("rowheader", { name: "member.removed", exact: true }).waitFor();
  });

  await step("filter Audit by action with the keyboard: only member.updated events", async () => {
    await page.getByLabel("Action").selectOption("member.updated");
    // Tab passes the org's navigation (one tab more since Reviews) and the date fields (three stops each) on the way.
    await tabTo(page, "button", "Apply filters", 35);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Events matching the filters, newest first" }).waitFor();
    await page.getByRole("table").waitFor();
    const actions = await page.getByRole("table").getByRole("rowheader").allInnerTexts();
    expect(actions.length === 2 && actions.every((a) => a === "member.updated"), `filtered actions: ${JSON.stringify(actions)}`);
    expect(new URL(page.url()).search === "?action=member.updated", `unexpected URL ${page.url()}`);
    await axe(page, "audit (action filter)", figures);
  });

  await step("a time range that ends before it starts is refused beside the field; an unknown target finds nothing", async () => {
    await page.getByLabel("From (UTC day)").fill(dayFrom(now, 3));
    await page.getByLabel("To (UTC day, included)").fill(dayFrom(now, 1));
    await page.getByRole("button", { name: "Apply filters" }).click();
    const error = page.locator(".field-error");
    await error.first().waitFor();
    console.log(`  the API said: ${(await error.allInnerTexts()).join(" / ")}`);
    await axe(page, "audit (range refused)", figures);
    await page.getByLabel("From (UTC day)").fill("");
    await page.getByLabel("To (UTC day, included)").fill("");
    await page.getByLabel("Target id").fill("mem_00000000000000000000000000");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No event matches these filters.").waitFor();
    await axe(page, "audit (empty)", figures);
    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.getByRole("heading", { name: "All events, newest first" }).waitFor();
  });

  await step("download the audit CSV of the removals (fetched with the token) and parse it", async () => {
    await page.getByLabel("Action").selectOption("member.removed");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("heading", { name: "Events matching the filters, newest first" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download these events as CSV" }).click()]);
    expect(download.suggestedFilename() === `audit-${orgId}.csv`, `file name ${download.suggestedFilename()}`);
    const rows = parseCsv(readFileSync(await download.path(), "utf8"));
    const [header, ...records] = rows;
    expect(header.join(",") === "id,at,actorType,actorId,actorEmail,action,targetType,targetId,changes,note,requestId,sourceIp,userAgent,seq,prevHash,hash",
      `header: ${header}`);
    const at = (name) => header.indexOf(name);
    expect(records.length === 1, `${records.length} rows in the CSV`);
    const [record] = records;
    expect(record[at("action")] === "member.removed" && record[at("targetId")] === leavingId && record[at("note")] === "Engagement finished" && record[at("actorEmail")] === admin,
      `the CSV row: ${JSON.stringify(record)}`);
    // Its place in the org's audit hash chain.
    expect(/^[0-9]+$/.test(record[at("seq")]) && /^[0-9a-f]{64}$/.test(record[at("prevHash")]) && /^[0-9a-f]{64}$/.test(record[at("hash")]),
      `the CSV row's chain cells: ${JSON.stringify(record)}`);
    await page.getByRole("status").filter({ hasText: `Downloaded audit-${orgId}.csv (1 event` }).waitFor();
    console.log(`  CSV: ${header.length} columns, ${records.length} row: ${record[at("action")]} ${record[at("targetId")]} "${record[at("note")]}"`);
    await axe(page, "audit (CSV downloaded)", figures);
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
