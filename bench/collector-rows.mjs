// The second ceiling of bench/collector.mjs, in its own process: no HTTP and no validation, just
// the very rows the collector writes for each finished response (its idempotency claim, the
// response, the loop it opens, with every index of the migrated schema, and on SQLite the desk's
// search words the store writes beside a new loop), batch after batch, one transaction each. SQLite: one writer, prepared statements. PostgreSQL:
// `concurrency` writers through the store's batched transaction: one statement reads a batch's
// keys and responses, one writes all its rows.
// Usage: node collector-rows.mjs <sqlite|postgres> <db path | postgres url> <seconds> <batch> [concurrency]
// Prints one JSON line: { responses, seconds, p50, p99 } (latency of one batch's transaction, ms).
import { createRequire } from "node:module";
import { createCollector, postgresStore, sqliteStore } from "../packages/collector/dist/index.js";
import { uuidv7 } from "../packages/core/dist/index.js";
import { batchBody, publishBenchSurvey, SK } from "./collector-fixtures.mjs";

const [mode, where, seconds, batch, concurrency = "4"] = process.argv.slice(2);
const SECONDS = Number(seconds);
const BATCH = Number(batch);
const require = createRequire(new URL("../packages/collector/package.json", import.meta.url));
const TABLES = ["idempotency", "responses", "loops"]; // SQLite's
const schema = `bench_rows_${process.pid}`;

// The template: one batch ingested by the collector itself (without HTTP), read back row by row.
const store = mode === "postgres" ? postgresStore(where, { schema, max: 2 }) : sqliteStore(where);
const collector = await publishBenchSurvey(store, createCollector);
const sent = await collector.fetch(
  new Request("http://x/v1/batch", {
    method: "POST",
    headers: { authorization: `Bearer ${SK}`, "content-type": "application/json" },
    body: batchBody(1),
  }),
);
if (sent.status !== 200) throw new Error(`template batch failed: ${sent.status}`);
const templateId = (await sent.json()).accepted[0].id;
await store.close();

let templateLoopId = "";
/** A template row's text (a column, or the whole row as JSON) with fresh ids. */
const fresh = (text, id, loopId) =>
  text.replaceAll(templateId, id).replaceAll(templateLoopId, loopId);

const latencies = [];
let responses = 0;
let deadline = 0;

if (mode === "postgres") {
  // Through the store's own batched transaction (docs/stores.md, Batched writes on PostgreSQL):
  // the same statements the collector sends for a batch — its keys and responses read, then every
  // row as binary column arrays in one statement — with none of the ingest before them.
  const pg = require("pg");
  const admin = new pg.Client(where);
  await admin.connect();
  const rowsStore = postgresStore(where, { schema, max: Number(concurrency) });
  // The schema is this process's own: dropped however the run ends.
  try {
    const [env] = await rowsStore.listEnvironments();
    const envId = env.id;
    const response = await rowsStore.getResponse(envId, templateId);
    const { rows: loopRows } = await admin.query(
      `SELECT id, digest FROM ${schema}.loops,
      ${schema}.idempotency WHERE idempotency.key = $1`,
      [templateId],
    );
    templateLoopId = loopRows[0].id;
    const loop = await rowsStore.getLoop(envId, templateLoopId);
    const meta = await rowsStore.transaction((tx) => tx.getLoopMeta(envId, templateLoopId));
    const texts = {
      response: JSON.stringify(response),
      loop: JSON.stringify(loop),
      meta: JSON.stringify(meta),
    };
    const digest = loopRows[0].digest;
    const at = response.receivedAt;
    async function writer() {
      while (Date.now() < deadline) {
        const ids = Array.from({ length: BATCH }, () => [uuidv7(), uuidv7()]);
        const t0 = performance.now();
        await rowsStore.transaction(async (tx) => {
          const keys = ids.map(([id]) => id);
          await tx.prefetchBatch(envId, { keys, responseIds: keys });
          for (const [id, loopId] of ids) {
            await tx.claimIdempotency(envId, id, { type: "response", id, digest }, at);
            await tx.putResponse(envId, JSON.parse(fresh(texts.response, id, loopId)));
            await tx.putLoop(
              envId,
              JSON.parse(fresh(texts.loop, id, loopId)),
              JSON.parse(fresh(texts.meta, id, loopId)),
            );
          }
        });
        latencies.push(performance.now() - t0);
        responses += BATCH;
      }
    }
    const started = Date.now();
    deadline = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: Number(concurrency) }, writer));
    report((Date.now() - started) / 1000);
  } finally {
    await rowsStore.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
} else {
  const Database = require("better-sqlite3");
  const db = new Database(where);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const statements = TABLES.map((table) => {
    const row = db.prepare(`SELECT * FROM ${table}`).get();
    if (table === "loops") templateLoopId = row.id;
    const columns = Object.keys(row);
    return {
      table,
      values: Object.values(row),
      insert: db.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      ),
    };
  });
  // The desk's search words the store writes beside each new loop (schema step 10): the loop's
  // quote, which the words table itself does not keep (step 12).
  const words = db
    .prepare("SELECT json_extract(meta, '$.youSaid') AS words FROM loops")
    .get()?.words;
  const insertWords = db.prepare("INSERT INTO loop_words (rowid, words) VALUES (?, ?)");
  const write = db.transaction((ids) => {
    for (const [id, loopId] of ids) {
      for (const s of statements) {
        const { lastInsertRowid } = s.insert.run(
          s.values.map((v) => (typeof v === "string" ? fresh(v, id, loopId) : v)),
        );
        if (s.table === "loops" && words !== undefined) insertWords.run(lastInsertRowid, words);
      }
    }
  });
  const started = Date.now();
  deadline = started + SECONDS * 1000;
  while (Date.now() < deadline) {
    const ids = Array.from({ length: BATCH }, () => [uuidv7(), uuidv7()]);
    const t0 = performance.now();
    write.immediate(ids);
    latencies.push(performance.now() - t0);
    responses += BATCH;
  }
  report((Date.now() - started) / 1000);
  db.close();
}

function report(elapsed) {
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  process.stdout.write(
    `${JSON.stringify({ responses, seconds: elapsed, p50: at(0.5), p99: at(0.99) })}\n`,
  );
}
