// The console's first browser test, against the running local stack (TENURE_URL): sign in locally,
// see no org, create one (an empty name first: the API's field error shows beside the field), open
// it and add a project. The sign-in and create-org forms are used with the keyboard alone; axe-core
// checks every screen. Exits non-zero on any failure, saying what failed.
import { randomUUID } from "node:crypto";
import { axe, axeSelfCheck, baseUrl, expect, focusVisible, launch, report, steps, tabTo, watch } from "./browser.mjs";

const base = baseUrl();
const email = `console-admin-${randomUUID().slice(0, 8)}@console.example`;
const orgName = `Console Org ${randomUUID().slice(0, 6)}`;
const figures = [];
const problems = [];

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page, problems);
  const { step, tally } = steps(page);
  const h1 = page.locator("h1");

  await step("axe-core finds a planted violation", async () => {
    await axeSelfCheck(page);
  });

  await step("the console loads at /console/ and asks to sign in", async () => {
    const response = await page.goto(`${base}/console/`, { timeout: 30_000 });
    expect(response?.status() === 200, `GET /console/ answered ${response?.status()}`);
    await h1.filter({ hasText: "Sign in" }).waitFor();
    await axe(page, "sign-in", figures);
  });

  await step("sign in with an email, keyboard only", async () => {
    await tabTo(page, "#sign-in-email");
    expect(await focusVisible(page), "the focused email field shows no focus ring");
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: "Organizations" }).waitFor();
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("tenure.token"), local: localStorage.length }));
    expect(typeof stored.session === "string" && stored.session.length > 20, "no token in sessionStorage after sign-in");
    expect(stored.local === 0, "the sign-in wrote to localStorage");
  });

  await step("a new user sees the empty orgs state", async () => {
    await page.getByText("You are not a member of any organization yet").waitFor();
    expect(await page.getByText(email).isVisible(), "the header does not show who is signed in");
    await axe(page, "orgs (empty)", figures);
  });

  await step("an empty org name shows the API's field error next to the field, keyboard only", async () => {
    await tabTo(page, "#create-org-name");
    await page.keyboard.press("Enter");
    const error = page.locator("#create-org-name-error");
    await error.waitFor();
    const text = (await error.innerText()).trim();
    expect(text.length > 0, "the field error is empty");
    const input = page.locator("#create-org-name");
    expect((await input.getAttribute("aria-invalid")) === "true", "the name field is not marked aria-invalid");
    expect(((await input.getAttribute("aria-describedby")) ?? "").split(" ").includes("create-org-name-error"),
      "the name field is not described by its error");
    expect(await page.evaluate(() => document.activeElement?.id === "create-org-name"), "focus is not on the field in error");
    // Next to the field: the error is the field's own block, right after the input.
    expect(await page.evaluate(() => document.getElementById("create-org-name")?.parentElement
      === document.getElementById("create-org-name-error")?.parentElement), "the error is not beside its field");
    console.log(`  field error shown: "${text}"`);
    await axe(page, "orgs (field error)", figures);
  });

  await step("a valid name creates the org, and it is listed", async () => {
    await page.keyboard.type(orgName);
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: orgName }).waitFor();
    await page.getByRole("status").filter({ hasText: `Created ${orgName}` }).waitFor();
    expect(!(await page.locator("#create-org-name-error").isVisible()), "the old field error is still shown");
    await axe(page, "orgs (listed)", figures);
  });

  await step("the org opens from its link, keyboard only", async () => {
    await tabTo(page, "a", orgName);
    expect(await focusVisible(page), "the focused org link shows no focus ring");
    await page.keyboard.press("Enter");
    await h1.filter({ hasText: orgName }).waitFor();
    expect(/\/console\/orgs\/org_[0-9A-Z]{26}$/.test(page.url()), `unexpected URL ${page.url()}`);
    await page.getByText("No projects yet.").waitFor();
    await axe(page, "org home (no projects)", figures);
  });

  await step("a project is created and listed", async () => {
    await page.getByLabel("Project name").fill("Web storefront");
    await page.getByLabel("Platform").selectOption("ios");
    await page.getByRole("button", { name: "Create project" }).click();
    const row = page.getByRole("row").filter({ hasText: "Web storefront" });
    await row.waitFor();
    expect((await row.innerText()).includes("ios"), "the project row does not show its platform");
    await axe(page, "org home (projects)", figures);
  });

  await step("a reload of the org's deep link keeps the screen and the sign-in", async () => {
    await page.reload();
    await h1.filter({ hasText: orgName }).waitFor();
    await page.getByRole("row").filter({ hasText: "Web storefront" }).waitFor();
  });

  await step("sign out returns to sign-in and forgets the token", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await h1.filter({ hasText: "Sign in" }).waitFor();
    expect((await page.evaluate(() => sessionStorage.getItem("tenure.token"))) === null, "the token is still kept");
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
