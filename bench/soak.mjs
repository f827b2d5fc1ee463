// Soak: two collectors (`closeloop serve` processes) on one PostgreSQL for SOAK_SECONDS (default
// 600) of mixed load — ingest through both, loop transitions, metrics polls, webhook deliveries
// to a receiver that fails one in five — with one immediate database restart in the middle.
// Reports throughput, request p50/p99, each collector's RSS over time, and items lost (acknowledged
// but not stored). The PostgreSQL is the run's own (initdb in a temp dir, as the fault tests do),
// never the shared server.
// Run: node bench/soak.mjs   (SOAK_SECONDS; BENCH_QUICK=1: 6 s; no build needed: the sources
// are bundled here). Results: docs/benchmarks.md (bench/run.mjs, bench/report/soak.md).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { emit, num, QUICK, size } from "./emit.mjs";

const SECONDS = size("SOAK_SECONDS", 600, 6);
const root = new URL("..", import.meta.url).pathname;
const out = join(root, "packages/collector/node_modules/.cache/closeloop-soak");
const alias = {
  "@closeloop/core": join(root, "packages/core/src/index.ts"),
  "@closeloop/node": join(root, "packages/node/src/index.ts"),
};
const banner = {
  js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
};
await build({
  entryPoints: {
    cli: join(root, "packages/collector/src/cli/main.ts"),
    "own-postgres": join(root, "packages/collector/test/own-postgres.ts"),
    "fault-load": join(root, "packages/collector/test/fault-load.ts"),
    core: join(root, "packages/core/src/index.ts"),
    fixtures: join(root, "packages/core/test/fixtures.ts"),
  },
  outdir: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pg", "vitest"],
  alias,
  banner,
  logLevel: "silent",
});
const { startOwnPostgres } = await import(join(out, "own-postgres.js"));
const { startLoad, tally } = await import(join(out, "fault-load.js"));
const { onboardingNps } = await import(join(out, "fixtures.js"));
const { uuidv7 } = await import(join(out, "core.js"));
// pg is the collector's dependency, not the root's.
const pg = createRequire(join(root, "packages/collector/package.json"))("pg");

const KEYS = {
  CLOSELOOP_PUBLIC_KEY: "pk_soak_0123456789abcdefghij",
  CLOSELOOP_SECRET_KEY: "sk_soak_0123456789abcdefghij",
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `closeloop serve` on `url`, answering once it listens. */
async function serve(url) {
  const child = spawn(
    process.execPath,
    [join(out, "cli.js"), "serve", "--postgres", url, "--port", "0"],
    {
      env: { ...process.env, ...KEYS },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let errors = 0;
  child.stderr.on("data", () => {
    errors++;
  });
  const listening = await new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (b) => {
      text += b.toString();
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return { child, url: listening, errorLines: () => errors };
}

const rssMb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};

async function call(base, method, path, key, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

// A receiver that answers one delivery in five with 503, and counts every webhook-id it took.
const taken = new Map();
let receiverCalls = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    receiverCalls++;
    if (receiverCalls % 5 === 0) return res.writeHead(503).end();
    const id = req.headers["webhook-id"];
    taken.set(id, (taken.get(id) ?? 0) + 1);
    res.writeHead(204).end();
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));

const server = await startOwnPostgres();
const url = await server.createDatabase("soak");
const collectors = [await serve(url), await serve(url)];
const [a] = collectors;
const sk = KEYS.CLOSELOOP_SECRET_KEY;
console.log(`soak: ${SECONDS} s, two collectors on PostgreSQL port ${server.port}`);
if ((await call(a.url, "PUT", "/v1/surveys/onboarding-nps", sk, onboardingNps())).status !== 201)
  throw new Error("survey not published");
const policy = await call(a.url, "PUT", "/v1/feedback-policy", sk, {
  locales: ["en"],
  channels: ["support"],
  routes: {
    support: {
      action: "follow-up",
      owner: "support",
      acknowledgeWithin: "4h",
      closeWithin: "48h",
      acknowledge: {
        message: { en: "Sorry about this — we will get back to you within two days. Thank you." },
      },
    },
    "*": {
      action: "follow-up",
      owner: "cx",
      closeWithin: "7d",
      acknowledge: { message: { en: "Sorry, and thank you — we read everything." } },
    },
  },
});
if (policy.status !== 200)
  throw new Error(`feedback policy refused: ${JSON.stringify(policy.body)}`);
const hook = await call(a.url, "PUT", "/v1/webhooks/crm", sk, {
  url: `http://127.0.0.1:${receiver.address().port}/crm`,
  events: ["response.received"],
});
if (hook.status !== 201) throw new Error(`webhook not registered: ${hook.status}`);

// Request latencies of the ingest, through a fetch wrapper the load calls.
const latencies = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const started = performance.now();
  try {
    return await realFetch(input, init);
  } finally {
    if (String(input).endsWith("/v1/batch")) latencies.push(performance.now() - started);
  }
};

let turn = 0;
let n = 0;
const load = startLoad({
  url: () => collectors[turn++ % 2].url,
  key: KEYS.CLOSELOOP_PUBLIC_KEY,
  senders: 4,
  batchSize: 20,
  item: () => {
    const id = crypto.randomUUID();
    n++;
    return n % 2 === 0
      ? {
          type: "feedback",
          idempotencyKey: `f-${id}`,
          data: { id: uuidv7(), channel: "support", text: `Soak feedback ${n}` },
        }
      : {
          type: "response",
          idempotencyKey: `r-${id}`,
          data: {
            id: uuidv7(),
            surveyId: "onboarding-nps",
            surveyVersion: 1,
            respondent: { anonymousId: `anon-soak-${String(n).padStart(12, "0")}` },
            answers: { score: n % 11, why: "Soak" },
            finished: true,
            locale: "en",
            createdAt: new Date().toISOString(),
          },
        };
  },
});

// Side load: transitions and metrics polls, through both collectors.
let stopping = false;
const side = { transitions: 0, metricsPolls: 0, sideFailures: 0 };
const sideLoad = (async () => {
  while (!stopping) {
    const base = collectors[side.metricsPolls % 2].url;
    try {
      const m = await call(base, "GET", "/v1/metrics", sk);
      if (m.status === 200) side.metricsPolls++;
      else side.sideFailures++;
      const open = await call(base, "GET", "/v1/loops?state=received&limit=10", sk);
      for (const loop of open.body?.loops ?? []) {
        const moved = await call(base, "POST", `/v1/loops/${loop.id}/transitions`, sk, {
          to: "acknowledged",
          actor: "agent:soak",
        });
        if (moved.status === 200) side.transitions++;
        else side.sideFailures++;
      }
    } catch {
      side.sideFailures++;
    }
    await sleep(1_000);
  }
})();

const started = Date.now();
const rss = [];
let restarted = false;
while (Date.now() - started < SECONDS * 1000) {
  await sleep(Math.min(30_000, SECONDS * 100));
  const t = Math.round((Date.now() - started) / 1000);
  rss.push([t, ...collectors.map((c) => rssMb(c.child.pid))]);
  console.log(
    `  t=${t}s acknowledged=${load.acknowledged.length} rss=${rss.at(-1).slice(1).join("/")} MB`,
  );
  if (!restarted && Date.now() - started >= (SECONDS * 1000) / 2) {
    restarted = true;
    console.log("  database: pg_ctl stop -m immediate, 2 s, start");
    await server.stop("immediate");
    await sleep(2_000);
    await server.start();
  }
}
stopping = true;
await load.stop();
await sideLoad;
const elapsed = (Date.now() - started) / 1000;

// Deliveries still due (retries of the receiver's 503s) are left to run for a minute.
const client = new pg.Client(url);
await client.connect();
for (let i = 0; i < (QUICK ? 5 : 60); i++) {
  const { rows } = await client.query(
    "SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending' AND next_at < now() + interval '10 seconds'",
  );
  if (rows[0].n === 0) break;
  await sleep(1_000);
}
const stored = new Set(
  [
    ...(await client.query("SELECT id FROM responses")).rows,
    ...(await client.query("SELECT id FROM feedback")).rows,
  ].map((r) => r.id),
);
const deliveries = (
  await client.query("SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status")
).rows;
await client.end();

const counts = tally("soak", load, stored);
const sorted = [...latencies].sort((x, y) => x - y);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
console.log(
  `elapsed ${elapsed.toFixed(0)} s; items/s ${(counts.acknowledged / elapsed).toFixed(0)}`,
);
console.log(
  `batch requests ${sorted.length}; p50 ${pct(50).toFixed(1)} ms; p99 ${pct(99).toFixed(1)} ms; max ${sorted.at(-1).toFixed(0)} ms`,
);
console.log("answers other than 200:", Object.fromEntries(load.failures));
console.log(`items rejected: ${load.rejected.length}`);
console.log("side load:", side);
console.log("deliveries by status:", Object.fromEntries(deliveries.map((d) => [d.status, d.n])));
console.log(
  `webhook ids taken ${taken.size}; taken twice ${[...taken.values()].filter((v) => v > 1).length}; receiver calls ${receiverCalls}`,
);
console.log("rss MB over time [t, collector 1, collector 2]:", JSON.stringify(rss));
console.log(`collectors alive: ${collectors.map((c) => c.child.exitCode === null).join(", ")}`);
const alive = collectors.map((c) => c.child.exitCode === null);
const byStatus = Object.fromEntries(deliveries.map((d) => [d.status, d.n]));
const failures = Object.entries(Object.fromEntries(load.failures));
const twice = [...taken.values()].filter((v) => v > 1).length;
emit({
  tables: {
    figures: {
      columns: ["figure", "value"],
      rows: [
        [
          "items sent / acknowledged / stored / **lost**",
          `${num(counts.sent)} / ${num(counts.acknowledged)} / ${num(counts.stored)} / **${num(counts.lost)}**`,
        ],
        [
          "throughput (acknowledged items over the whole run, restart included)",
          `${num(counts.acknowledged / elapsed)} items/s`,
        ],
        [
          `\`POST /v1/batch\` latency, ${num(sorted.length)} requests`,
          `p50 ${num(pct(50))} ms, p99 ${num(pct(99))} ms, max ${num(sorted.at(-1))} ms`,
        ],
        [
          "answers other than 200",
          failures.length === 0
            ? "none"
            : failures.map(([status, n]) => `${num(n)} × ${status}`).join(", "),
        ],
        [
          "side load",
          `${num(side.metricsPolls)} metrics polls, ${num(side.transitions)} transitions; ${num(side.sideFailures)} side requests answered other than 200 (not retried)`,
        ],
        [
          "webhooks",
          `${num(byStatus.delivered ?? 0)} delivered, ${num(twice)} taken twice by the receiver, ${num(byStatus.pending ?? 0)} pending`,
        ],
        [
          "collectors alive at the end",
          alive.every(Boolean) ? "both, never restarted" : "NOT both",
        ],
      ],
      notes: [`${num(elapsed)} s, two collectors on one PostgreSQL restarted half way`],
    },
    rss: {
      columns: ["t (s)", ...rss.map(([t]) => String(t))],
      rows: [1, 2].map((k) => [`collector ${k}`, ...rss.map((r) => String(r[k]))]),
    },
  },
  figures: {
    seconds: num(elapsed),
    lost: num(counts.lost),
    throughput: num(counts.acknowledged / elapsed),
    rssMin: `${Math.min(...rss.flatMap((r) => r.slice(1)))} MB`,
    rssMax: `${Math.max(...rss.flatMap((r) => r.slice(1)))} MB`,
    twice: num(twice),
  },
});
for (const c of collectors) c.child.kill("SIGTERM");
await Promise.all(collectors.map((c) => new Promise((r) => c.child.once("exit", r))));
receiver.close();
await server.remove();
