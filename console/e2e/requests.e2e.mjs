// Invitation requests, against the running local stack (TENURE_URL). The JUnit test that runs this has
// made the org ORG_NAME (invitationRequests: members) with ADMIN_EMAIL and SECOND_ADMIN_EMAIL as admins,
// the project Web (WEB_ID), MEMBER_EMAIL as a viewer of Web, and a request of the member's for
// DENY_EMAIL. Here: the member opens Requests with the keyboard, asks for an invitation (the API's 422
// beside Email and Reason first) and sees it; the admin opens the emailed link, approves it with a
// reference (the invitation is sent: checked through the API and on Invitations), denies the other (an
// empty reason refused beside its field, Escape cancelling first); the admin turns on the two-person
// rule and the new settings in Settings; an admin's invite then answers 202, its panel links to
// Requests, the admin's own approval is refused (self_approval), and the second admin's sends it.
// axe-core checks every state.
import { randomUUID } from "node:crypto";
import { axe, baseUrl, expect, fetchAs, focusVisible, launch, report, steps, tabTo, watch, requiredEnv } from "./browser.mjs";

const base = baseUrl();
const required = (name) => requiredEnv(name);
const admin = required("ADMIN_EMAIL");
const secondAdmin = required("SECOND_ADMIN_EMAIL");
const member = required("MEMBER_EMAIL");
const toDeny = required("DENY_EMAIL");
const orgName = required("ORG_NAME");
const webId = required("WEB_ID");
const run = randomUUID().slice(0, 8);
const asked = `asked-${run}@partner.example`;
const twoPerson = `two-${run}@partner.example`;
const figures = [];
const problems = [];

let browser;
let exitCode = 1;
try {
  browser = await launch();
  /** A page of its own (its own sign-in) for `email`, on the console's first screen. */
  async function signedIn(email) {
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(`${base}/console/`, { timeout: 30_000 });
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("h1").filter({ hasText: "Organizations" }).waitFor();
    return page;
  }
  const memberPage = await signedIn(member);
  const { step, tally } = steps(memberPage);
  const api = await fetchAs(base, admin);
  const card = (page, email) => page.getByRole("article", { name: email, exact: true });
  let orgId = "";
  let adminPage;
  let requestsUrl = "";

  await step("the member opens the org and its Requests tab with the keyboard; the request made earlier is listed as theirs", async () => {
    await memberPage.getByRole("link", { name: orgName }).click();
    await memberPage.locator("h1").filter({ hasText: orgName }).waitFor();
    orgId = new URL(memberPage.url()).pathname.split("/")[3];
    requestsUrl = `${base}/console/orgs/${orgId}/requests`;
    await memberPage.getByRole("link", { name: "Ask for an invitation, or see your requests" }).waitFor();
    await tabTo(memberPage, "nav a", "Requests");
    expect(await focusVisible(memberPage), "the focused Requests tab shows no focus ring");
    await memberPage.keyboard.press("Enter");
    await memberPage.locator("h1").filter({ hasText: "Invitation requests" }).waitFor();
    await memberPage.getByRole("heading", { name: "Your pending requests" }).waitFor();
    const mine = card(memberPage, toDeny);
    await mine.waitFor();
    const text = await mine.innerText();
    expect(text.includes("Reviews the funnel once") && text.includes("0 of 1 approval") && text.includes(member), `the member's request: ${text}`);
    expect((await mine.getByRole("button").count()) === 0, "a member is offered a decision");
    await axe(memberPage, "requests (member)", figures);
  });

  await step("the member asks with a bad address and no reason: the API's 422 is shown beside Email and Reason, focus on Email", async () => {
    await memberPage.getByLabel("Email", { exact: true }).fill("not-an-address");
    await memberPage.getByRole("button", { name: "Send the request" }).click();
    const reasonError = memberPage.locator("#ask-reason-error");
    await reasonError.waitFor();
    const emailError = memberPage.locator("#ask-email-error");
    expect((await emailError.count()) === 1, "no error beside Email");
    console.log(`  422 beside the fields: email "${await emailError.innerText()}", reason "${await reasonError.innerText()}"`);
    expect(await memberPage.evaluate(() => document.activeElement?.id === "ask-email"), "focus is not on Email");
    await axe(memberPage, "requests (ask refused)", figures);
  });

  await step("the member asks for an analyst on Web with a reason; the request is said and listed, waiting for one approval", async () => {
    await memberPage.getByLabel("Email", { exact: true }).fill(asked);
    await memberPage.locator(`#ask-project-${webId}`).check();
    await memberPage.locator(`#ask-project-${webId}-role`).selectOption("analyst");
    await memberPage.getByLabel("Reason").fill("Builds the Q1 dashboards with us");
    await memberPage.getByRole("button", { name: "Send the request" }).click();
    await memberPage.getByRole("status").filter({ hasText: `Your request for ${asked} was sent` }).waitFor();
    expect((await memberPage.locator(".field-error").count()) === 0, "errors are still shown after the request was made");
    await card(memberPage, asked).waitFor();
    await axe(memberPage, "requests (asked)", figures);
  });

  await step("the admin opens the emailed link; both requests are listed with project names, reasons and who asked", async () => {
    adminPage = await signedIn(admin);
    await adminPage.goto(requestsUrl);
    await adminPage.locator("h1").filter({ hasText: "Invitation requests" }).waitFor();
    await adminPage.getByRole("heading", { name: "Pending requests" }).waitFor();
    // The project names arrive with the project list, which may come after the requests.
    await card(adminPage, asked).getByText("Web: analyst").waitFor();
    const text = await card(adminPage, asked).innerText();
    expect(text.includes("Web: analyst") && text.includes("Builds the Q1 dashboards with us") && text.includes(member) && text.includes("0 of 1 approval"), `the request: ${text}`);
    expect(!text.includes(webId), "the project is shown by its id, not its name");
    await card(adminPage, toDeny).waitFor();
    await axe(adminPage, "requests (admin, pending)", figures);
  });

  await step("the admin approves with a reference and a note; the invitation is sent, said with a link to Invitations", async () => {
    await card(adminPage, asked).getByRole("button", { name: `Approve the request for ${asked}` }).click();
    const form = adminPage.getByRole("form", { name: `Approve the request for ${asked}` });
    await form.waitFor();
    expect(await form.getByLabel("Approval reference").evaluate((el) => el === document.activeElement), "the reference field has no focus");
    await axe(adminPage, "requests (approve form)", figures);
    await adminPage.keyboard.type("CHG-2231");
    await form.getByLabel("Note").fill("Checked with the project lead");
    await form.getByRole("button", { name: "Approve and send the invitation" }).click();
    const notice = adminPage.getByRole("status").filter({ hasText: `the invitation was sent to ${asked}` });
    await notice.waitFor();
    await axe(adminPage, "requests (approved)", figures);
    const invitations = await (await api(`/orgs/${orgId}/invitations?status=pending`)).json();
    const invitation = invitations.items.find((i) => i.email === asked);
    expect(invitation !== undefined, `no pending invitation to ${asked}`);
    const approved = await (await api(`/orgs/${orgId}/invitation-requests?status=approved`)).json();
    const request = approved.items.find((r) => r.email === asked);
    expect(request?.approvals?.[0]?.reference === "CHG-2231" && request.invitationId === invitation.id, `the approved request: ${JSON.stringify(request)}`);
    console.log(`  approved: ${request.id} made ${invitation.id} (${invitation.delivery?.status})`);
    await notice.getByRole("link", { name: "See the invitation in Invitations" }).click();
    await adminPage.locator("h1").filter({ hasText: "Invitations" }).waitFor();
    await adminPage.getByRole("rowheader", { name: asked, exact: true }).waitFor();
  });

  await step("the approved filter shows the approval's reference and note", async () => {
    await adminPage.goto(`${requestsUrl}?status=approved`);
    const approved = card(adminPage, asked);
    await approved.waitFor();
    const text = await approved.innerText();
    expect(text.includes("1 of 1 approval") && text.includes("reference CHG-2231") && text.includes("Checked with the project lead"), `the approved request: ${text}`);
    expect((await adminPage.getByLabel("Show requests").inputValue()) === "approved", "the filter does not show approved");
    await axe(adminPage, "requests (approved filter)", figures);
  });

  await step("Deny: Escape cancels and gives focus back; an empty reason is refused beside the field; with one, it is denied", async () => {
    await adminPage.goto(requestsUrl);
    const denyButton = card(adminPage, toDeny).getByRole("button", { name: `Deny the request for ${toDeny}` });
    await denyButton.click();
    const form = adminPage.getByRole("form", { name: `Deny the request for ${toDeny}` });
    await form.waitFor();
    // The form takes focus once it has rendered (its reason field): Escape is the form's key.
    await adminPage.waitForFunction(() => document.activeElement?.closest("form.decision") != null);
    await adminPage.keyboard.press("Escape");
    await adminPage.waitForFunction((id) => document.activeElement?.id === id, await denyButton.getAttribute("id"));
    await adminPage.keyboard.press("Enter");
    await form.waitFor();
    await form.getByRole("button", { name: "Deny the request" }).click();
    const error = form.locator(".field-error");
    await error.waitFor();
    expect((await error.innerText()) === "Enter a reason; the person who asked is told it.", `the error: ${await error.innerText()}`);
    expect(await form.getByLabel("Reason").evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true"), "the reason has no focus or is not marked invalid");
    await axe(adminPage, "requests (deny refused)", figures);
    await adminPage.keyboard.type("The engagement has not been signed yet");
    await form.getByRole("button", { name: "Deny the request" }).click();
    await adminPage.getByRole("status").filter({ hasText: `Denied the request for ${toDeny}` }).waitFor();
    await adminPage.getByText("No pending requests.").waitFor();
    const denied = (await (await api(`/orgs/${orgId}/invitation-requests?status=denied`)).json()).items.find((r) => r.email === toDeny);
    expect(denied?.denialReason === "The engagement has not been signed yet", `the denied request: ${JSON.stringify(denied)}`);
    await axe(adminPage, "requests (denied)", figures);
  });

  await step("Settings: the requests setting is shown; the two-person rule, 30 days to decide and removal after 90 inactive days are saved, then the removal cleared", async () => {
    await adminPage.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Settings" }).click();
    await adminPage.locator("h1").filter({ hasText: "Settings" }).waitFor();
    expect((await adminPage.getByLabel("Who may ask for an invitation").inputValue()) === "members", "the requests setting is not shown as members");
    expect((await adminPage.getByLabel("Remove collaborators inactive for (days)").inputValue()) === "", "the inactivity removal is not shown off");
    await adminPage.getByLabel("Remove collaborators inactive for (days)").fill("7");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    const error = adminPage.locator("#org-settings-removeAfterInactiveDays-error");
    await error.waitFor();
    expect((await error.innerText()).includes("from 14 to 3650"), `the error: ${await error.innerText()}`);
    await axe(adminPage, "settings (inactivity refused)", figures);
    await adminPage.getByLabel("Remove collaborators inactive for (days)").fill("90");
    await adminPage.getByLabel("A request waits for a decision (days)").fill("30");
    await adminPage.getByLabel(/^Two-person rule/).check();
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    await adminPage.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
    let settings = (await (await api(`/orgs/${orgId}`)).json()).settings;
    expect(settings.requireSecondApproval === true && settings.invitationRequestDays === 30 && settings.removeAfterInactiveDays === 90 && settings.invitationRequests === "members",
      `settings: ${JSON.stringify(settings)}`);
    await axe(adminPage, "settings (requests saved)", figures);
    const savedVersion = (await (await api(`/orgs/${orgId}`)).json()).version;
    await adminPage.getByLabel("Remove collaborators inactive for (days)").fill("");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    // "Settings saved." is still shown from the save before: wait for the org's next version instead.
    let org;
    for (let tries = 0; tries < 50; tries++) {
      org = await (await api(`/orgs/${orgId}`)).json();
      if (org.version > savedVersion) break;
      await adminPage.waitForTimeout(100);
    }
    settings = org.settings;
    expect(settings.removeAfterInactiveDays === undefined && settings.requireSecondApproval === true, `settings after clearing: ${JSON.stringify(settings)}`);
  });

  await step("under the two-person rule the admin's invite waits (202): the panel says why and links to Requests", async () => {
    await adminPage.getByRole("navigation", { name: orgName }).getByRole("link", { name: "Invite", exact: true }).click();
    await adminPage.locator("h1").filter({ hasText: "Invite a collaborator" }).waitFor();
    await adminPage.getByLabel("Email", { exact: true }).fill(twoPerson);
    await adminPage.locator(`#invite-project-${webId}`).check();
    await adminPage.getByRole("button", { name: "Send invitation" }).click();
    const heading = adminPage.getByRole("heading", { name: `Waiting for a second admin's approval: ${twoPerson}` });
    await heading.waitFor();
    expect(await adminPage.evaluate(() => document.activeElement?.id === "invite-outcome"), "focus did not move to the outcome");
    expect((await adminPage.getByText("1 of 2 approvals").count()) === 1, "the panel does not say 1 of 2 approvals");
    await axe(adminPage, "invite (waiting for a second admin)", figures);
    const pending = (await (await api(`/orgs/${orgId}/invitations?status=pending`)).json()).items;
    expect(!pending.some((i) => i.email === twoPerson), "an invitation was sent before the second approval");
    await adminPage.getByRole("link", { name: "See the requests waiting for approval" }).click();
    await adminPage.locator("h1").filter({ hasText: "Invitation requests" }).waitFor();
    const text = await card(adminPage, twoPerson).innerText();
    expect(text.includes("1 of 2 approvals") && text.includes("Why two approvals"), `the request: ${text}`);
  });

  await step("the admin's own approval is refused (self_approval), said in the form", async () => {
    await card(adminPage, twoPerson).getByRole("button", { name: `Approve the request for ${twoPerson}` }).click();
    const form = adminPage.getByRole("form", { name: `Approve the request for ${twoPerson}` });
    await form.getByRole("button", { name: "Approve and send the invitation" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor();
    const said = await alert.innerText();
    expect(/another admin/i.test(said), `the refusal: ${said}`);
    console.log(`  self-approval refused: ${said}`);
    await axe(adminPage, "requests (self-approval refused)", figures);
    const request = (await (await api(`/orgs/${orgId}/invitation-requests?status=pending`)).json()).items.find((r) => r.email === twoPerson);
    expect(request?.approvals.length === 1, `the request after the refusal: ${JSON.stringify(request)}`);
  });

  await step("the second admin approves it on Requests: 2 of 2, and the invitation is sent", async () => {
    const second = await signedIn(secondAdmin);
    await second.goto(requestsUrl);
    const waiting = card(second, twoPerson);
    await waiting.getByRole("button", { name: `Approve the request for ${twoPerson}` }).click();
    const form = second.getByRole("form", { name: `Approve the request for ${twoPerson}` });
    await form.getByLabel("Approval reference").fill("CHG-2232");
    await form.getByRole("button", { name: "Approve and send the invitation" }).click();
    await second.getByRole("status").filter({ hasText: `the invitation was sent to ${twoPerson}` }).waitFor();
    await axe(second, "requests (second approval)", figures);
    const pending = (await (await api(`/orgs/${orgId}/invitations?status=pending`)).json()).items;
    expect(pending.some((i) => i.email === twoPerson), "no invitation after the second approval");
    const request = (await (await api(`/orgs/${orgId}/invitation-requests?status=approved`)).json()).items.find((r) => r.email === twoPerson);
    expect(request?.approvals.length === 2 && request.approvals[1].reference === "CHG-2232", `the request: ${JSON.stringify(request)}`);
  });

  await step("the member sees their request approved", async () => {
    await memberPage.goto(`${requestsUrl}?status=approved`);
    const text = await card(memberPage, asked).innerText();
    expect(text.includes("approved"), `the member's request: ${text}`);
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
