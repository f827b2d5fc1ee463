// Prints the min+gzip size of each browser-facing entry and fails when one is over budget.
// A budget marked `open` is not met yet and tracked by that issue: it is printed OVER but fails
// only under SIZE_STRICT=1, so the gap stays visible in every CI log (docs/size.md).
// Entries are bundled from the built packages (`dist`, the files npm publishes, reached through
// each package's `exports`) with esbuild (minified, tree-shaken, browser platform), the way an
// app's bundler would ship them; the IIFE is measured as built by tsup.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { bundleAsApp, published, root } from "./app-bundle.mjs";

const core = published("core");
const KB = 1024;

const entries = [
  {
    name: "@closeloop/core browser path: session, answers, segments, loop (zod-free)",
    contents: `export { createSurveySession, validateAnswer, segmentOf, resolveLocale, localize,
      createLoop, transition, deadlines, isBreached } from ${JSON.stringify(core)};`,
    budget: 8 * KB,
  },
  {
    name: "  + SurveySchema and ClosureNoticeSchema (zod/mini) to parse them in the browser",
    contents: `export { createSurveySession, validateAnswer, segmentOf, resolveLocale, localize,
      createLoop, transition, deadlines, isBreached, SurveySchema, ClosureNoticeSchema }
      from ${JSON.stringify(core)};`,
  },
  {
    name: "@closeloop/core delivery path: outbox, fetch transport, memory store (no zod)",
    contents: `export { createOutbox, createHttpTransport, memoryQueueStore, createEventBus }
      from ${JSON.stringify(core)};`,
  },
  {
    name: "@closeloop/browser (ESM, every export: client, targeting, widget, outbox)",
    contents: `export * from ${JSON.stringify(published("browser"))};`,
    budget: 16 * KB,
  },
  {
    name: "@closeloop/browser/lite (ESM: init, identify, track, captureFeedback, outbox)",
    contents: `export * from ${JSON.stringify(published("browser", "./lite"))};`,
    budget: 6 * KB,
  },
  {
    name: "@closeloop/core (every export, for reference)",
    contents: `export * from ${JSON.stringify(core)};`,
  },
];

const rows = [];
for (const e of entries) rows.push({ ...e, bytes: await bundleAsApp(e.contents) });
for (const [file, name, budget, open] of [
  ["index.global.js", "@closeloop/browser IIFE (global Closeloop)", 16 * KB],
  ["lite.global.js", "@closeloop/browser/lite IIFE (global Closeloop)", 6 * KB],
]) {
  const iife = join(root, "packages/browser/dist", file);
  try {
    rows.push({ name, bytes: readFileSync(iife), budget, open });
  } catch {
    console.error(`missing ${iife}: run pnpm build first`);
    process.exitCode = 1;
  }
}

const fmt = (n) => `${(n / KB).toFixed(2)} KB`;
let over = 0;
const strict = process.env.SIZE_STRICT === "1";
console.log("entry | min | min+gzip | budget");
for (const r of rows) {
  const gz = gzipSync(r.bytes, { level: 9 }).length;
  const ok = r.budget === undefined || gz <= r.budget;
  if (!ok && (strict || !r.open)) over++;
  const verdict = ok ? "ok" : r.open ? `OVER (not met yet, open in ${r.open})` : "OVER";
  const budget = r.budget === undefined ? "-" : `${fmt(r.budget)} ${verdict}`;
  // The exact gzip bytes too: a change's saving is often smaller than the KB figure's last digit.
  console.log(`${r.name} | ${fmt(r.bytes.length)} | ${fmt(gz)} (${gz} B) | ${budget}`);
}
if (over > 0) {
  console.error(`${over} entr${over === 1 ? "y is" : "ies are"} over budget`);
  process.exitCode = 1;
}
