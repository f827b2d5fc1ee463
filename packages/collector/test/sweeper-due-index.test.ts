// The SLA sweep's own index (schema step 11, docs/stores.md): each loop keeps its next deadline to
// look at (`breach_due`), a fired deadline leaves the index, the sweep's statement reads only that
// index, and the step's backfill leaves out deadlines already fired — on SQLite and PostgreSQL.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Loop, transition } from "@closeloop/core";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { saveLoop } from "../src/ingest/loops.js";
import { sqliteStore } from "../src/store/index.js";
import { webhookSql as postgresSql } from "../src/store/postgres/webhooks.js";
import { webhookSql as sqliteSql } from "../src/store/sqlite/webhooks.js";
import type { CollectorStore } from "../src/store/types.js";
import { sweepBreaches } from "../src/sweeper.js";
import { dropSchemas, newPgSchema, PG_URL, pgStores, postgresFor } from "./pg-helper.js";
import { at, environment, HOUR, loop, T0_MS } from "./store-fixtures.js";

type Row = Record<string, unknown>;

/** A migrated store, and SQL on the same database from a connection of the test's own. */
interface Opened {
  store: CollectorStore;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Opens (and migrates) the store again on the same database. */
  reopen(): Promise<CollectorStore>;
  close(): Promise<void>;
}

/** Step 11 undone, as a database written before it is: no column, the old indexes, no record. */
const UNDO = `DROP INDEX loops_breach_due;
ALTER TABLE loops DROP COLUMN breach_due;
CREATE INDEX loops_acknowledge_due ON loops (acknowledge_by)
  WHERE acknowledge_by IS NOT NULL AND acknowledged_at IS NULL;
CREATE INDEX loops_close_due ON loops (close_by) WHERE close_by IS NOT NULL AND closed_at IS NULL;
DELETE FROM schema_migrations WHERE version = 11;`;

async function openSqlite(): Promise<Opened> {
  const path = join(mkdtempSync(join(tmpdir(), "closeloop-due-")), "c.db");
  const stores = [sqliteStore(path)];
  await stores[0]?.migrate();
  const db = new Database(path);
  return {
    store: stores[0] as CollectorStore,
    async query(sql, params = []) {
      const s = db.prepare(sql);
      if (s.reader) return s.all(...params) as Row[];
      s.run(...params);
      return [];
    },
    async reopen() {
      const store = sqliteStore(path);
      await store.migrate();
      stores.push(store);
      return store;
    },
    async close() {
      db.close();
      for (const s of stores) await s.close();
    },
  };
}

async function openPostgres(): Promise<Opened> {
  const schema = newPgSchema();
  const stores = await pgStores(1, schema);
  const client = new pg.Client(PG_URL);
  await client.connect();
  await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  return {
    store: stores[0] as CollectorStore,
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows;
    },
    async reopen() {
      const [store] = await pgStores(1, schema);
      stores.push(store as CollectorStore);
      return store as CollectorStore;
    },
    async close() {
      await client.end();
      for (const s of stores) await s.close();
    },
  };
}

const pgUnreachable = await postgresFor("the sweep's index on PostgreSQL");
afterAll(dropSchemas);

const STORES = [
  { name: "SQLite", open: openSqlite, plan: `EXPLAIN QUERY PLAN ${sqliteSql.dueBreaches}` },
  { name: "PostgreSQL", open: openPostgres, plan: `EXPLAIN ${postgresSql.dueBreaches}` },
];

/** Each loop's `breach_due` as epoch ms (`null` when none), by loop id. */
async function breachDue(db: Opened): Promise<Record<string, number | null>> {
  const rows = await db.query("SELECT id, breach_due FROM loops ORDER BY id");
  return Object.fromEntries(
    rows.map((r) => [
      r.id as string,
      r.breach_due === null ? null : new Date(r.breach_due as number | Date).getTime(),
    ]),
  );
}

const ENV = "env-due";
const ids = ["loop-a", "loop-b", "loop-c"];

async function seed(store: CollectorStore, loops: Loop[]) {
  await store.createEnvironment(environment(ENV));
  await store.transaction(async (tx) => {
    for (const l of loops) await saveLoop(tx, ENV, l, undefined);
  });
}

for (const { name, open, plan } of STORES) {
  describe.skipIf(name === "PostgreSQL" && pgUnreachable !== undefined)(
    `the sweep's index (${name})`,
    () => {
      it("a fired deadline leaves the index and the next one waits there; a later write puts it back once", async () => {
        const db = await open();
        try {
          // acknowledgeWithin 4h, closeWithin 48h; loop-c is acknowledged in time.
          const acknowledged = transition(loop({ id: "loop-c" }), "acknowledged", {
            actor: "agent",
            at: at(60),
          });
          await seed(db.store, [loop({ id: "loop-a" }), loop({ id: "loop-b" }), acknowledged]);
          const ack = T0_MS + 4 * HOUR;
          const close = T0_MS + 48 * HOUR;
          expect(await breachDue(db)).toEqual({ "loop-a": ack, "loop-b": ack, "loop-c": close });

          expect(await sweepBreaches(db.store, T0_MS + 5 * HOUR)).toBe(2);
          expect(await breachDue(db)).toEqual({
            "loop-a": close,
            "loop-b": close,
            "loop-c": close,
          });
          const due = await db.store.transaction((tx) =>
            tx.dueBreaches(new Date(T0_MS + 5 * HOUR).toISOString(), 100),
          );
          expect(due).toEqual([]);

          // A write of loop-a, still unacknowledged, sets its earliest pending deadline again:
          // the next sweep looks at it once, fires nothing, and moves it on.
          const a = await db.store.transaction((tx) => tx.getLoop(ENV, "loop-a"));
          await db.store.transaction((tx) => saveLoop(tx, ENV, a as Loop, undefined));
          expect((await breachDue(db))["loop-a"]).toBe(ack);
          expect(await sweepBreaches(db.store, T0_MS + 6 * HOUR)).toBe(0);
          expect((await breachDue(db))["loop-a"]).toBe(close);

          // A deadline due exactly now is not missed yet (core's `breaches`): it stays.
          expect(await sweepBreaches(db.store, close)).toBe(0);
          expect(await sweepBreaches(db.store, close + 1)).toBe(3);
          expect(await breachDue(db)).toEqual({ "loop-a": null, "loop-b": null, "loop-c": null });
        } finally {
          await db.close();
        }
      });

      it("its statement reads the loops through loops_breach_due, not every loop", async () => {
        const db = await open();
        try {
          await seed(
            db.store,
            ids.map((id) => loop({ id })),
          );
          // Many loops with nothing to look at (closed, or every deadline fired), as a store
          // that has run a while holds.
          const copies = Array.from({ length: 2000 }, (_, i) => i);
          if (name === "SQLite") {
            await db.query(`CREATE TEMP TABLE n (g INTEGER)`);
            for (const g of copies) await db.query("INSERT INTO n VALUES (?)", [g]);
            const columns = (await db.query("SELECT name FROM pragma_table_info('loops')"))
              .map((r) => r.name as string)
              .filter((c) => c !== "id" && c !== "source_id" && c !== "breach_due");
            await db.query(`INSERT INTO loops (id, source_id, breach_due, ${columns.join(", ")})
              SELECT l.id || '-' || n.g, l.source_id || '-' || n.g, NULL, ${columns.map((c) => `l.${c}`).join(", ")}
              FROM loops l, n WHERE l.id = 'loop-a'`);
            await db.query("ANALYZE");
          } else {
            await db.query(`INSERT INTO loops SELECT r.* FROM loops l,
              generate_series(1, ${copies.length}) g,
              json_populate_record(NULL::loops, (to_jsonb(l) || jsonb_build_object('id',
                l.id || '-' || g, 'source_id', l.source_id || '-' || g, 'breach_due', NULL))::json) r
              WHERE l.id = 'loop-a'`);
            await db.query("ANALYZE loops");
          }
          const text = (
            await db.query(plan, name === "SQLite" ? [{ now: T0_MS, limit: 100 }] : [T0_MS, 100])
          )
            .map((r) => (r["QUERY PLAN"] ?? r.detail) as string)
            .join("\n");
          expect(text).toContain("loops_breach_due");
          expect(text).not.toMatch(/SCAN loops\b(?! USING)|Seq Scan on loops/);
          expect(await sweepBreaches(db.store, T0_MS + 5 * HOUR)).toBe(3);
        } finally {
          await db.close();
        }
      });

      it("the step's backfill leaves out deadlines already fired", async () => {
        const db = await open();
        try {
          const closed = ["acknowledged", "assigned", "resolved", "closed"] as const;
          let done = loop({ id: "loop-done" });
          closed.forEach((to, i) => {
            done = transition(done, to, {
              actor: "agent",
              at: at(10 + i),
              ...(to === "assigned" ? { owner: "support" } : {}),
              ...(to === "closed" ? { informedVia: "email", message: "Fixed." } : {}),
            });
          });
          await seed(db.store, [...ids.map((id) => loop({ id })), done]);
          // loop-a's and loop-b's acknowledge deadlines fire; loop-c's is forgotten by the
          // sweeper, as if a collector had stopped before it fired.
          expect(await sweepBreaches(db.store, T0_MS + 5 * HOUR)).toBe(3);
          await db.query("DELETE FROM loop_breaches WHERE loop_id = 'loop-c'");
          const before = await breachDue(db);
          const expected = {
            "loop-a": T0_MS + 48 * HOUR,
            "loop-b": T0_MS + 48 * HOUR,
            "loop-c": T0_MS + 48 * HOUR,
            "loop-done": null,
          };
          expect(before).toEqual(expected);
          if (name === "SQLite") {
            for (const s of UNDO.split(";").filter((x) => x.trim())) await db.query(s);
          } else {
            await db.query(UNDO);
          }
          await db.reopen();
          expect(await breachDue(db)).toEqual({ ...expected, "loop-c": T0_MS + 4 * HOUR });
          expect(await sweepBreaches(db.store, T0_MS + 6 * HOUR)).toBe(1);
          expect(await breachDue(db)).toEqual(expected);
        } finally {
          await db.close();
        }
      });
    },
  );
}
