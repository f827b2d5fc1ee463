// Benchmark: responses ingested per second by the collector over loopback, driven by autocannon
// (in this process) against the collector in a child process, on SQLite and on PostgreSQL, beside
// the bare ceiling (node:http + better-sqlite3 inserting the same batches, no checks, no loops).
// Run: pnpm build && node bench/collector.mjs   (BENCH_SECONDS per case, default 10;
// BENCH_BATCH items per request, default 100; BENCH_CONNECTIONS, default 8; BENCH_ONLY and
// BENCH_PROFILE below). Results: docs/benchmarks.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { uuidv7 } from "../packages/core/dist/index.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const PK = "pk_bench_0123456789abcdefghij";

function startServer(mode, where) {
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

/** A fresh batch of finished NPS responses: new ids and keys on every request. */
function body() {
  const now = new Date().toISOString();
  const items = [];
  for (let i = 0; i < BATCH; i++) {
    const id = uuidv7();
    items.push({
      type: "response",
      idempotencyKey: id,
      data: {
        id,
        surveyId: "onboarding-nps",
        surveyVersion: 1,
        respondent: { anonymousId: `anon-${id}` },
        answers: { score: i % 11, why: "The export is slow" },
        finished: true,
        locale: "en",
        createdAt: now,
      },
    });
  }
  return JSON.stringify({ items });
}

async function load(name, url) {
  let accepted = 0;
  let errors = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/v1/batch",
        headers: { authorization: `Bearer ${PK}`, "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: body() }),
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
    responsesPerSec: Math.round(accepted / SECONDS),
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.errors + result.non2xx,
  };
}

const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-"));
const cases = [
  ["bare node:http + SQLite (ceiling)", "bare", join(dir, "bare.db")],
  ["collector, sqliteStore", "sqlite", join(dir, "closeloop.db")],
  ["collector, postgresStore", "postgres", PG],
];
console.log(
  `${BATCH} responses per request, ${CONNECTIONS} connections, ${SECONDS} s per case, node ${process.version}, ${new Date().toISOString()}`,
);
console.log("server | responses/s | requests/s | latency p50 | p99 | errors");
console.log("---|---|---|---|---|---");
const rows = [];
// BENCH_ONLY=sqlite (or bare, postgres; comma-separated) runs only those cases.
const only = process.env.BENCH_ONLY?.split(",");
for (const [name, mode, where] of cases.filter(([, m]) => !only || only.includes(m))) {
  const { child, url } = await startServer(mode, where);
  try {
    const r = await load(name, url);
    rows.push(r);
    console.log(
      `${r.name} | ${r.responsesPerSec.toLocaleString("en")} | ${r.requestsPerSec} | ${r.p50} ms | ${r.p99} ms | ${r.errors}`,
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}
const bare = rows.find((r) => r.name.startsWith("bare"));
for (const r of bare ? rows.filter((x) => x !== bare) : []) {
  console.log(
    `${r.name}: ${((r.responsesPerSec / bare.responsesPerSec) * 100).toFixed(0)}% of the ceiling`,
  );
}
// The databases are hundreds of MB a run: leave nothing behind.
rmSync(dir, { recursive: true, force: true });
// For bench/run.mjs (docs/benchmarks.md, bench/report/collector.md): the same rows as JSON.
const { emit, num } = await import("./emit.mjs");
const ofCeiling = (r) =>
  bare && r !== bare ? `${((r.responsesPerSec / bare.responsesPerSec) * 100).toFixed(0)}%` : "—";
const figure = (prefix) => rows.find((r) => r.name.startsWith(prefix));
const figures = {
  seconds: String(SECONDS),
  batch: String(BATCH),
  connections: String(CONNECTIONS),
};
for (const [key, prefix] of [
  ["ceiling", "bare"],
  ["sqlite", "collector, sqlite"],
  ["postgres", "collector, postgres"],
]) {
  const r = figure(prefix);
  figures[key] = r ? num(r.responsesPerSec) : "—";
  figures[`${key}.p99`] = r ? `${num(r.p99)} ms` : "—";
  figures[`${key}.ofCeiling`] = r ? ofCeiling(r) : "—";
}
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
        "of the ceiling",
      ],
      rows: rows.map((r) => [
        r.name.replace(/(sqliteStore|postgresStore)/, "`$1`"),
        num(r.responsesPerSec),
        num(r.requestsPerSec),
        `${num(r.p50)} ms`,
        `${num(r.p99)} ms`,
        num(r.errors),
        ofCeiling(r),
      ]),
    },
  },
  figures,
});
