// Benchmark: responses ingested per second by the collector over loopback, driven by autocannon
// (in this process) against the collector in a child process, on SQLite and on PostgreSQL, beside
// two ceilings measured in the same run: (i) a bare node:http + better-sqlite3 server inserting
// each item's JSON as one row (no checks, no loops), and (ii) per store, a loop with no HTTP and
// no validation writing the very rows and indexes the collector writes per response
// (bench/collector-rows.mjs). Then two collectors on one PostgreSQL schema, the load split
// between them. Run: pnpm build && node bench/collector.mjs   (BENCH_SECONDS per case, default 10;
// BENCH_BATCH items per request, default 100; BENCH_CONNECTIONS, default 8; BENCH_ONLY and
// BENCH_PROFILE below). Results: docs/benchmarks.md.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { batchBody, PK } from "./collector-fixtures.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const CEILING_I = "bare node:http + SQLite (ceiling i)";
const ROWS_SQLITE = "rows only, SQLite (ceiling ii)";
const SQLITE = "collector, sqliteStore";
const ROWS_POSTGRES = "rows only, PostgreSQL (ceiling ii)";
const POSTGRES = "collector, postgresStore";
const TWO = "two collectors, postgresStore";

function startServer(mode, where, schema) {
  const child = spawn(
    process.execPath,
    [
      // BENCH_PROFILE=<dir>: a V8 CPU profile of each server, written when it exits.
      ...(process.env.BENCH_PROFILE
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
      new URL("./collector-server.mjs", import.meta.url).pathname,
      mode,
      where,
      ...(schema ? [schema] : []),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (b) => resolve({ child, url: b.toString().trim().split(" ")[0] }));
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** CPU time (user + system) a process has used so far, in µs. */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** CPU time of every PostgreSQL process on this machine (server and backends), in µs. */
function postgresCpu() {
  let sum = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") sum += cpuOf(pid);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return sum;
}

/**
 * Where the CPU went while `run` ran, in cores: the servers (`pids`), PostgreSQL, and this
 * process (autocannon and the batches it sends: the load generator).
 */
async function cpuSplit(pids, run) {
  const t0 = performance.now();
  const servers0 = pids.reduce((sum, pid) => sum + cpuOf(pid), 0);
  const pg0 = postgresCpu();
  const self0 = process.cpuUsage();
  const result = await run();
  const us = (performance.now() - t0) * 1000;
  const self = process.cpuUsage(self0);
  const cores = (x) => x / us;
  return {
    result,
    servers: cores(pids.reduce((sum, pid) => sum + cpuOf(pid), 0) - servers0),
    postgres: cores(postgresCpu() - pg0),
    loadGenerator: cores(self.user + self.system),
  };
}

async function load(name, url, connections = CONNECTIONS) {
  let accepted = 0;
  let errors = 0;
  const result = await autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/v1/batch",
        headers: { authorization: `Bearer ${PK}`, "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: batchBody(BATCH) }),
        onResponse: (status, resBody) => {
          if (status !== 200) {
            errors++;
            return;
          }
          accepted += JSON.parse(resBody).accepted.length;
        },
      },
    ],
  });
  return {
    name,
    accepted,
    responsesPerSec: Math.round(accepted / SECONDS),
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.errors + result.non2xx,
  };
}

/** Ceiling (ii): the rows alone, in a child process; one JSON line back. */
function rows(name, mode, where) {
  const child = spawn(
    process.execPath,
    [
      new URL("./collector-rows.mjs", import.meta.url).pathname,
      mode,
      where,
      String(SECONDS),
      String(BATCH),
      // As many writers as the collector has batches in flight at most.
      String(Math.min(CONNECTIONS, 10)),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (b) => {
    out += b;
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${mode} rows exited with ${code}`));
      const r = JSON.parse(out);
      resolve({
        name,
        responsesPerSec: Math.round(r.responses / r.seconds),
        requestsPerSec: Math.round(r.responses / r.seconds / BATCH),
        p50: r.p50,
        p99: r.p99,
        errors: 0,
      });
    });
  });
}

async function stop(child) {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}

/** One collector (or the bare server) under the whole load; its CPU per response beside. */
async function oneServer(name, mode, where) {
  const { child, url } = await startServer(mode, where);
  try {
    const cpu = cpuOf(child.pid);
    const split = await cpuSplit([child.pid], () => load(name, url));
    const r = split.result;
    return {
      ...r,
      cpuPerResponse: (cpuOf(child.pid) - cpu) / Math.max(r.accepted, 1),
      cores: split,
    };
  } finally {
    await stop(child);
  }
}

/** Two collectors on one PostgreSQL schema, each under half the connections: the sum. */
async function twoCollectors(name, where) {
  const schema = `bench_two_${process.pid}`;
  // One after the other: the second finds the first's schema, environment and survey.
  const servers = [];
  try {
    servers.push(await startServer("postgres", where, schema));
    servers.push(await startServer("postgres", where, schema));
    const half = Math.max(1, Math.floor(CONNECTIONS / 2));
    const split = await cpuSplit(
      servers.map((s) => s.child.pid),
      () => Promise.all(servers.map((s, i) => load(`${name} #${i + 1}`, s.url, half))),
    );
    const each = split.result;
    return {
      cores: split,
      name,
      responsesPerSec: each.reduce((sum, r) => sum + r.responsesPerSec, 0),
      requestsPerSec: each.reduce((sum, r) => sum + r.requestsPerSec, 0),
      p50: Math.max(...each.map((r) => r.p50)),
      p99: Math.max(...each.map((r) => r.p99)),
      errors: each.reduce((sum, r) => sum + r.errors, 0),
    };
  } finally {
    for (const s of servers) await stop(s.child);
    const pg = createRequire(new URL("../packages/collector/package.json", import.meta.url))("pg");
    const client = new pg.Client(where);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-"));
const cases = [
  [CEILING_I, "bare", () => oneServer(CEILING_I, "bare", join(dir, "bare.db"))],
  [ROWS_SQLITE, "rows-sqlite", () => rows(ROWS_SQLITE, "sqlite", join(dir, "rows.db"))],
  [SQLITE, "sqlite", () => oneServer(SQLITE, "sqlite", join(dir, "closeloop.db"))],
  [ROWS_POSTGRES, "rows-postgres", () => rows(ROWS_POSTGRES, "postgres", PG)],
  [POSTGRES, "postgres", () => oneServer(POSTGRES, "postgres", PG)],
  [TWO, "postgres2", () => twoCollectors(TWO, PG)],
];
console.log(
  `${BATCH} responses per request, ${CONNECTIONS} connections, ${SECONDS} s per case, node ${process.version}, ${new Date().toISOString()}`,
);
console.log(
  "server | responses/s | requests/s | latency p50 | p99 | errors | server CPU µs/response | cores: servers + PostgreSQL + load generator | load average",
);
console.log("---|---|---|---|---|---|---|---|---");
const results = new Map();
/** "servers + PostgreSQL + load generator = total", in cores, or "—" for the ceilings. */
function coresOf(r) {
  if (!r.cores) return "—";
  const { servers, postgres, loadGenerator } = r.cores;
  const f = (x) => x.toFixed(2);
  return `${f(servers)} + ${f(postgres)} + ${f(loadGenerator)} = ${f(servers + postgres + loadGenerator)}`;
}
// BENCH_ONLY=sqlite (or bare, rows-sqlite, rows-postgres, postgres, postgres2; comma-separated)
// runs only those cases.
const only = process.env.BENCH_ONLY?.split(",");
for (const [name, , run] of cases.filter(([, m]) => !only || only.includes(m))) {
  const r = await run();
  results.set(name, r);
  const cpu = r.cpuPerResponse === undefined ? "—" : r.cpuPerResponse.toFixed(0);
  console.log(
    `${r.name} | ${r.responsesPerSec.toLocaleString("en")} | ${r.requestsPerSec} | ${r.p50} ms | ${r.p99} ms | ${r.errors} | ${cpu} | ${coresOf(r)} | ${loadavg()[0].toFixed(2)}`,
  );
}
const ratio = (a, b) =>
  a && b ? `${((a.responsesPerSec / b.responsesPerSec) * 100).toFixed(0)}%` : "—";
const ceilingI = results.get(CEILING_I);
for (const [name, rowsName] of [
  [SQLITE, ROWS_SQLITE],
  [POSTGRES, ROWS_POSTGRES],
  [TWO, ROWS_POSTGRES],
]) {
  const r = results.get(name);
  if (!r) continue;
  console.log(
    `${name}: ${ratio(r, ceilingI)} of ceiling (i), ${ratio(r, results.get(rowsName))} of ceiling (ii)`,
  );
}
const one = results.get(POSTGRES);
const two = results.get(TWO);
if (one && two)
  console.log(`two collectors / one: ${(two.responsesPerSec / one.responsesPerSec).toFixed(2)}×`);
// The databases are hundreds of MB a run: leave nothing behind.
rmSync(dir, { recursive: true, force: true });
// For bench/run.mjs (docs/benchmarks.md, bench/report/collector.md): the same rows as JSON.
const { emit, num } = await import("./emit.mjs");
const ceilingII = (r) => results.get(r.name === SQLITE ? ROWS_SQLITE : ROWS_POSTGRES);
const isCeiling = (r) => [CEILING_I, ROWS_SQLITE, ROWS_POSTGRES].includes(r.name);
const figures = {
  seconds: String(SECONDS),
  batch: String(BATCH),
  connections: String(CONNECTIONS),
};
for (const [key, name] of [
  ["ceiling", CEILING_I],
  ["rowsSqlite", ROWS_SQLITE],
  ["rowsPostgres", ROWS_POSTGRES],
  ["sqlite", SQLITE],
  ["postgres", POSTGRES],
  ["two", TWO],
]) {
  const r = results.get(name);
  figures[key] = r ? num(r.responsesPerSec) : "—";
  figures[`${key}.p99`] = r ? `${num(r.p99)} ms` : "—";
  figures[`${key}.ofCeiling`] = r ? ratio(r, ceilingI) : "—";
  figures[`${key}.ofRows`] = r ? ratio(r, ceilingII(r)) : "—";
  figures[`${key}.cores`] = r ? coresOf(r) : "—";
}
figures.twoOverOne =
  one && two ? `${(two.responsesPerSec / one.responsesPerSec).toFixed(2)}×` : "—";
emit({
  tables: {
    ingest: {
      columns: [
        "server",
        "responses/s",
        "requests/s",
        "latency p50",
        "p99",
        "errors",
        "server CPU µs/response",
        "cores: servers + PostgreSQL + load generator",
        "of ceiling (i)",
        "of ceiling (ii)",
      ],
      rows: [...results.values()].map((r) => [
        r.name.replace(/(sqliteStore|postgresStore)/, "`$1`"),
        num(r.responsesPerSec),
        num(r.requestsPerSec),
        `${num(r.p50)} ms`,
        `${num(r.p99)} ms`,
        num(r.errors),
        r.cpuPerResponse === undefined ? "—" : num(r.cpuPerResponse),
        coresOf(r),
        r.name === CEILING_I ? "—" : ratio(r, ceilingI),
        isCeiling(r) ? "—" : ratio(r, ceilingII(r)),
      ]),
    },
  },
  figures,
});
