// Benchmark: `store.metrics()` (SQL aggregates + core's functions on the counts) against the
// naive way — page through every loop with `listLoops` and run core's functions in memory — on
// the same loops, on SQLite and on PostgreSQL.
// Run: pnpm build && node bench/metrics.mjs   (BENCH_LOOPS, default 200000, BENCH_QUICK=1: 2000;
// BENCH_POSTGRES url). Results: docs/benchmarks.md (bench/run.mjs, bench/report/metrics.md).
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresStore, sqliteStore } from "../packages/collector/dist/index.js";
import {
  ces,
  createLoop,
  csat,
  loopDimension,
  loopHealth,
  metricBy,
  nps,
  segmentForScore,
  transition,
  valueAtRisk,
} from "../packages/core/dist/index.js";
import { emit, num, size } from "./emit.mjs";

const N = size("BENCH_LOOPS", 200_000, 2_000);
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const T0 = Date.parse("2026-06-01T00:00:00Z");
const JOURNEYS = ["onboarding", "checkout", "billing", "support"];
const ROUTE = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you within two days. Thank you." } },
};

/** Deterministic loops: a score, a journey, a customer for some, moved along for most. */
function* loops() {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < N; i++) {
    const at = T0 + i * 60_000;
    const score = Math.floor(rnd() * 11);
    const iso = (ms) => new Date(ms).toISOString();
    let loop = createLoop({
      id: `L${String(i).padStart(9, "0")}`,
      source: { kind: "response", id: `R${i}` },
      segment: segmentForScore({ type: "nps" }, score),
      route: ROUTE,
      at: iso(at),
      context: {
        surveyId: "onboarding-nps",
        journey: JOURNEYS[i % 4],
        region: i % 3 ? "eu" : "us",
      },
      ...(i % 5 === 0 ? { customer: { id: `c${i % 997}`, value: 1000 + (i % 50) * 100 } } : {}),
    });
    const r = rnd();
    if (r > 0.2)
      loop = transition(loop, "acknowledged", { actor: "a", at: iso(at + 3_600_000 * r) });
    if (r > 0.5) {
      loop = transition(loop, "assigned", { actor: "a", at: iso(at + 7_200_000) });
      loop = transition(loop, "resolved", { actor: "a", at: iso(at + 36_000_000 * r) });
      loop = transition(loop, "closed", {
        actor: "a",
        at: iso(at + 86_400_000 * r),
        informedVia: "email",
        message: "Fixed.",
      });
    }
    yield {
      loop,
      meta: { respondent: { id: `u${i % 5000}` }, score: { type: "nps", value: score } },
    };
  }
}

async function fill(store) {
  await store.migrate();
  await store.createEnvironment({
    id: "bench",
    name: "bench",
    createdAt: new Date(T0).toISOString(),
  });
  let chunk = [];
  const flush = async () => {
    const items = chunk;
    chunk = [];
    await store.transaction(async (tx) => {
      for (const { loop, meta } of items) await tx.putLoop("bench", loop, meta);
    });
  };
  for (const item of loops()) {
    chunk.push(item);
    if (chunk.length === 5000) await flush();
  }
  await flush();
}

const query = (groupBy) => ({
  from: new Date(T0).toISOString(),
  to: new Date(T0 + N * 60_000).toISOString(),
  asOf: new Date(T0 + N * 60_000).toISOString(),
  ...(groupBy ? { groupBy } : {}),
});

/** The naive way: every loop into memory, core's functions over them. */
async function naive(store, groupBy) {
  const all = [];
  let after;
  for (;;) {
    const page = await store.listLoops("bench", {}, after ? { after, limit: 500 } : { limit: 500 });
    all.push(...page.loops);
    if (!page.next) break;
    after = page.next;
  }
  const asOf = new Date(T0 + N * 60_000);
  const figures = (group) => ({
    // The scores live beside the loop, not in it: the segment stands in for them here.
    nps: nps(group.map((l) => (l.segment === "promoter" ? 10 : l.segment === "passive" ? 8 : 0))),
    csat: csat([]),
    ces: ces([]),
    loops: loopHealth(group, asOf),
    valueAtRisk: valueAtRisk(group),
  });
  return groupBy ? metricBy(all, loopDimension(groupBy), figures) : figures(all);
}

async function time(fn) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return runs[1];
}

const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-metrics-"));
const schema = `bench_metrics_${process.pid}`;
const cases = [
  ["sqliteStore", () => sqliteStore(join(dir, "metrics.db"))],
  ["postgresStore", () => postgresStore(PG, { schema })],
];
console.log(
  `${N.toLocaleString("en")} loops, node ${process.version}, ${new Date().toISOString()}`,
);
console.log(
  "store | query | metrics() median | naive (every loop + core) median | naive ÷ metrics() | peak RSS after naive",
);
console.log("---|---|---|---|---|---");
const rows = [];
const figures = { loops: num(N) };
for (const [name, open] of cases) {
  const store = open();
  try {
    await fill(store);
    for (const groupBy of [undefined, "journey", "segment"]) {
      const m = await time(() => store.metrics("bench", query(groupBy)));
      const n = await time(() => naive(store, groupBy));
      const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
      const label = groupBy ? `\`groupBy=${groupBy}\`` : "total";
      rows.push([`\`${name}\``, label, `${num(m)} ms`, `${num(n)} ms`, `${(n / m).toFixed(1)}×`]);
      const key = `${name.replace("Store", "")}.${groupBy ?? "total"}`;
      figures[`${key}.metrics`] = `${num(m)} ms`;
      figures[`${key}.naive`] = `${num(n)} ms`;
      figures[`${key}.ratio`] = `${(n / m).toFixed(1)}×`;
      console.log(
        `${name} | ${groupBy ? `groupBy=${groupBy}` : "total"} | ${m.toFixed(0)} ms | ${n.toFixed(0)} ms | ${(n / m).toFixed(1)}× | ${rss} MB`,
      );
    }
  } finally {
    await store.close();
    if (name === "postgresStore") {
      const pg = createRequire(new URL("../packages/collector/package.json", import.meta.url))(
        "pg",
      );
      const c = new pg.Client(PG);
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}
// The databases are hundreds of MB a run: leave nothing behind.
rmSync(dir, { recursive: true, force: true });
emit({
  tables: {
    metrics: {
      columns: [
        "store",
        "query",
        "`metrics()`",
        "naive (every loop + core)",
        "naive ÷ `metrics()`",
      ],
      rows,
      notes: [`median of 3 runs, ${num(N)} loops`],
    },
  },
  figures,
});
