// Benchmark: how the background work grows with the number of loops — the SLA sweeper's
// due-loop detection (`sweepBreaches`, the stores' `dueBreaches` query) and `store.metrics()`
// (what `GET /v1/metrics` answers) — at 10,000, 100,000 and 1,000,000 loops, on a SQLite file
// and on PostgreSQL (a schema of its own, dropped at the end).
// Run: pnpm build && node bench/scale.mjs   (BENCH_SCALES, default "10000,100000,1000000";
// BENCH_POSTGRES url). Results: docs/benchmarks.md.
//
// Seeding: the first size's loops are written through the store (`putLoop`, realistic rows:
// 20% still received, 30% acknowledged and open, half closed, over 12 weeks), then copied in
// SQL up to each larger size (new ids, sources and respondents; same times, so a larger store
// is a busier one, not a longer one). Every deadline already missed is recorded as fired
// (`loop_breaches`), as a running sweeper leaves it.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresStore, sqliteStore, sweepBreaches } from "../packages/collector/dist/index.js";
import { createLoop, segmentForScore, transition, uuidv7 } from "../packages/core/dist/index.js";
import { emit, num, QUICK } from "./emit.mjs";

const SCALES = (process.env.BENCH_SCALES ?? (QUICK ? "1000,10000" : "10000,100000,1000000"))
  .split(",")
  .map(Number);
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
/** Runs per figure: the median of 3, one at a million loops and more (minutes each). */
const runsAt = (n) => (n >= 1_000_000 ? 1 : 3);
/** The statement timeout of the bench's own PostgreSQL statements (the store's is 30 s). */
const OWN_TIMEOUT_MS = 120_000;
/** Loops whose deadline passed since the last sweep, in the "newly due" case. */
const FRESH = 500;
const NOW = Date.parse("2026-12-01T12:00:00Z");
const SPAN = 84 * 86_400_000;
const ENV = "bench";
const JOURNEYS = ["onboarding", "checkout", "billing", "support"];
const ROUTE = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you within two days. Thank you." } },
};
const require = createRequire(new URL("../packages/collector/package.json", import.meta.url));

function* baseLoops(n) {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const iso = (ms) => new Date(ms).toISOString();
  for (let i = 0; i < n; i++) {
    const at = NOW - SPAN + Math.floor((i / n) * SPAN);
    const score = Math.floor(rnd() * 11);
    let loop = createLoop({
      id: uuidv7(at),
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
      meta: {
        respondent: { id: `u${i % (n / 2)}` },
        score: { type: "nps", value: score },
        youSaid: `the export is slow, case ${i}`,
      },
    };
  }
}

/** The SQL each store needs to grow and to mark the store as a running sweeper leaves it. */
const dialects = {
  sqlite: {
    open(file) {
      const Database = require("better-sqlite3");
      const db = new Database(file);
      return {
        exec: async (sql, params = []) => db.prepare(sql).run(...params),
        all: async (sql, params = []) => db.prepare(sql).all(...params),
        columns: async () =>
          db
            .prepare("PRAGMA table_info(loops)")
            .all()
            .map((c) => c.name),
        analyze: async () => db.exec("ANALYZE"),
        statement: async (sql, params) => db.prepare(sql).all(...params).length,
        explain: async (sql, params) =>
          db
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((r) => r.detail)
            .join("; "),
        close: async () => db.close(),
      };
    },
    copies: (lo, hi) =>
      `WITH RECURSIVE c(n) AS (SELECT ${lo} UNION ALL SELECT n + 1 FROM c WHERE n < ${hi})`,
    expr: {
      id: "l.id || '.' || c.n",
      source_id: "l.source_id || '.' || c.n",
      respondent_id: "l.respondent_id || '.' || c.n",
      data: "json_set(l.data, '$.id', l.id || '.' || c.n, '$.source.id', l.source_id || '.' || c.n)",
      meta: "json_set(l.meta, '$.respondent.id', l.respondent_id || '.' || c.n)",
    },
    now: () => String(NOW),
    // The statement of packages/collector/src/store/sqlite/webhooks.ts (dueBreaches), to explain.
    due: "SELECT env_id, data FROM loops WHERE breach_due < ? ORDER BY breach_due LIMIT 100",
    least: (a, b) => `coalesce(min(${a}, ${b}), ${a}, ${b})`,
    ignore: "INSERT OR IGNORE",
    conflict: "",
  },
  postgres: {
    open(url, schema) {
      const pg = require("pg");
      const c = new pg.Client(url);
      const ready = c.connect().then(() => c.query(`SET search_path TO ${schema}`));
      return {
        exec: async (sql, params = []) => {
          await ready;
          return c.query(sql, params);
        },
        all: async (sql, params = []) => {
          await ready;
          return (await c.query(sql, params)).rows;
        },
        columns: async () => {
          await ready;
          const { rows } = await c.query(
            `SELECT column_name FROM information_schema.columns
             WHERE table_schema = $1 AND table_name = 'loops' ORDER BY ordinal_position`,
            [schema],
          );
          return rows.map((r) => r.column_name);
        },
        analyze: async () => {
          await ready;
          await c.query("VACUUM ANALYZE loops, loop_breaches");
        },
        // In a transaction of its own (it locks what it answers), JIT as configured or off.
        statement: async (sql, params, jit = true) => {
          await ready;
          await c.query("BEGIN");
          try {
            await c.query(`SET LOCAL statement_timeout = ${OWN_TIMEOUT_MS}`);
            if (!jit) await c.query("SET LOCAL jit = off");
            return (await c.query(sql, params)).rowCount;
          } finally {
            await c.query("ROLLBACK");
          }
        },
        explain: async (sql, params) => {
          await ready;
          await c.query("BEGIN");
          try {
            await c.query(`SET LOCAL statement_timeout = ${OWN_TIMEOUT_MS}`);
            const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
            return rows.map((r) => r["QUERY PLAN"]).join("\n");
          } catch (e) {
            if (!/statement timeout/.test(String(e?.message))) throw e;
            await c.query("ROLLBACK");
            await c.query("BEGIN");
            const { rows } = await c.query(`EXPLAIN ${sql}`, params);
            return `(EXPLAIN ANALYZE timed out at ${OWN_TIMEOUT_MS / 1000} s; the plan alone:)\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}`;
          } finally {
            await c.query("ROLLBACK");
          }
        },
        close: async () => {
          await ready;
          await c.end();
        },
      };
    },
    copies: (lo, hi) => `WITH c(n) AS (SELECT generate_series(${lo}, ${hi}))`,
    expr: {
      id: "l.id || '.' || c.n",
      source_id: "l.source_id || '.' || c.n",
      respondent_id: "l.respondent_id || '.' || c.n",
      data: `jsonb_set(jsonb_set(l.data, '{id}', to_jsonb(l.id || '.' || c.n)), '{source,id}',
        to_jsonb(l.source_id || '.' || c.n))`,
      meta: "jsonb_set(l.meta, '{respondent,id}', to_jsonb(l.respondent_id || '.' || c.n))",
    },
    now: () => `to_timestamp(${NOW} / 1000.0)`,
    // The statement of packages/collector/src/store/postgres/webhooks.ts (dueBreaches).
    due: `SELECT env_id, data FROM loops WHERE breach_due < to_timestamp($1 / 1000.0)
      ORDER BY breach_due LIMIT 100 FOR UPDATE SKIP LOCKED`,
    least: (a, b) => `LEAST(${a}, ${b})`,
    ignore: "INSERT",
    conflict: " ON CONFLICT DO NOTHING",
  },
};

async function seedBase(store, n) {
  await store.migrate();
  await store.createEnvironment({
    id: ENV,
    name: ENV,
    createdAt: new Date(NOW - SPAN).toISOString(),
  });
  let chunk = [];
  const flush = async () => {
    const items = chunk;
    chunk = [];
    await store.transaction(async (tx) => {
      for (const { loop, meta } of items) await tx.putLoop(ENV, loop, meta);
    });
  };
  for (const item of baseLoops(n)) {
    chunk.push(item);
    if (chunk.length === 5000) await flush();
  }
  await flush();
}

/** Copies the base loops (copy numbers lo..hi) in SQL, 10 copies per statement. */
async function grow(db, d, base, lo, hi) {
  const columns = await db.columns();
  const list = columns.join(", ");
  const select = columns.map((col) => d.expr[col] ?? `l.${col}`).join(", ");
  for (let a = lo; a <= hi; a += 10) {
    const b = Math.min(hi, a + 9);
    await db.exec(
      `INSERT INTO loops (${list}) ${d.copies(a, b)} SELECT ${select} FROM loops l, c
       WHERE l.env_id = '${ENV}' AND l.id NOT LIKE '%.%'`,
    );
  }
  void base;
}

/**
 * Records every deadline missed by NOW as fired, as the running sweeper leaves the store: each
 * loop's next deadline to look at (`breach_due`) is its earliest pending one not missed yet.
 */
async function markFired(db, d) {
  const now = d.now();
  await db.exec(
    `${d.ignore} INTO loop_breaches (env_id, loop_id, deadline, due, fired_at)
     SELECT env_id, id, 'acknowledge', acknowledge_by, ${now} FROM loops
       WHERE acknowledge_by < ${now} AND acknowledged_at IS NULL
     UNION ALL
     SELECT env_id, id, 'close', close_by, ${now} FROM loops
       WHERE close_by < ${now} AND closed_at IS NULL${d.conflict}`,
  );
  await db.exec(
    `UPDATE loops SET breach_due = ${d.least(
      `CASE WHEN acknowledged_at IS NULL AND acknowledge_by >= ${now} THEN acknowledge_by END`,
      `CASE WHEN closed_at IS NULL AND close_by >= ${now} THEN close_by END`,
    )}`,
  );
}

/**
 * FRESH loops with a missed deadline (the newest ids) as if their deadlines had just passed: their
 * breaches unfired, and their earliest pending deadline the next one to look at.
 */
async function unfire(db, d) {
  const now = d.now();
  const fresh = `SELECT env_id, id FROM loops
       WHERE (acknowledge_by < ${now} AND acknowledged_at IS NULL)
          OR (close_by < ${now} AND closed_at IS NULL)
       ORDER BY env_id DESC, id DESC LIMIT ${FRESH}`;
  await db.exec(`DELETE FROM loop_breaches WHERE (env_id, loop_id) IN (${fresh})`);
  await db.exec(
    `UPDATE loops SET breach_due = CASE WHEN acknowledged_at IS NULL AND acknowledge_by IS NOT NULL
       THEN acknowledge_by ELSE close_by END WHERE (env_id, id) IN (${fresh})`,
  );
}

/** The median of `runs`; a statement that PostgreSQL cancels at its timeout is a result too. */
const median = async (runs, fn, before = async () => {}) => {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    await before();
    const t = performance.now();
    try {
      last = await fn();
    } catch (e) {
      if (!/statement timeout/.test(String(e?.message))) throw e;
      return { ms: Number.NaN, timedOut: performance.now() - t };
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)], last };
};

const DAY = 86_400_000;
const metricsQuery = (days, groupBy) => ({
  from: new Date(NOW - days * DAY).toISOString(),
  to: new Date(NOW).toISOString(),
  asOf: new Date(NOW).toISOString(),
  ...(groupBy ? { groupBy } : {}),
});

const cases = [
  ["sweep, nothing newly due (every missed deadline already fired)", "idle"],
  ["… its `dueBreaches` statement alone", "stmt"],
  ["… the same with `SET LOCAL jit = off`", "stmtNoJit", "postgres"],
  [`sweep, ${FRESH} loops newly due`, "fresh"],
  ["`metrics()`, the last 30 days (`GET /v1/metrics`' default)", "m30"],
  ["`metrics()`, all 12 weeks, `groupBy=journey`", "mall"],
];

async function measureStore(name, store, db, d) {
  const results = {};
  const base = SCALES[0];
  const t0 = performance.now();
  await seedBase(store, base);
  let have = base;
  const seeds = [];
  for (const n of SCALES) {
    const s = performance.now();
    if (n > have) await grow(db, d, base, have / base, n / base - 1);
    have = n;
    await markFired(db, d);
    await db.analyze();
    seeds.push(`${num(n)}: ${((performance.now() - (n === base ? t0 : s)) / 1000).toFixed(1)} s`);
    const [{ overdue }] = await db.all(
      `SELECT count(*) AS overdue FROM loops WHERE (acknowledge_by < ${d.now()} AND acknowledged_at IS NULL)
         OR (close_by < ${d.now()} AND closed_at IS NULL)`,
    );
    const r = { overdue: Number(overdue) };
    const runs = runsAt(n);
    r.idle = await median(runs, () => sweepBreaches(store, NOW));
    if (r.idle.last !== undefined && r.idle.last !== 0)
      throw new Error(`idle sweep fired ${r.idle.last}`);
    r.fresh = await median(
      runs,
      () => sweepBreaches(store, NOW),
      () => unfire(db, d),
    );
    r.stmt = await median(runs, () => db.statement(d.due, [NOW]));
    if (name === "PostgreSQL")
      r.stmtNoJit = await median(runs, () => db.statement(d.due, [NOW], false));
    r.m30 = await median(runs, () => store.metrics(ENV, metricsQuery(30)));
    r.mall = await median(runs, () => store.metrics(ENV, metricsQuery(84, "journey")));
    results[n] = r;
    console.log(
      `${name} ${num(n)} loops (${num(r.overdue)} overdue): ${cases
        .filter(([, k]) => r[k])
        .map(([, k]) => `${k} ${r[k].ms.toFixed(1)} ms`)
        .join(", ")}; sweep fired ${r.fresh.last}`,
    );
  }
  const plan = await db.explain(d.due, [NOW]);
  console.log(
    `${name}: seeded ${seeds.join(", ")}\n${name} plan of dueBreaches at ${num(have)}:\n${plan}`,
  );
  return { results, plan, seeds };
}

const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-scale-"));
const schema = `bench_scale_${process.pid}`;
const out = {};
console.log(
  `scales ${SCALES.map((n) => num(n)).join(", ")}, node ${process.version}, ${new Date().toISOString()}`,
);
try {
  const file = join(dir, "scale.db");
  const sqlite = sqliteStore(file);
  const sdb = dialects.sqlite.open(file);
  try {
    out.sqlite = await measureStore("SQLite", sqlite, sdb, dialects.sqlite);
  } finally {
    await sdb.close();
    await sqlite.close();
  }
  rmSync(file, { force: true });
  const pg = require("pg");
  const admin = new pg.Client(PG);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const store = postgresStore(PG, { schema });
    const pdb = dialects.postgres.open(PG, schema);
    try {
      out.postgres = await measureStore("PostgreSQL", store, pdb, dialects.postgres);
    } finally {
      await pdb.close();
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Each figure at each size, and its growth per 10× more loops (1.0× per 10× would be constant
// time, 10× linear).
const rows = [];
const figures = {};
for (const [store, label] of [
  ["sqlite", "SQLite"],
  ["postgres", "PostgreSQL"],
]) {
  const { results } = out[store];
  for (const [title, key, only] of cases) {
    if (only && only !== store) continue;
    const ms = SCALES.map((n) => results[n][key].ms);
    // A statement PostgreSQL cancelled: how long it ran before, and whose timeout it was.
    const cell = (n) => {
      const x = results[n][key];
      if (!Number.isNaN(x.ms)) return `${num(x.ms, x.ms < 10 ? 1 : 0)} ms`;
      const whose = key.startsWith("stmt") ? "the bench's" : "the store's";
      return `fails: cancelled at ${whose} statement timeout (${num(x.timedOut / 1000)} s)`;
    };
    const growth = ms
      .slice(1)
      .map((m, i) => (Number.isNaN(m) || Number.isNaN(ms[i]) ? "—" : `${(m / ms[i]).toFixed(1)}×`));
    rows.push([label, title, ...SCALES.map(cell), growth.join(", ")]);
    SCALES.forEach((n) => {
      figures[`${store}.${key}.${n}`] = cell(n);
    });
    figures[`${store}.${key}.growth`] = growth.join(", ");
    figures[`${store}.${key}.largest`] = cell(SCALES.at(-1));
    figures[`${store}.${key}.overall`] = Number.isNaN(ms[0] / ms.at(-1))
      ? "—"
      : `${num(ms.at(-1) / ms[0])}×`;
  }
  figures[`${store}.overdue`] = SCALES.map((n) => num(results[n].overdue)).join(", ");
  figures[`${store}.seeded`] = out[store].seeds.join(", ");
  figures[`${store}.plan`] = out[store].plan;
}
// A sweep PostgreSQL cancelled never fires anything: the sweeper retries and fails again. A
// metrics report cancelled is a `GET /v1/metrics` answered 503.
const cancelled = (key) =>
  SCALES.filter((n) => Number.isNaN(out.postgres.results[n][key].ms)).map((n) => num(n));
const sweepFails = cancelled("idle");
const metricsFails = [...cancelled("m30"), ...cancelled("mall")];
figures.timeouts = [
  sweepFails.length
    ? `**At ${sweepFails[0]} loops on PostgreSQL the sweep never completes.** Its statement runs past the store's statement timeout (30 s by default, \`statementTimeoutMs\`), PostgreSQL cancels it, the transaction rolls back, and the sweeper retries with backoff and fails again: no \`loop.breached\` fires at all. At that size this is a bug, not only a slow path.`
    : "No sweep ran into the store's statement timeout (30 s) in this run.",
  metricsFails.length
    ? `A \`metrics()\` report was cancelled at the same timeout too (at ${[...new Set(metricsFails)].join(" and ")} loops): that \`GET /v1/metrics\` fails.`
    : "",
]
  .filter(Boolean)
  .join(" ");
emit({
  tables: {
    scale: {
      columns: ["store", "work", ...SCALES.map((n) => `${num(n)} loops`), "growth per 10×"],
      rows,
    },
  },
  figures: {
    ...figures,
    largest: num(SCALES.at(-1)),
    scales: SCALES.map((n) => num(n)).join(", "),
    fresh: num(FRESH),
  },
});
