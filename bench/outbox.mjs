// Benchmark: what `enqueue` costs per item and how many items/s the outbox delivers to a
// collector stand-in over loopback, per store and fsync policy, side by side in one run.
// Run: pnpm build && node bench/outbox.mjs [items]   (writes nothing; paste into docs/benchmarks.md)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createHttpTransport,
  createOutbox,
  memoryQueueStore,
} from "../packages/core/dist/index.js";

const N = Number(process.argv[2] ?? 100_000);
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

const cases = [["memory", () => memoryQueueStore()]];
if (fileQueueStore) {
  for (const fsync of ["never", "batch", "always"]) {
    cases.push([
      `file, fsync ${fsync}`,
      (dir) => fileQueueStore({ dir, fsync, maxBytes: 2 ** 30 }),
    ]);
  }
} else {
  console.error("no fileQueueStore in packages/node/dist: run pnpm build");
}

console.log(
  `${N.toLocaleString("en")} items, node ${process.version}, ${new Date().toISOString()}`,
);
console.log(
  "store | enqueue median (sync part) | enqueue p99 | accepted items/s | delivered items/s | RSS after",
);
console.log("---|---|---|---|---|---");
for (const [name, open] of cases) {
  const r = await run(name, open);
  console.log(
    `${r.name} | ${(r.medianNs / 1000).toFixed(2)} µs | ${(r.p99Ns / 1000).toFixed(2)} µs | ${r.acceptedPerSec.toLocaleString("en")} | ${r.deliveredPerSec.toLocaleString("en")} | ${r.rssMb} MB`,
  );
}
