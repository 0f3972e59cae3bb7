// Shared by the console's browser tests: Debian's chromium driven by playwright-core (never a
// browser download), axe-core checks, keyboard helpers, and a plain pass/fail tally.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = new URL("../target/e2e/", import.meta.url).pathname;

/** The environment variable `name`, which the JUnit test `test` sets after `making` its data; exits 2 without it. */
export function requiredEnv(name, test = "ConsoleBrowserEndToEndTest", making = "making the org") {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name} (the JUnit test ${test} sets it after ${making}).`);
    process.exit(2);
  }
  return value;
}

export function baseUrl() {
  const url = process.env.TENURE_URL;
  if (!url) {
    console.error("Set TENURE_URL to the local stack's address (e.g. http://127.0.0.1:3000).");
    process.exit(2);
  }
  return url.replace(/\/+$/, "");
}

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium (as root: apt-get update && apt-get install -y chromium;` +
        " local/ensure-chromium does it, and mvn -B verify runs that before the tests)",
    );
  }
  // The flags the machines' docs give for a sandbox-less root machine with a closed network.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}

/** Watches a page for script errors and Content-Security-Policy refusals, which fail the run. */
export function watch(page, problems) {
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP refusal: ${message.text()}`);
    }
  });
}

/**
 * Presses Tab until the element matching the CSS `selector` (and whose text is `text`, when given)
 * has focus, at most `max` times: proves it is reachable by keyboard.
 */
export async function tabTo(page, selector, text = null, max = 25) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const reached = await page.evaluate(([s, t]) => {
      const element = document.activeElement;
      return Boolean(element?.matches(s) && (t === null || element.textContent?.trim() === t));
    }, [selector, text]);
    if (reached) return;
  }
  throw new Error(`${selector}${text === null ? "" : ` "${text}"`} not reached with ${max} presses of Tab`);
}

/** Focus is visible on the focused element: an outline or a box shadow is drawn. */
export async function focusVisible(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
  });
}

/** axe-core on the page as it is now; returns the violations, printing the figures. */
export async function axe(page, screen, figures) {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const other = results.violations.filter((v) => !(v.impact === "serious" || v.impact === "critical"));
  const line = `axe ${screen}: ${serious.length} serious/critical, ${other.length} moderate/minor violations, ${results.passes.length} rules passed, ${results.incomplete.length} to review by hand`;
  console.log(line);
  for (const v of results.violations) {
    console.log(`  ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }
  const impacts = Object.fromEntries(["critical", "serious", "moderate", "minor"].map((i) => [i, results.violations.filter((v) => v.impact === i).length]));
  figures.push({ screen, serious: serious.length, other: other.length, passes: results.passes.length, impacts });
  if (serious.length > 0) throw new Error(`axe found ${serious.length} serious/critical violations on ${screen}: ${serious.map((v) => v.id).join(", ")}`);
}

/** axe-core as loaded here does find a planted violation (an input with no label), so a clean result means something. */
export async function axeSelfCheck(page) {
  await page.setContent("<!doctype html><html lang=en><title>axe self-check</title><main><h1>Check</h1><input></main></html>");
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const label = results.violations.find((v) => v.id === "label");
  if (!label || !(label.impact === "serious" || label.impact === "critical")) {
    throw new Error(`axe-core missed the unlabelled input: ${JSON.stringify(results.violations.map((v) => v.id))}`);
  }
}

/** Runs named steps in order; the first failure stops the run (later steps depend on earlier ones). */
export function steps(page, secrets = () => []) {
  const tally = { passed: 0, failed: 0 };
  async function step(name, body) {
    if (tally.failed > 0) return;
    try {
      await body();
      tally.passed++;
      console.log(`ok ${tally.passed} - ${name}`);
    } catch (error) {
      tally.failed++;
      console.log(`FAILED - ${name}: ${error instanceof Error ? error.message : error}`);
      try {
        mkdirSync(SHOTS, { recursive: true });
        const file = `${SHOTS}${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`;
        await page.screenshot({ path: file, fullPage: true });
        console.log(`  screenshot: ${file}`);
        // Secrets on the page (a new API key) are masked, so a failure never prints one.
        let text = await page.locator("body").innerText();
        for (const secret of secrets()) if (secret) text = text.split(secret).join("[secret]");
        console.log(`  page text: ${text.slice(0, 1500)}`);
      } catch {
        // The page may be gone; the failure above is what matters.
      }
    }
  }
  return { step, tally };
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** The local stack's clock (every function reads time from it): dates chosen from it are in the stack's future. */
export async function stackNow(base) {
  const response = await fetch(`${base}/_local/clock`);
  expect(response.ok, `GET /_local/clock answered ${response.status}`);
  return new Date((await response.json()).now);
}

/** Moves the local stack's clock forward by an ISO-8601 duration ("PT1M", "P10D"); returns the new now. */
export async function advanceClock(base, duration) {
  const response = await fetch(`${base}/_local/clock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ advance: duration }),
  });
  expect(response.ok, `POST /_local/clock answered ${response.status}`);
  return stackNow(base);
}

/** RFC 4180 CSV: quoted cells with "" for a quote, commas and new lines inside quotes; rows of cells. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A token of the local sign-in for `email` (POST /_local/token); never printed. */
export async function localToken(base, email) {
  const response = await fetch(`${base}/_local/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  expect(response.ok, `POST /_local/token answered ${response.status}`);
  const { token } = await response.json();
  return token;
}

/** `fetch` on the API as `email` would call it from a session of their own: `(path, init) => Response`. */
export async function fetchAs(base, email) {
  const token = await localToken(base, email);
  return (path, init = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });
}

/** Prints the axe totals and the closing line the JUnit runner checks (`N passed, M failed`); the exit code to use. */
export function report(figures, tally) {
  if (figures.length > 0) {
    console.log(`axe: ${figures.length} screens checked, ${figures.reduce((n, f) => n + f.serious, 0)} serious/critical violations, ` +
      `${figures.reduce((n, f) => n + f.other, 0)} moderate/minor`);
  }
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  return tally.failed === 0 ? 0 : 1;
}

/**
 * Waits until no part of the page is still loading: the Overview's sections load one by one and
 * each one that arrives moves those below it, so a click aimed before they settle can land elsewhere.
 */
export async function settled(page) {
  await page.waitForFunction(() => document.querySelectorAll(".loading").length === 0);
}
