// `pnpm bench`: runs every bench in sequence and rewrites docs/benchmarks.md whole — the machine,
// the versions, each bench's command, its tables and figures, and the prose under them.
//
// Each bench, given BENCH_JSON=<file>, writes its tables and figures there (bench/emit.mjs);
// the prose lives in bench/report/<name>.md with {{table:<id>}} and {{<figure>}} placeholders,
// and this file fills them in. A placeholder the bench did not measure fails the run, so a
// template and its bench cannot drift apart unnoticed.
//
// Usage: pnpm build && node bench/run.mjs [--only outbox,desk] [--render] [--out <file>]
//   --only     run these benches; the others' sections come from their last run (each section
//              says when it was measured)
//   --render   run nothing; rewrite the report from the last runs
//   --out      write the report there instead of docs/benchmarks.md
// BENCH_QUICK=1 runs a small version of every bench (what CI runs, so the benches do not rot)
// and writes the report to a temporary file, never to docs/.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QUICK } from "./emit.mjs";
import { fill } from "./render.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PG = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Every bench, in the order they run and appear. `env` is what the runner adds when it runs
 * the bench (shown in the command); under BENCH_QUICK it adds `quick` instead, for the benches
 * that do not size themselves from BENCH_QUICK.
 */
const BENCHES = [
  { name: "outbox", script: "bench/outbox.mjs" },
  {
    name: "collector",
    script: "bench/collector.mjs",
    quick: { BENCH_SECONDS: "1", BENCH_CONNECTIONS: "4", BENCH_BATCH: "20" },
  },
  { name: "client", script: "bench/client.mjs", quick: { BENCH_N: "2000" } },
  { name: "metrics", script: "bench/metrics.mjs" },
  { name: "scale", script: "bench/scale.mjs" },
  { name: "desk", script: "bench/desk.mjs" },
  { name: "browser", script: "bench/browser.mjs" },
  // 600 s alone; under `pnpm bench` 3 minutes, which still crosses the restart in its middle.
  { name: "soak", script: "bench/soak.mjs", env: { SOAK_SECONDS: "180" } },
];

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : (args[i + 1] ?? "");
};
const only = flag("--only")?.split(",");
const renderOnly = args.includes("--render");
const out =
  flag("--out") ??
  (QUICK ? join(tmpdir(), "closeloop-benchmarks-quick.md") : join(root, "docs/benchmarks.md"));
// The last run of each bench, kept so --only and --render can rebuild the whole report.
const cache = join(root, "node_modules/.cache/closeloop-bench", QUICK ? "quick" : "full");
mkdirSync(cache, { recursive: true });

for (const name of only ?? []) {
  if (!BENCHES.some((b) => b.name === name)) throw new Error(`no bench named ${name}`);
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");
const commandOf = (b) =>
  `${Object.entries(b.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join("")}node ${b.script}`;

/** Runs one bench with BENCH_JSON; its output goes to this terminal. */
async function runBench(b) {
  const json = join(cache, `${b.name}.out.json`);
  rmSync(json, { force: true });
  const startedAt = new Date();
  const loadBefore = load();
  console.log(
    `\n== ${b.name}: ${commandOf(b)}${QUICK ? " (BENCH_QUICK=1)" : ""} — load ${loadBefore}`,
  );
  const child = spawn(process.execPath, [join(root, b.script)], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      ...(QUICK ? (b.quick ?? {}) : (b.env ?? {})),
      BENCH_JSON: json,
    },
  });
  const code = await new Promise((resolve) => child.once("exit", (c, s) => resolve(c ?? s)));
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  if (code !== 0) throw new Error(`${b.name} failed (exit ${code}) after ${seconds.toFixed(0)} s`);
  if (!existsSync(json)) throw new Error(`${b.name} wrote no results (BENCH_JSON)`);
  const record = {
    command: commandOf(b),
    startedAt: startedAt.toISOString(),
    seconds,
    loadBefore,
    loadAfter: load(),
    result: JSON.parse(readFileSync(json, "utf8")),
  };
  writeFileSync(join(cache, `${b.name}.json`), JSON.stringify(record, null, 1));
  console.log(`== ${b.name}: done in ${seconds.toFixed(0)} s — load ${record.loadAfter}`);
  return record;
}

function safely(f) {
  try {
    return f();
  } catch {
    return "unavailable";
  }
}

async function versions() {
  const req = createRequire(join(root, "packages/collector/package.json"));
  const v = {
    node: process.version,
    pnpm: safely(() => execFileSync("pnpm", ["--version"]).toString().trim()),
    sqlite: safely(() => {
      const Database = req("better-sqlite3");
      const db = new Database(":memory:");
      const s = db.prepare("SELECT sqlite_version() AS v").get().v;
      db.close();
      return `${s} (better-sqlite3 ${req("better-sqlite3/package.json").version})`;
    }),
    chromium: safely(() =>
      execFileSync("/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim(),
    ),
  };
  try {
    const pg = req("pg");
    const c = new pg.Client(PG);
    await c.connect();
    v.postgres = (await c.query("SHOW server_version")).rows[0].server_version;
    await c.end();
  } catch {
    v.postgres = "unavailable";
  }
  v.peers = [
    "@segment/analytics-node",
    "posthog-node",
    "@sentry/browser",
    "posthog-js",
    "@segment/analytics-next",
    "@typeform/embed",
    "esbuild",
    "autocannon",
  ]
    .map((p) => {
      const file = join(root, "node_modules", p, "package.json");
      return `${p} ${safely(() => JSON.parse(readFileSync(file, "utf8")).version)}`;
    })
    .join(", ");
  return v;
}

function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? "unknown",
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: load(),
  };
}

/** Where each bench's section starts in the report, so a later run can find it. */
const marker = (name) => `<!-- bench:${name} -->`;

/**
 * The bench's section in the report as it stands: between its marker and the next one, or (a
 * report written before the markers) from its heading, matched up to the first placeholder, to
 * the next `## ` heading.
 */
function previousSection(b, heading, report) {
  const start = report.indexOf(marker(b.name));
  if (start >= 0) {
    const end = report.indexOf("<!-- bench:", start + 1);
    return report.slice(start + marker(b.name).length, end < 0 ? undefined : end).trim();
  }
  const prefix = heading.split("{{")[0];
  const lines = report.split("\n");
  const from = lines.findIndex((l) => l.startsWith(prefix));
  if (from < 0) return undefined;
  const to = lines.findIndex((l, i) => i > from && l.startsWith("## "));
  return lines
    .slice(from, to < 0 ? undefined : to)
    .join("\n")
    .trim();
}

/**
 * Fills a bench's template with its last run. A bench with no run on this machine (a fresh
 * clone's cache is empty) keeps its section of the report as it was, measured where it says.
 */
function render(b, record, report) {
  const template = readFileSync(join(root, "bench/report", `${b.name}.md`), "utf8");
  if (!record) {
    const heading = template.split("\n")[0];
    const kept = previousSection(b, heading, report);
    if (kept && !kept.includes("Not measured yet:")) return `${marker(b.name)}\n${kept}\n`;
    return `${marker(b.name)}\n${heading}\n\nNot measured yet: \`${commandOf(b)}\` (or \`node bench/run.mjs --only ${b.name}\`).\n`;
  }
  const r = record.result;
  const date = record.startedAt.replace("T", " ").slice(0, 16);
  const values = {
    command: `\`pnpm build && ${record.command}\``,
    run: `Measured ${date} UTC (${Math.round(record.seconds)} s), load average ${record.loadBefore} at its start and ${record.loadAfter} at its end.`,
    ...r.figures,
  };
  return `${marker(b.name)}\n${fill(b.name, template, r.tables, values)}`;
}

const started = new Date();
const header = { machine: machine(), versions: await versions() };
if (!renderOnly) {
  for (const b of BENCHES) if (!only || only.includes(b.name)) await runBench(b);
}
const records = Object.fromEntries(
  BENCHES.map((b) => {
    const file = join(cache, `${b.name}.json`);
    return [b.name, existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined];
  }),
);
const { machine: m, versions: v } = header;
const report = existsSync(out) ? readFileSync(out, "utf8") : "";
const doc = [
  "# Benchmarks",
  "",
  "<!-- Written by `pnpm bench` (bench/run.mjs) from bench/report/*.md: edit those, not this file. -->",
  "",
  "Benchmarks live in `bench/` and run on demand, never as tests: this machine is shared and noisy,",
  "so figures are for comparing cases measured **in the same run**, as ratios, not absolute",
  "promises. `pnpm bench` runs them all in sequence and rewrites this page (30–60 minutes here);",
  "`node bench/run.mjs --only desk` reruns one and keeps the others' last figures, each section",
  "saying when it was measured. Each bench also runs alone, printing its tables, with the command",
  "under its heading. `BENCH_QUICK=1` runs a small version of each (CI does, after the build), so",
  "they keep working.",
  "",
  `Report written ${started.toISOString().replace("T", " ").slice(0, 16)} UTC.`,
  "",
  "| machine | |",
  "|---|---|",
  `| cores | ${m.cores} × ${m.cpu}${
    BENCHES.some((b) => !records[b.name])
      ? " (where this page was written; a section not rerun here was measured when it says, perhaps on another machine of this size)"
      : ""
  } |`,
  `| memory | ${m.memory} |`,
  `| load average (1, 5, 15 min) when this page was written; each section gives its own | ${m.load} |`,
  `| node | ${v.node} |`,
  `| pnpm | ${v.pnpm} |`,
  `| SQLite | ${v.sqlite} |`,
  `| PostgreSQL | ${v.postgres} (at 127.0.0.1:5432; the soak starts its own from the same binaries) |`,
  `| Chromium | ${v.chromium} |`,
  `| peers and tools | ${v.peers} |`,
  "",
  ...BENCHES.map((b) => render(b, records[b.name], report)),
].join("\n");
writeFileSync(out, `${doc.trimEnd()}\n`);
console.log(`\nwrote ${out} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
