// The collaborator's accept page (GET/POST /invitations/accept) in chromium, against the running
// local stack (TENURE_URL). The JUnit test AcceptPageBrowserEndToEndTest makes the invitation through
// the API and passes the emailed link in ACCEPT_LINK, which state to check in ACCEPT_STATE, and what
// the page must show as JSON in ACCEPT_EXPECT:
//   invitation  open the link in two tabs of one context and in a second context; each shows the
//               invitation (the JUnit side then sees it still pending); in a third context, a script
//               and an image from elsewhere planted in the page are refused by chromium (the CSP is in force);
//   accept      Tab to Accept and press Enter: the welcome page; a page opened before in another
//               context then gets the used page when its Accept is pressed;
//   anything else (expired, revoked, used, not found): the explanatory page with its status.
// Every page: the status, the CSP header with its inline style sheet applied (allowed by its hash),
// no request to another host, the token nowhere in the page, axe-core with no serious or critical
// violations, and no script error or CSP refusal. The token is never printed.
import { axe, axeSelfCheck, baseUrl, expect, focusVisible, launch, report, steps, tabTo, watch, requiredEnv } from "./browser.mjs";

const required = (name) => requiredEnv(name, "AcceptPageBrowserEndToEndTest", "making the invitation");
const base = baseUrl();
const state = required("ACCEPT_STATE");
const link = required("ACCEPT_LINK");
const expected = JSON.parse(required("ACCEPT_EXPECT"));
const token = new URL(link).searchParams.get("token");
// The link is a credential: whatever this script prints (step failures quote URLs) has it masked.
for (const stream of ["log", "error"]) {
  const print = console[stream].bind(console);
  console[stream] = (...parts) => print(...parts.map((part) => (typeof part === "string" && token ? part.split(token).join("<token>") : part)));
}
const origin = new URL(base).origin;
const figures = [];
const problems = [];
const elsewhere = [];
const subresources = [];
let requests = 0;

/** A new page in `context`, watched for script errors, CSP refusals and requests to other hosts. */
async function open(context) {
  const page = await context.newPage();
  watch(page, problems);
  page.on("request", (request) => {
    requests++;
    if (new URL(request.url()).origin !== origin) elsewhere.push(request.url());
    if (request.resourceType() !== "document") subresources.push(`${request.resourceType()} ${request.url()}`);
  });
  return page;
}

/** What holds for every accept page: status, CSP, its own style sheet applied, no token shown. */
async function checkPage(page, response, status) {
  expect(response, "no response for the page");
  expect(response.status() === status, `HTTP ${response.status()}, expected ${status}`);
  const csp = (await response.allHeaders())["content-security-policy"] ?? "";
  expect(csp.includes("default-src 'none'") && /style-src 'sha256-/.test(csp), `the CSP header is ${csp || "missing"}`);
  // The inline style sheet runs only if the CSP's hash allows it; unstyled, the body is white.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background === "rgb(245, 246, 248)", `the page's style sheet is not applied (body background ${background})`);
  expect(!(await page.content()).includes(token), "the page shows the link's token");
}

/** The invitation as the collaborator reads it. */
async function checkInvitation(page) {
  const h1 = (await page.locator("h1").innerText()).trim();
  expect(h1 === `${expected.inviter} invited you to join ${expected.org}`, `heading: ${h1}`);
  const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  expect(text.includes(`The invitation is for ${expected.email}, as ${expected.orgRole}.`), `address and role: ${text}`);
  const rows = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  expect(JSON.stringify(rows) === JSON.stringify(expected.projects), `projects and roles: ${JSON.stringify(rows)}`);
  const details = await page.locator("dl").evaluate((dl) =>
    Object.fromEntries([...dl.querySelectorAll("dt")].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.trim()])));
  expect(details["Engagement"] === expected.engagement, `the note's engagement: ${details["Engagement"]}`);
  expect(details["Access ends"] === expected.accessEnds, `access ends: ${details["Access ends"]}, expected ${expected.accessEnds}`);
  expect(/^\d{1,2} \w+ \d{4}, \d{2}:\d{2} UTC$/.test(details["This link works until"] ?? ""), `link expiry: ${details["This link works until"]}`);
  expect(await page.getByRole("button", { name: "Accept invitation" }).isVisible(), "no Accept invitation button");
  expect(text.includes("Nothing changes until you press Accept."), "the page does not say that opening it changes nothing");
  return text;
}

/** An explanatory page: its heading (also the tab's title), what to do, and no Accept to press. */
async function checkGone(page, response, gone, screen) {
  await checkPage(page, response, gone.status);
  const h1 = (await page.locator("h1").innerText()).trim();
  expect(h1 === gone.heading, `heading: ${h1}, expected ${gone.heading}`);
  expect((await page.title()) === gone.heading, `title: ${await page.title()}`);
  const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  expect(text.includes(gone.whatToDo), `what to do: ${text}`);
  expect((await page.getByRole("button").count()) === 0, "the page still offers a button");
  console.log(`  ${screen}: HTTP ${response.status()}, "${h1}": ${text.replace(h1, "").trim()}`);
  await axe(page, screen, figures);
}

/** Tab to Accept, press Enter, and the response to the form's POST. */
async function acceptWithKeyboard(page) {
  await tabTo(page, "button", "Accept invitation");
  expect(await focusVisible(page), "Accept has focus but no visible focus ring");
  const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/invitations/accept");
  const loaded = page.waitForEvent("load"); // the answer's page, not the one the form was on
  await page.keyboard.press("Enter");
  const response = await posted;
  await loaded;
  return response;
}

let browser;
let exitCode = 1;
try {
  browser = await launch();
  const first = await browser.newContext();
  const page = await open(first);
  const { step, tally } = steps(page);

  await step("axe-core finds a planted violation, so its clean results mean something", async () => {
    const scratch = await first.newPage();
    await axeSelfCheck(scratch);
    await scratch.close();
  });

  if (state === "invitation") {
    await step("opening the link shows the invitation: org, inviter, address, role, project, note, access end", async () => {
      const response = await page.goto(link, { timeout: 30_000 });
      await checkPage(page, response, 200);
      console.log(`  invitation: ${await checkInvitation(page)}`);
      await axe(page, "invitation", figures);
    });

    await step("opening it again in a second tab of the same context shows the same invitation", async () => {
      const again = await open(first);
      await checkPage(again, await again.goto(link), 200);
      await checkInvitation(again);
      await again.close();
    });

    await step("opening it from a second browser context shows the same invitation", async () => {
      const other = await open(await browser.newContext());
      await checkPage(other, await other.goto(link), 200);
      await checkInvitation(other);
    });

    await step("chromium enforces the page's CSP: a script or an image from elsewhere planted in it is refused", async () => {
      // A page of its own, unwatched: the refusals it provokes are the point here, not a failure.
      const probe = await (await browser.newContext()).newPage();
      // Chromium reports the planted image as a request, then fails it (playwright's failure text:
      // "csp") before it leaves the browser; a response from elsewhere would mean the CSP was not applied.
      const blocked = [];
      const fetched = [];
      probe.on("requestfailed", (request) => blocked.push(`${request.url()} ${request.failure()?.errorText}`));
      probe.on("requestfinished", (request) => {
        if (new URL(request.url()).origin !== origin) fetched.push(request.url());
      });
      await probe.goto(link);
      const imageFailed = probe.waitForEvent("requestfailed", { predicate: (r) => r.url().startsWith("https://elsewhere.example/"), timeout: 10_000 })
        .catch(() => null); // its absence is reported below, with what did happen
      await probe.evaluate(() => {
        window.refusedDirectives = [];
        document.addEventListener("securitypolicyviolation", (e) => window.refusedDirectives.push(e.effectiveDirective));
        const script = document.createElement("script");
        script.textContent = "window.plantedScriptRan = true";
        document.body.append(script);
        const img = document.createElement("img");
        img.src = "https://elsewhere.example/pixel.png";
        document.body.append(img);
      });
      // The violation reports arrive as queued events: wait (bounded) for both.
      await probe.waitForFunction(() => window.refusedDirectives.length >= 2, null, { timeout: 10_000 }).catch(() => {});
      const refused = await probe.evaluate(() => ({ ran: window.plantedScriptRan === true, directives: window.refusedDirectives }));
      expect(!refused.ran, "a planted inline script ran");
      expect(refused.directives.includes("script-src-elem") && refused.directives.includes("img-src"),
        `violations reported: ${refused.directives.join(", ") || "none"}`);
      await imageFailed;
      expect(fetched.length === 0, `the planted image was fetched: ${fetched.join(", ")}`);
      expect(blocked.some((b) => b.startsWith("https://elsewhere.example/pixel.png") && / (csp|net::ERR_BLOCKED_BY_CSP)$/.test(b)),
        `the planted image was not blocked by the CSP: ${blocked.join(", ") || "no failed request"}`);
      console.log(`  planted script and image refused (${refused.directives.join(", ")}; ${blocked.join(", ")})`);
      await probe.context().close();
    });
  } else if (state === "accept") {
    let before;
    await step("a second context opens the link before Accept is pressed", async () => {
      before = await open(await browser.newContext());
      await checkPage(before, await before.goto(link, { timeout: 30_000 }), 200);
      await checkInvitation(before);
    });

    await step("Tab to Accept invitation and press Enter: the welcome page", async () => {
      await checkPage(page, await page.goto(link), 200);
      await checkInvitation(page);
      const response = await acceptWithKeyboard(page);
      await checkPage(page, response, 200);
      const h1 = (await page.locator("h1").innerText()).trim();
      expect(h1 === `You have joined ${expected.org}`, `heading: ${h1}`);
      const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
      expect(text.includes(`Your access for ${expected.email} is active.`), `the welcome says: ${text}`);
      const signIn = page.getByRole("link", { name: `Sign in to ${expected.org}` });
      expect((await signIn.getAttribute("href")) === expected.loginUrl, `Sign in goes to ${await signIn.getAttribute("href")}`);
      console.log(`  accepted: ${text}`);
      await axe(page, "accepted", figures);
    });

    await step("Accept pressed on the page opened before shows that the invitation was already accepted", async () => {
      const response = await acceptWithKeyboard(before);
      await checkGone(before, response, { status: 410, heading: "This invitation was already accepted", whatToDo: "Sign in to the organization instead." },
        "used (Accept pressed on a page opened before)");
    });
  } else {
    await step(`the ${state} link shows its explanatory page`, async () => {
      const response = await page.goto(link, { timeout: 30_000 });
      await checkGone(page, response, expected, state);
    });
  }

  await step("every request went to the stack's own origin, and nothing else was loaded", async () => {
    expect(elsewhere.length === 0, `requests to other hosts: ${elsewhere.join(", ")}`);
    // The pages are self-contained (one inline style sheet): any sub-resource would be a change to look at.
    expect(subresources.length === 0, `the pages loaded: ${subresources.join(", ")}`);
    console.log(`  ${requests} requests, all documents from ${origin}`);
  });

  await step("no script error and no Content-Security-Policy refusal on the way", async () => {
    expect(problems.length === 0, problems.join("\n"));
  });

  for (const f of figures) {
    console.log(`axe figures ${f.screen}: critical ${f.impacts.critical}, serious ${f.impacts.serious}, moderate ${f.impacts.moderate}, ` +
      `minor ${f.impacts.minor}; ${f.passes} rules passed`);
  }
  exitCode = report(figures, tally);
} catch (error) {
  console.log(`FAILED - ${error instanceof Error ? error.message : error}`);
} finally {
  await browser?.close();
}
process.exit(exitCode);
