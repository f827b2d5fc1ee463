// Benchmark: the browser SDK beside the SDKs a page would load instead — @sentry/browser with
// its feedback integration, posthog-js with its surveys extension, @segment/analytics-next and
// @typeform/embed (root devDependencies, bench-only). Each is an app entry that imports the SDK
// and calls its documented init against a loopback sink, bundled the way scripts/size.mjs
// bundles ours (esbuild, minified, tree-shaken, browser platform, ES2020) and gzipped at level
// 9; then each bundle is inlined in a page in Chromium and timed: its parse + execute, its init
// call, the page's script time over its first 2 s and its longest task (median of BENCH_RUNS).
// Run: pnpm build && node bench/browser.mjs   (BENCH_RUNS, default 15). Results:
// docs/benchmarks.md.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { bundleAsApp, published as publishedFile, root } from "../scripts/app-bundle.mjs";
import { emit, num, QUICK, size, times } from "./emit.mjs";

const RUNS = size("BENCH_RUNS", 15, 1);
// Ours as an app gets them: the built files the browser package's `exports` name for import.
const published = (subpath) => publishedFile("browser", subpath);
const version = (name) =>
  JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;

// The sink: answers every SDK's calls with a quick success (CORS open), and serves the pages.
const pages = new Map();
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const cors = {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-credentials": "true",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
      "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
    };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    const page = pages.get(req.url);
    if (page) return res.writeHead(200, { "content-type": "text/html" }).end(page);
    // Segment's settings, which analytics-next reads from its CDN before anything else.
    const body = req.url.includes("/settings")
      ? { integrations: { "Segment.io": { apiKey: "bench" } }, plan: {}, edgeFunction: {} }
      : { surveys: [], closures: [] };
    res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body));
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const SINK = `http://127.0.0.1:${server.address().port}`;

// Each entry marks when its imports have run (__t1) and when its init returned (__t2).
const mark = (code) =>
  `window.__t1 = performance.now();\n${code}\nwindow.__t2 = performance.now();`;
const entries = [
  {
    key: "ours",
    name: "closeloop `@closeloop/browser` (client, targeting, widget)",
    contents: `import { init } from ${JSON.stringify(published("."))};
${mark(`init({ endpoint: ${JSON.stringify(SINK)}, publicKey: "pk_bench_0123456789abcdefghij" });`)}`,
  },
  {
    key: "lite",
    name: "closeloop `@closeloop/browser/lite` (init, identify, track, captureFeedback)",
    contents: `import { init } from ${JSON.stringify(published("./lite"))};
${mark(`init({ endpoint: ${JSON.stringify(SINK)}, publicKey: "pk_bench_0123456789abcdefghij" });`)}`,
  },
  {
    key: "sentry",
    name: `\`@sentry/browser\` ${version("@sentry/browser")} + \`feedbackIntegration\``,
    contents: `import { init, feedbackIntegration } from "@sentry/browser";
${mark(`init({ dsn: "http://bench@127.0.0.1:${server.address().port}/1", integrations: [feedbackIntegration()] });`)}`,
  },
  {
    key: "posthog",
    name: `\`posthog-js\` ${version("posthog-js")} + surveys extension`,
    contents: `import posthog from "posthog-js";
import "posthog-js/dist/surveys";
${mark(`posthog.init("phc_bench", { api_host: ${JSON.stringify(SINK)} });`)}`,
  },
  {
    key: "segment",
    name: `\`@segment/analytics-next\` ${version("@segment/analytics-next")}`,
    contents: `import { AnalyticsBrowser } from "@segment/analytics-next";
${mark(`AnalyticsBrowser.load({ writeKey: "bench", cdnURL: ${JSON.stringify(SINK)} }, { integrations: { "Segment.io": { apiHost: ${JSON.stringify(`127.0.0.1:${server.address().port}/v1`)}, protocol: "http" } } });`)}`,
  },
  {
    key: "typeform",
    name: `\`@typeform/embed\` ${version("@typeform/embed")} (\`createWidget\`; the form itself is an iframe)`,
    contents: `import { createWidget } from "@typeform/embed";
${mark(`createWidget("bench01", { container: document.getElementById("tf") });`)}`,
  },
];

const bundle = (contents, format) =>
  bundleAsApp(contents, {
    format,
    loader: "ts",
    define: { "process.env.NODE_ENV": '"production"' },
  });

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const sizes = {};
for (const e of entries) {
  const esm = await bundle(e.contents, "esm");
  e.iife = Buffer.from(await bundle(e.contents, "iife")).toString("utf8");
  sizes[e.key] = { min: esm.length, gzip: gz(esm) };
}
for (const [key, file] of [
  ["iife", "index.global.js"],
  ["liteIife", "lite.global.js"],
]) {
  const bytes = readFileSync(join(root, "packages/browser/dist", file));
  sizes[key] = { min: bytes.length, gzip: gz(bytes) };
}
const typeformCss = gz(
  readFileSync(join(root, "node_modules/@typeform/embed/build/css/widget.css")),
);

// The page: the bundle inlined at the end of the body (no network between the marks), after a
// longtask observer and the first mark. A page without an SDK is the baseline.
const page = (
  script,
) => `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>
<body><div id="tf"></div><script>
window.__long = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
window.__t0 = performance.now();
</script><script>${script.replaceAll("</script", "<\\/script")}</script></body></html>`;
pages.set("/none", page(mark("")));
for (const e of entries) pages.set(`/${e.key}`, page(e.iife));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const costs = {};
try {
  for (const key of ["none", ...entries.map((e) => e.key)]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      // Nothing leaves the machine: the peers' CDN and form hosts are refused.
      await context.route(
        (url) => !url.href.startsWith(SINK),
        (route) => route.abort(),
      );
      const p = await context.newPage();
      const cdp = await context.newCDPSession(p);
      await cdp.send("Performance.enable");
      await p.goto(`${SINK}/${key}`, { waitUntil: "load" });
      await p.waitForTimeout(QUICK ? 500 : 2_000);
      const marks = await p.evaluate(() => ({
        parse: window.__t1 - window.__t0,
        init: window.__t2 - window.__t1,
        long: window.__long,
      }));
      const { metrics } = await cdp.send("Performance.getMetrics");
      const script = metrics.find((m) => m.name === "ScriptDuration").value * 1000;
      runs.push({ ...marks, script, longest: Math.max(0, ...marks.long) });
      await context.close();
    }
    costs[key] = {
      parse: median(runs.map((r) => r.parse)),
      init: median(runs.map((r) => r.init)),
      script: median(runs.map((r) => r.script)),
      longest: median(runs.map((r) => r.longest)),
      longMax: Math.max(...runs.map((r) => r.longest)),
    };
    console.log(key, JSON.stringify(costs[key]));
  }
} finally {
  await browser.close();
  server.close();
}

const kb = (b) => `${num(b / 1024, 2)} KB`;
const sizeRows = [];
for (const e of entries) {
  const s = sizes[e.key];
  sizeRows.push([
    e.name,
    kb(s.min),
    `${kb(s.gzip)} (${num(s.gzip)} B)`,
    times(s.gzip, sizes.ours.gzip, 2),
    times(s.gzip, sizes.lite.gzip, 2),
  ]);
}
for (const [key, name] of [
  ["iife", "closeloop IIFE `index.global.js` (as shipped, terser)"],
  ["liteIife", "closeloop lite IIFE `lite.global.js`"],
]) {
  const s = sizes[key];
  sizeRows.push([
    name,
    kb(s.min),
    `${kb(s.gzip)} (${num(s.gzip)} B)`,
    times(s.gzip, sizes.ours.gzip, 2),
    times(s.gzip, sizes.lite.gzip, 2),
  ]);
}
const ms = (x) => `${num(x, 1)} ms`;
// The observer sees only tasks of 50 ms or more: a median of 0 is "under 50 ms".
const long = (c) =>
  c.longMax === 0
    ? "none ≥ 50 ms"
    : `${c.longest === 0 ? "< 50 ms" : ms(c.longest)} (max of the runs ${ms(c.longMax)})`;
const costRows = [
  ["no SDK (the page alone)", "—", "—", ms(costs.none.script), long(costs.none), "—"],
];
for (const e of entries) {
  const c = costs[e.key];
  costRows.push([
    e.name,
    ms(c.parse),
    ms(c.init),
    ms(c.script),
    long(c),
    times(c.parse + c.init, costs.ours.parse + costs.ours.init, 1),
  ]);
}
const figures = { runs: String(RUNS), typeformCss: `${num(typeformCss)} B` };
for (const [k, s] of Object.entries(sizes)) {
  figures[`${k}.gzip`] = `${num(s.gzip)} B`;
  figures[`${k}.kb`] = kb(s.gzip);
  figures[`${k}.vsOurs`] = times(s.gzip, sizes.ours.gzip, 1);
  figures[`${k}.vsLite`] = times(s.gzip, sizes.lite.gzip, 1);
}
for (const [k, c] of Object.entries(costs)) {
  figures[`${k}.parse`] = ms(c.parse);
  figures[`${k}.init`] = ms(c.init);
  figures[`${k}.script`] = ms(c.script);
  figures[`${k}.cost`] = ms(c.parse + c.init);
  figures[`${k}.costVsOurs`] = times(c.parse + c.init, costs.ours.parse + costs.ours.init, 1);
}
const peers = entries.filter((e) => !["ours", "lite"].includes(e.key));
const list = (xs) => (xs.length ? xs.map((e) => e.name.split(" ")[0]).join(", ") : "none");
figures.smallerThanOurs = list(peers.filter((e) => sizes[e.key].gzip < sizes.ours.gzip));
figures.cheaperThanOurs = list(
  peers.filter((e) => costs[e.key].parse + costs[e.key].init < costs.ours.parse + costs.ours.init),
);
console.log(sizeRows.map((r) => r.join(" | ")).join("\n"));
console.log(costRows.map((r) => r.join(" | ")).join("\n"));
emit({
  tables: {
    size: {
      columns: [
        "bundle (app entry: import + documented init)",
        "min",
        "min+gzip",
        "÷ ours",
        "÷ lite",
      ],
      rows: sizeRows,
    },
    cost: {
      columns: [
        "bundle",
        "parse + execute",
        "init call",
        "script time, first 2 s",
        "longest task",
        "(parse + init) ÷ ours",
      ],
      rows: costRows,
      notes: [`median of ${RUNS} page loads each, a fresh browser context per load`],
    },
  },
  figures,
});
