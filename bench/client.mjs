// Benchmark: the node client (`createClient` + `captureFeedback`, file outbox with fsync
// `batch`) beside @segment/analytics-node and posthog-node, on the same events, in one run.
// Each SDK runs in its own process (fresh heap, its own peak RSS) against a counting loopback
// sink in a child process (bench/client-sink.mjs) that answers each SDK's batch endpoint.
// Run: pnpm build && node bench/client.mjs   (BENCH_N events per SDK, default 100,000;
// BENCH_RUNS runs of all three, default 1; BENCH_BATCH events per request, default 100 — the
// closeloop outbox's default batch size, which createClient does not expose).
// One case alone: node bench/client.mjs --case closeloop|segment|posthog (prints JSON).
// Results go to docs/benchmarks.md.
import { execFileSync, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const SINK = fileURLToPath(new URL("./client-sink.mjs", import.meta.url));

/** The same support-ticket feedback for every SDK: channel, ~60 chars of text, customer, tag. */
const event = (i) => ({
  channel: "support",
  text: `The CSV export timed out again on the invoices page, #${String(i).padStart(6, "0")}`,
  customerId: `cus_${(i % 5_000).toString(36).padStart(6, "0")}`,
  tag: "export",
});

async function startSink() {
  const child = fork(SINK, [String(N)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const port = await new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m.ready));
    child.once("exit", (code) => reject(new Error(`sink exited (${code})`)));
  });
  let counts;
  const done = new Promise((resolve) => {
    child.on("message", (m) => {
      if (m.done) {
        counts = m.done;
        resolve(counts);
      }
      if (m.counts) counts = m.counts;
    });
  });
  const ask = () =>
    new Promise((resolve) => {
      child.once("message", (m) => resolve(m.counts ?? m.done));
      child.send("count");
    });
  return { url: `http://127.0.0.1:${port}`, done, ask, kill: () => child.kill("SIGKILL") };
}

/** Each SDK: set up against the sink, one capture call, and the drain after the burst. */
const sdks = {
  async closeloop(url, dir) {
    const { createClient } = await import("../packages/node/dist/index.js");
    const client = createClient({
      endpoint: url,
      secretKey: "sk_bench",
      outbox: { dir: join(dir, "outbox"), fsync: "batch" },
    });
    return {
      capture: (e) =>
        client.captureFeedback({
          channel: e.channel,
          text: e.text,
          customer: { id: e.customerId },
          tags: [e.tag],
        }),
      drain: () => client.close({ timeoutMs: 120_000 }),
    };
  },
  async segment(url) {
    const { Analytics } = await import("@segment/analytics-node");
    const analytics = new Analytics({
      writeKey: "bench",
      host: url,
      path: "/v1/batch",
      flushAt: BATCH,
      flushInterval: 1_000,
    });
    return {
      capture: (e) =>
        analytics.track({
          userId: e.customerId,
          event: "Feedback Captured",
          properties: { channel: e.channel, text: e.text, tags: [e.tag] },
        }),
      drain: () => analytics.closeAndFlush({ timeout: 120_000 }),
    };
  },
  async posthog(url) {
    const { PostHog } = await import("posthog-node");
    const posthog = new PostHog("phc_bench", {
      host: url,
      flushAt: BATCH,
      maxBatchSize: BATCH,
      maxQueueSize: N, // its default (10,000) drops the oldest events of a 100k burst
      flushInterval: 1_000,
    });
    return {
      capture: (e) =>
        posthog.capture({
          distinctId: e.customerId,
          event: "feedback captured",
          properties: { channel: e.channel, text: e.text, tags: [e.tag] },
        }),
      drain: () => posthog.shutdown(120_000),
    };
  },
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

async function runCase(name) {
  const dir = mkdtempSync(join(tmpdir(), "closeloop-client-bench-"));
  const sink = await startSink();
  let sdk;
  try {
    sdk = await sdks[name](sink.url, dir);
  } catch (e) {
    sink.kill();
    throw e;
  }
  // As an app in a tight loop calls: each event is built as it is captured, and of our
  // promises only the outcome is kept (counted), not the promises — the same for every SDK
  // (the peers' calls answer nothing to keep).
  const costs = new Float64Array(N);
  let errors = 0;
  let settled = 0;
  let resolvedMs;
  let allResolved;
  const resolved = new Promise((r) => (allResolved = r));
  const outcome = (failed) => {
    if (failed) errors++;
    if (++settled === N) {
      resolvedMs = performance.now() - t0;
      allResolved();
    }
  };
  const ok = () => outcome(false);
  const failed = () => outcome(true);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const e = event(i);
    const a = process.hrtime.bigint();
    const p = sdk.capture(e);
    costs[i] = Number(process.hrtime.bigint() - a);
    p?.then(ok, failed);
  }
  const loopMs = performance.now() - t0;
  if (name === "closeloop") await resolved;
  let deliveredMs;
  const delivered = sink.done.then(() => (deliveredMs = performance.now() - t0));
  await sdk.drain();
  // The drain returned; give the sink a moment to report if the last answer is in flight.
  await Promise.race([delivered, new Promise((r) => setTimeout(r, 2_000))]);
  const drainedMs = performance.now() - t0;
  const counts = await sink.ask();
  sink.kill();
  rmSync(dir, { recursive: true, force: true });
  costs.sort();
  return {
    name,
    n: N,
    medianUs: quantile(costs, 0.5) / 1000,
    p99Us: quantile(costs, 0.99) / 1000,
    loopMs,
    resolvedMs,
    deliveredMs,
    drainedMs,
    deliveredPerSec: deliveredMs ? N / (deliveredMs / 1000) : undefined,
    errors,
    counts,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const [mode, arg] = process.argv.slice(2);
if (mode === "--case") {
  const r = await runCase(arg);
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

const fmt = (x, d = 0) =>
  x === undefined
    ? "—"
    : x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
const label = {
  closeloop: "closeloop `captureFeedback` (file outbox, fsync `batch`)",
  segment: "@segment/analytics-node 3.1.0 `track`",
  posthog: "posthog-node 5.70.0 `capture`",
};
console.log(
  `${fmt(N)} events per SDK, ${BATCH} per request, node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`,
);
const all = [];
for (let run = 1; run <= RUNS; run++) {
  const rows = {};
  for (const name of ["closeloop", "segment", "posthog"]) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--case", name], {
      env: { ...process.env, BENCH_N: String(N), BENCH_BATCH: String(BATCH) },
      maxBuffer: 1 << 24,
    });
    rows[name] = JSON.parse(out.toString().trim().split("\n").pop());
  }
  all.push(rows);
  console.log(`\nrun ${run}\n`);
  console.log(
    "SDK | capture median (sync) | capture p99 | burst loop | all promises resolved | delivered events/s | peak RSS | sink counted",
  );
  console.log("---|---|---|---|---|---|---|---");
  for (const [name, r] of Object.entries(rows)) {
    const c = r.counts;
    const counted = `${fmt(c.distinct)}${c.arrivals !== c.distinct ? ` (+${fmt(c.arrivals - c.distinct)} dup)` : ""}`;
    console.log(
      `${label[name]} | ${fmt(r.medianUs, 2)} µs | ${fmt(r.p99Us, 2)} µs | ${fmt(r.loopMs)} ms | ${r.resolvedMs === undefined ? "—" : `${fmt(r.resolvedMs)} ms`} | ${fmt(r.deliveredPerSec)} | ${fmt(r.peakRssMb)} MB | ${counted}`,
    );
  }
  for (const [name, r] of Object.entries(rows)) {
    if (r.counts.distinct < N || r.errors > 0 || r.counts.bad > 0) {
      console.log(
        `\n**SHORTFALL** ${name}: the sink counted ${fmt(r.counts.distinct)} of ${fmt(N)} events (${r.errors} rejected captures, ${r.counts.bad} bad requests)`,
      );
    }
  }
  const ours = rows.closeloop.deliveredPerSec;
  for (const peer of ["segment", "posthog"]) {
    const theirs = rows[peer].deliveredPerSec;
    console.log(
      `closeloop / ${peer} delivered events/s: ${ours && theirs ? `${(ours / theirs).toFixed(2)}×` : "— (a case did not deliver everything)"}`,
    );
  }
}
if (RUNS > 1) {
  console.log(`\nrange over ${RUNS} runs\n`);
  for (const name of ["closeloop", "segment", "posthog"]) {
    const range = (f, d = 0, unit = "") => {
      const xs = all.map((rows) => f(rows[name])).filter((x) => x !== undefined);
      return `${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)}${unit}`;
    };
    console.log(
      `${name}: median ${range((r) => r.medianUs, 2, " µs")}, p99 ${range((r) => r.p99Us, 2, " µs")}, delivered ${range((r) => r.deliveredPerSec)} events/s, peak RSS ${range((r) => r.peakRssMb, 0, " MB")}`,
    );
  }
  for (const peer of ["segment", "posthog"]) {
    const xs = all.map((rows) => rows.closeloop.deliveredPerSec / rows[peer].deliveredPerSec);
    console.log(
      `closeloop / ${peer}: ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}×`,
    );
  }
}
// For bench/run.mjs (docs/benchmarks.md, bench/report/client.md): the last run as JSON.
const { emit } = await import("./emit.mjs");
const last = all.at(-1);
const figures = { n: fmt(N), runs: String(RUNS) };
for (const [name, r] of Object.entries(last)) {
  figures[`${name}.median`] = `${fmt(r.medianUs, 2)} µs`;
  figures[`${name}.delivered`] = fmt(r.deliveredPerSec);
  figures[`${name}.peak`] = `${fmt(r.peakRssMb)} MB`;
}
for (const peer of ["segment", "posthog"]) {
  const [ours, theirs] = [last.closeloop.deliveredPerSec, last[peer].deliveredPerSec];
  figures[`vs.${peer}`] = ours && theirs ? `${(ours / theirs).toFixed(2)}×` : "—";
  figures[`rss.vs.${peer}`] = `${(last[peer].peakRssMb / last.closeloop.peakRssMb).toFixed(2)}×`;
}
emit({
  tables: {
    client: {
      columns: [
        "SDK",
        "capture median",
        "capture p99",
        "burst loop",
        "all promises resolved",
        "delivered events/s",
        "peak RSS",
        "sink counted",
      ],
      rows: Object.entries(last).map(([name, r]) => [
        label[name],
        `${fmt(r.medianUs, 2)} µs`,
        `${fmt(r.p99Us, 2)} µs`,
        `${fmt(r.loopMs)} ms`,
        r.resolvedMs === undefined ? "—" : `${fmt(r.resolvedMs)} ms`,
        fmt(r.deliveredPerSec),
        `${fmt(r.peakRssMb)} MB`,
        `${fmt(r.counts.distinct)}${r.counts.arrivals !== r.counts.distinct ? ` (+${fmt(r.counts.arrivals - r.counts.distinct)} duplicates)` : ""}`,
      ]),
      notes: [`${fmt(N)} events per SDK; run ${all.length} of ${RUNS}`],
    },
  },
  figures,
});
