// Benchmark: the loop desk with 100,000 open loops, on a SQLite file and on PostgreSQL — the
// inbox's first page (by urgency, with and without a filter or a search), a loop's page and the
// charts, each timed as a browser's request to a collector on loopback (median and p95).
// Run: pnpm build && node bench/desk.mjs   (BENCH_LOOPS, default 100000, BENCH_QUICK=1: 2000;
// BENCH_POSTGRES url). Results: docs/benchmarks.md (bench/run.mjs, bench/report/desk.md).
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCollector,
  hashPassword,
  postgresStore,
  provision,
  sqliteStore,
} from "../packages/collector/dist/index.js";
import {
  createLoop,
  riskSignals,
  segmentForScore,
  transition,
} from "../packages/core/dist/index.js";
import { emit, num, QUICK, size } from "./emit.mjs";

const N = size("BENCH_LOOPS", 100_000, 2_000);
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const RUNS = QUICK ? 3 : 21;
const NOW = Date.parse("2026-12-01T12:00:00Z");
const JOURNEYS = ["onboarding", "checkout", "billing", "support"];
const WORDS = ["invoice", "export", "slow", "crash", "login", "refund", "shipping", "search"];
const ROUTE = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you within two days. Thank you." } },
};

/** Open loops over the last 12 weeks, each with a quote of what its customer wrote. */
function* loops(envId) {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const span = 84 * 24 * 3_600_000;
  for (let i = 0; i < N; i++) {
    const at = NOW - span + Math.floor((i / N) * span);
    const iso = (ms) => new Date(ms).toISOString();
    const score = Math.floor(rnd() * 11);
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
    if (r > 0.4)
      loop = transition(loop, "acknowledged", { actor: "a", at: iso(at + 3_600_000 * r) });
    if (r > 0.7)
      loop = transition(loop, "assigned", {
        actor: "a",
        at: iso(at + 7_200_000),
        owner: `agent${i % 20}`,
      });
    const said = `${WORDS[i % 8]} ${WORDS[(i * 7) % 8]} is a problem for us, case ${i}`;
    yield {
      loop,
      meta: {
        respondent: { id: `u${i % 5000}` },
        score: { type: "nps", value: score },
        youSaid: said,
      },
    };
  }
  void envId;
}

async function fill(store) {
  await store.migrate();
  const keys = await provision(store, {});
  const envId = keys.envId;
  let chunk = [];
  const flush = async () => {
    const items = chunk;
    chunk = [];
    await store.transaction(async (tx) => {
      for (const { loop, meta } of items) await tx.putLoop(envId, loop, meta);
    });
  };
  // The risk signals ingest would have kept as each answer arrived (docs/stores.md, step 9).
  const answers = {};
  const loopAt = new Map();
  for (const item of loops(envId)) {
    chunk.push(item);
    const c = item.meta.respondent.id;
    answers[c] ??= [];
    answers[c].push({
      at: item.loop.openedAt,
      score: item.meta.score.value,
      segment: item.loop.segment,
    });
    loopAt.set(`${c} ${item.loop.openedAt}`, item.loop.id);
    if (chunk.length === 5000) await flush();
  }
  await flush();
  await store.transaction(async (tx) => {
    for (const { customerId, at, reason } of riskSignals(answers)) {
      const loopId = loopAt.get(`${customerId} ${at}`);
      await tx.putRiskSignal(envId, { customerId, loopId, at, reason });
    }
  });
  await store.addDeskUser({
    id: "bench-lead",
    envId,
    email: "lead@bench.example",
    role: "lead",
    handle: "agent3",
    passwordHash: await hashPassword("bench password"),
    createdAt: new Date(NOW).toISOString(),
  });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function measure(store, name, afterFill = async () => {}) {
  const t0 = performance.now();
  await fill(store);
  await afterFill();
  const fillS = ((performance.now() - t0) / 1000).toFixed(1);
  const open = async ({ warm = false } = {}) => {
    const collector = createCollector({ store, now: () => NOW });
    const { url, close } = await collector.listen({ port: 0 });
    // As `closeloop serve` starts: the desk's charts computed in the background.
    if (warm) await collector.warmDesk();
    const signIn = await fetch(`${url}/desk/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
      body: "email=lead%40bench.example&password=bench+password",
    });
    const cookie = signIn.headers.getSetCookie()[0].split(";")[0];
    const get = async (path) => {
      const s = performance.now();
      const res = await fetch(url + path, { headers: { cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      return performance.now() - s;
    };
    return { get, close };
  };
  const cases = [
    ["inbox, first page", "/desk"],
    ["inbox, journey filter", "/desk?journey=billing"],
    ["inbox, Mine", "/desk?mine=1"],
    ["inbox, search two words", "/desk?q=invoice+refund"],
    ["a loop's page", `/desk/loops/L${String(Math.floor(N / 2)).padStart(9, "0")}`],
    ["charts, within the minute", "/desk/charts"],
  ];
  const rows = [];
  const cells = [];
  const row = (label, ms, p95 = "–") => {
    rows.push(`${name} | ${label} | ${ms.toFixed(0)} ms | ${p95}`);
    cells.push([name === "sqlite" ? "SQLite" : "PostgreSQL", label, `${num(ms)} ms`, p95]);
  };
  // The charts computed by a request that finds nothing computed: 12 weekly reports and the
  // headline's two 30-day ones (a fresh collector, whose first desk page is the charts).
  // Its CPU time too (this process's: the server's work and the client's), which other
  // processes on the machine do not stretch as they do the wall-clock time.
  const cold = await open();
  const cpu0 = process.cpuUsage();
  row("charts, computed by the request (nothing warmed)", await cold.get("/desk/charts"));
  const cpu = process.cpuUsage(cpu0);
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  await cold.close();
  // The same on a second fresh collector, once the first one's warm-up of the other grouping
  // (1 s after its answer) is over: the charts cache is empty again, but the store has read its
  // pages once, as a collector that has been answering requests has.
  await new Promise((r) => setTimeout(r, 3000));
  const second = await open();
  row("charts, computed by the request, pages read before", await second.get("/desk/charts"));
  await second.close();
  // As a person uses it: the inbox first, whose answer starts the charts' computation; the
  // charts a moment later (2 s of reading the inbox) find them computed (docs/desk.md).
  const person = await open();
  await person.get("/desk");
  await new Promise((r) => setTimeout(r, 2000));
  row("charts, 2 s after the inbox (warmed by it)", await person.get("/desk/charts"));
  await person.close();
  // As after `closeloop serve` starts: its charts computed in the background (`warmDesk`).
  const started = await open({ warm: true });
  await new Promise((r) => setTimeout(r, 2000));
  row("charts, 2 s after the collector started (`warmDesk`)", await started.get("/desk/charts"));
  await started.close();
  const { get, close } = await open();
  // The requests below are timed after the charts computation their first inbox page starts
  // (once a minute while the desk is used; on SQLite it holds the process while it runs).
  await get("/desk");
  await new Promise((r) => setTimeout(r, 3000));
  for (const [label, path] of cases) {
    const times = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t = await get(path);
      if (i >= 2) times.push(t); // two warm-up requests
    }
    row(label, quantile(times, 0.5), `${quantile(times, 0.95).toFixed(0)} ms`);
  }
  await close();
  await store.close();
  return { rows, cells, fillS, coldCpuMs };
}

console.log(
  `desk with ${N.toLocaleString("en-US")} open loops, ${RUNS} requests each (after 2 warm-up)`,
);
console.log("store | page | median | p95");
console.log("---|---|---|---");
const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-desk-"));
try {
  const sqlite = await measure(sqliteStore(join(dir, "desk.db")), "sqlite");
  console.log(sqlite.rows.join("\n"));
  const schema = `bench_desk_${process.pid}`;
  const pg = createRequire(new URL("../packages/collector/package.json", import.meta.url))("pg");
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    // Vacuumed and analyzed, as autovacuum does after such a load (it vacuums insert-only tables
    // too, since PostgreSQL 13): without statistics the planner filters every open loop through
    // to_tsvector instead of using the words index, and without the visibility map the metrics
    // read the table instead of their covering index (customers at risk: the risk signals').
    const postgres = await measure(postgresStore(PG, { schema }), "postgres", () =>
      admin.query(`VACUUM ANALYZE ${schema}.loops, ${schema}.risk_signals`),
    );
    console.log(postgres.rows.join("\n"));
    console.log(`(filled in ${sqlite.fillS} s on SQLite, ${postgres.fillS} s on PostgreSQL)`);
    console.log(
      `(the cold charts request's CPU time in this process: SQLite ${num(sqlite.coldCpuMs)} ms, PostgreSQL ${num(postgres.coldCpuMs)} ms)`,
    );
    const figures = {
      loops: num(N),
      runs: String(RUNS),
      "sqlite.charts-cold-cpu": `${num(sqlite.coldCpuMs)} ms`,
      "postgres.charts-cold-cpu": `${num(postgres.coldCpuMs)} ms`,
    };
    for (const [store, m] of [
      ["sqlite", sqlite],
      ["postgres", postgres],
    ]) {
      for (const [, label, median, p95] of m.cells) {
        const key = label.replace(/ \(.*/, "").replace(/[^a-z0-9]+/gi, "-");
        figures[`${store}.${key}`] = median;
        figures[`${store}.${key}.p95`] = p95;
      }
    }
    emit({
      tables: {
        desk: {
          columns: ["store", "page", "median", "p95"],
          rows: [...sqlite.cells, ...postgres.cells],
          notes: [`${num(N)} open loops; ${RUNS} requests per page after 2 warm-up ones`],
        },
      },
      figures,
    });
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
