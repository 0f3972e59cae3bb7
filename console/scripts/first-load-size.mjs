// Prints the JavaScript the console's first load fetches, gzipped: the entry chunk of index.html
// and every chunk it imports statically; and, for a deployment, with the chunks the entry imports
// dynamically too (the OpenID Connect sign-in, loaded at once when /console-config names it).
// Exits 1 when either is over the budget.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entry) {
  console.error("console: no entry in dist/.vite/manifest.json; did vite build run?");
  process.exit(1);
}
const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
const gzippedKb = () => {
  let bytes = 0;
  for (const file of files) {
    if (file.endsWith(".js")) bytes += gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  }
  return bytes / 1024;
};
visit(entry);
const local = { kb: gzippedKb(), files: files.size };
for (const imported of manifest[entry].dynamicImports ?? []) visit(imported);
const deployed = { kb: gzippedKb(), files: files.size };
console.log(
  `console: first-load JS ${local.kb.toFixed(1)} KB gzipped with the local sign-in (${local.files} file(s)),` +
    ` ${deployed.kb.toFixed(1)} KB with OpenID Connect sign-in (${deployed.files} file(s)); budget ${BUDGET_KB} KB`,
);
if (Math.max(local.kb, deployed.kb) > BUDGET_KB) {
  console.error(`console: first-load JS is over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
