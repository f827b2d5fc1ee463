// Benchmark: what `enqueue` costs per item and how many items/s the outbox delivers to a
// collector stand-in over loopback, per store and fsync policy, side by side in one run.
// Run: pnpm build && node bench/outbox.mjs   (BENCH_N items per case, default 100,000;
// BENCH_BACKLOG for the backlog run, default 1,000,000; BENCH_QUICK=1: 2,000 and 10,000).
// Results go to docs/benchmarks.md (bench/run.mjs, bench/report/outbox.md).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createHttpTransport,
  createOutbox,
  memoryQueueStore,
} from "../packages/core/dist/index.js";
import { emit, num, size } from "./emit.mjs";

const N = size("BENCH_N", 100_000, 2_000);
const BACKLOG = size("BENCH_BACKLOG", 1_000_000, 10_000);
const SINK = new URL("../packages/node/test/fixtures/sink.mjs", import.meta.url).pathname;

let fileQueueStore;
try {
  ({ fileQueueStore } = await import("../packages/node/dist/index.js"));
} catch {}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startSink(port, log) {
  const child = spawn(process.execPath, [SINK, String(port), log, "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((r) => child.stdout.once("data", r));
  return child;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function run(name, openStore) {
  const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-"));
  const port = await freePort();
  const sink = await startSink(port, join(dir, "sink.tsv"));
  const store = await openStore(join(dir, "outbox"));
  const outbox = createOutbox({
    store,
    transport: createHttpTransport({ endpoint: `http://127.0.0.1:${port}`, key: "pk_bench" }),
    batch: { maxItems: 500, maxBytes: 1 << 20, intervalMs: 50 },
  });
  let delivered = 0;
  let done;
  const all = new Promise((r) => (done = r));
  outbox.bus.on("response:delivered", () => {
    if (++delivered === N) done();
  });
  const costs = new Float64Array(N);
  const pending = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const a = process.hrtime.bigint();
    pending.push(
      outbox.enqueue({
        type: "feedback",
        data: {
          channel: "support",
          text: `The export to CSV timed out again (${i})`,
          tags: ["export"],
        },
      }),
    );
    costs[i] = Number(process.hrtime.bigint() - a);
  }
  await Promise.all(pending);
  const accepted = performance.now() - t0;
  await all;
  const total = performance.now() - t0;
  await outbox.close({ timeoutMs: 1_000 });
  sink.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  return {
    name,
    medianNs: median(costs),
    p99Ns: [...costs].sort((a, b) => a - b)[Math.floor(N * 0.99)],
    acceptedPerSec: Math.round(N / (accepted / 1000)),
    deliveredPerSec: Math.round(N / (total / 1000)),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

const cases = {
  memory: () => memoryQueueStore(),
  "file, fsync never": (dir) => fileQueueStore({ dir, fsync: "never", maxBytes: 2 ** 31 }),
  "file, fsync batch": (dir) => fileQueueStore({ dir, fsync: "batch", maxBytes: 2 ** 31 }),
  "file, fsync always": (dir) => fileQueueStore({ dir, fsync: "always", maxBytes: 2 ** 31 }),
};

/** A backlog: M items enqueued while the collector is down, RSS sampled, then drained. */
async function backlog(m) {
  const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-"));
  const port = await freePort();
  const store = await cases["file, fsync batch"](join(dir, "outbox"));
  const outbox = createOutbox({
    store,
    transport: createHttpTransport({ endpoint: `http://127.0.0.1:${port}`, key: "pk_bench" }),
    batch: { maxItems: 500, maxBytes: 1 << 20, intervalMs: 50 },
    retry: { baseMs: 100, maxMs: 1_000 },
  });
  const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  const samples = [[0, rss()]];
  for (let i = 0; i < m; i += 1_000) {
    await Promise.all(
      Array.from({ length: 1_000 }, (_, j) =>
        outbox.enqueue({
          type: "feedback",
          data: { channel: "support", text: `Export timed out (${i + j})` },
        }),
      ),
    );
    if ((i + 1_000) % (m / 5) === 0) {
      globalThis.gc?.();
      samples.push([i + 1_000, rss()]);
    }
  }
  const sink = await startSink(port, join(dir, "sink.tsv"));
  const t0 = performance.now();
  while ((await outbox.pending()) > 0) await outbox.flush();
  const s = (performance.now() - t0) / 1000;
  await outbox.close({ timeoutMs: 1_000 });
  sink.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  return { items: m, samples, drainSeconds: s, drainPerSec: Math.round(m / s) };
}

const label = {
  memory: "`memoryQueueStore()`",
  "file, fsync never": "`fileQueueStore`, fsync `never`",
  "file, fsync batch": "`fileQueueStore`, fsync `batch`",
  "file, fsync always": "`fileQueueStore`, fsync `always`",
};

const [mode, arg] = process.argv.slice(2);
if (mode === "--case") {
  // One case per process, so RSS and the JIT start clean for each.
  const r = await run(arg, cases[arg]);
  r.peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(r));
} else if (mode === "--backlog") {
  console.log(JSON.stringify(await backlog(Number(arg ?? 1_000_000))));
} else {
  if (!fileQueueStore) throw new Error("no fileQueueStore in packages/node/dist: run pnpm build");
  const child = (args) => {
    const text = execFileSync(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), ...args],
      { env: { ...process.env, BENCH_N: String(N) } },
    ).toString();
    return JSON.parse(text.trim().split("\n").pop());
  };
  console.log(`${num(N)} items per case, node ${process.version}, ${new Date().toISOString()}`);
  const columns = [
    "store",
    "enqueue median",
    "enqueue p99",
    "accepted items/s",
    "delivered items/s",
    "peak RSS",
  ];
  console.log(`${columns.join(" | ")}\n${columns.map(() => "---").join("|")}`);
  const rows = [];
  const figures = { n: num(N), backlog: num(BACKLOG) };
  for (const name of Object.keys(cases)) {
    const r = child(["--case", name]);
    const row = [
      label[name],
      `${(r.medianNs / 1000).toFixed(2)} µs`,
      `${(r.p99Ns / 1000).toFixed(2)} µs`,
      num(r.acceptedPerSec),
      num(r.deliveredPerSec),
      `${r.peakMb} MB`,
    ];
    rows.push(row);
    console.log(row.join(" | "));
    const key = name.replace(/^file, fsync /, "");
    figures[`${key}.median`] = row[1];
    figures[`${key}.delivered`] = row[4];
    figures[`${key}.peak`] = row[5];
  }
  const b = child(["--backlog", String(BACKLOG)]);
  console.log(
    `backlog of ${num(b.items)} items (fsync batch, collector down): RSS ${b.samples.map(([n, mb]) => `${num(n)}: ${mb} MB`).join(", ")}; drained in ${b.drainSeconds.toFixed(1)} s (${num(b.drainPerSec)} items/s)`,
  );
  figures["backlog.drainSeconds"] = `${b.drainSeconds.toFixed(1)} s`;
  figures["backlog.drainPerSec"] = num(b.drainPerSec);
  figures["backlog.rssFirst"] = `${b.samples[1]?.[1]} MB`;
  figures["backlog.rssLast"] = `${b.samples.at(-1)[1]} MB`;
  emit({
    tables: {
      enqueue: { columns, rows },
      backlog: {
        columns: ["items waiting", ...b.samples.map(([n]) => num(n))],
        rows: [["RSS", ...b.samples.map(([, mb]) => `${mb} MB`)]],
      },
    },
    figures,
  });
}
