// The server side of bench/collector.mjs, in its own process: the collector on SQLite or
// PostgreSQL, or the bare baseline (node:http + SQLite, no validation, no loops).
// Usage: node collector-server.mjs <sqlite|postgres|bare> <db path | postgres url> [schema]
// (PostgreSQL: the schema to use, shared by the collectors given the same one, dropped by none of
// them; default a schema of this process's own, dropped on exit.)
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { createCollector, postgresStore, sqliteStore } from "../packages/collector/dist/index.js";
import { publishBenchSurvey } from "./collector-fixtures.mjs";

const [mode, where, sharedSchema] = process.argv.slice(2);

if (mode === "bare") {
  // The ceiling: parse the batch and insert each item's JSON in one transaction.
  const Database = createRequire(new URL("../packages/collector/package.json", import.meta.url))(
    "better-sqlite3",
  );
  const db = new Database(where);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("create table if not exists items (key text primary key, data text not null)");
  const insert = db.prepare("insert or ignore into items (key, data) values (?, ?)");
  const writeAll = db.transaction((items) => {
    for (const it of items) insert.run(it.idempotencyKey, JSON.stringify(it.data));
  });
  createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const { items } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      writeAll(items);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          accepted: items.map((it, index) => ({ index, id: it.data.id, duplicate: false })),
          rejected: [],
        }),
      );
    });
  }).listen(0, "127.0.0.1", function () {
    process.stdout.write(`http://127.0.0.1:${this.address().port}\n`);
  });
} else {
  const schema = sharedSchema ?? `bench_${process.pid}`;
  const store = mode === "postgres" ? postgresStore(where, { schema }) : sqliteStore(where);
  const collector = await publishBenchSurvey(store, createCollector);
  const listening = await collector.listen({ port: 0 });
  process.stdout.write(`${listening.url}\n`);
  // On SIGTERM: close, drop this run's PostgreSQL schema, and exit (which writes a CPU profile).
  process.once("SIGTERM", async () => {
    await listening.close();
    await store.close();
    if (mode === "postgres" && sharedSchema === undefined) {
      const pg = createRequire(new URL("../packages/collector/package.json", import.meta.url))(
        "pg",
      );
      const client = new pg.Client(where);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    process.exit(0);
  });
}
