// The server side of bench/collector.mjs, in its own process: the collector on SQLite or
// PostgreSQL, or the bare baseline (node:http + SQLite, no validation, no loops).
// Usage: node collector-server.mjs <sqlite|postgres|bare> <db path | postgres url>
import { createServer } from "node:http";
import { createRequire } from "node:module";
import {
  createCollector,
  postgresStore,
  provision,
  sqliteStore,
} from "../packages/collector/dist/index.js";

const [mode, where] = process.argv.slice(2);
const PK = "pk_bench_0123456789abcdefghij";
const SK = "sk_bench_0123456789abcdefghij";

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
  const store =
    mode === "postgres"
      ? postgresStore(where, { schema: `bench_${process.pid}` })
      : sqliteStore(where);
  await store.migrate();
  await provision(store, { publicKey: PK, secretKey: SK });
  const collector = createCollector({ store, limits: { rate: { perSecond: 1e9, burst: 1e9 } } });
  const survey = JSON.parse(
    (await import("node:fs")).readFileSync(
      new URL("../examples/loop-demo/survey.json", import.meta.url),
      "utf8",
    ),
  );
  const res = await collector.fetch(
    new Request(`http://x/v1/surveys/${survey.id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${SK}` },
      body: JSON.stringify(survey),
    }),
  );
  if (res.status >= 300) throw new Error(`publish failed: ${res.status} ${await res.text()}`);
  const listening = await collector.listen({ port: 0 });
  process.stdout.write(`${listening.url} ${survey.id} ${survey.version}\n`);
  // On SIGTERM: close, drop this run's PostgreSQL schema, and exit (which writes a CPU profile).
  process.once("SIGTERM", async () => {
    await listening.close();
    await store.close();
    if (mode === "postgres") {
      const pg = createRequire(new URL("../packages/collector/package.json", import.meta.url))(
        "pg",
      );
      const client = new pg.Client(where);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS bench_${process.pid} CASCADE`);
      await client.end();
    }
    process.exit(0);
  });
}
