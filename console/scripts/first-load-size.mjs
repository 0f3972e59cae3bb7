// Prints the JavaScript the console's first load fetches, gzipped: the entry chunk of index.html
// and every chunk it imports statically (dynamic imports load later). Exits 1 over the budget.
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
visit(entry);
let bytes = 0;
for (const file of files) {
  if (file.endsWith(".js")) bytes += gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
}
const kb = bytes / 1024;
console.log(`console: first-load JS ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB), ${files.size} file(s) from ${entry}`);
if (kb > BUDGET_KB) {
  console.error(`console: first-load JS is over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
