import { join } from "node:path";
import type { CustomerEvent } from "@closeloop/core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../node/test/helpers.js";
import { sqliteStore } from "../src/store/index.js";
import { MIGRATIONS } from "../src/store/sqlite/migrations/index.js";
import type { CollectorStore, StoredFeedback } from "../src/store/types.js";
import { type StoreInspector, storeConformance } from "./store-conformance.js";
import { at, environment, keyRecord, loop, notice, survey } from "./store-fixtures.js";

const paths = new WeakMap<CollectorStore, string>();
const newPath = () => join(tempDir(), "closeloop.db");

/**
 * How many loops' search words hold `term`, from the index itself: the words table keeps no
 * copy of the text (schema step 12), so it cannot be counted by scanning it.
 */
function wordEntries(db: Database.Database, term: string): number {
  db.exec(
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words_vocab USING fts5vocab(main, loop_words, row)",
  );
  const row = db.prepare("SELECT doc FROM temp.words_vocab WHERE term = ?").get(term) as
    | { doc: number }
    | undefined;
  return row?.doc ?? 0;
}

async function openAt(path: string): Promise<CollectorStore> {
  const store = sqliteStore(path);
  await store.migrate();
  paths.set(store, path);
  return store;
}

/** Reads the file through a connection of its own: what a restart would find committed. */
function rows<T>(store: CollectorStore, sql: string, ...args: unknown[]): T[] {
  const db = new Database(paths.get(store) as string, { readonly: true });
  try {
    return (db.prepare(sql).all(...args) as { data: string }[]).map((r) => JSON.parse(r.data) as T);
  } finally {
    db.close();
  }
}

const inspect: StoreInspector = {
  feedback: async (store, envId) =>
    rows<StoredFeedback>(store, "SELECT data FROM feedback WHERE env_id = ? ORDER BY id", envId),
  customerEvents: async (store, envId) =>
    rows<CustomerEvent>(
      store,
      "SELECT data FROM customer_events WHERE env_id = ? ORDER BY id",
      envId,
    ),
};

storeConformance("sqlite file", () => openAt(newPath()), { inspect });
storeConformance("sqlite :memory:", async () => {
  const store = sqliteStore(":memory:");
  await store.migrate();
  return store;
});

describe("sqliteStore", () => {
  it("keeps everything when the same file is reopened", async () => {
    const path = newPath();
    const l = loop({ id: "L1", steps: [["acknowledged", 5]] });
    const first = await openAt(path);
    await first.createEnvironment(environment("a"));
    await first.addKey(keyRecord("a", "secret", 1));
    await first.publishSurvey("a", survey(2), at(0));
    await first.transaction(async (tx) => {
      await tx.claimIdempotency("a", "k1", { type: "response", id: "r1" }, at(0));
      await tx.putLoop("a", l, { respondent: { id: "user-1" } });
      await tx.putClosureNotice("a", notice("N1", l.id, 9), { id: "user-1" });
    });
    await first.close();

    const again = await openAt(path);
    expect(await again.listEnvironments()).toStrictEqual([environment("a")]);
    expect(await again.findKey(keyRecord("a", "secret", 1).hash)).toStrictEqual(
      keyRecord("a", "secret", 1),
    );
    expect(await again.activeSurveys("a")).toStrictEqual([survey(2)]);
    expect(await again.getLoop("a", "L1")).toStrictEqual(l);
    expect(await again.closures("a", { id: "user-1" })).toStrictEqual([notice("N1", l.id, 9)]);
    const claim = await again.transaction((tx) =>
      tx.claimIdempotency("a", "k1", { type: "response", id: "r2" }, at(1)),
    );
    expect(claim).toStrictEqual({ type: "response", id: "r1" });
    await again.close();
  });

  it("migrates once: a second migrate() and a second store on the file apply nothing", async () => {
    const path = newPath();
    const a = await openAt(path);
    await a.migrate();
    const b = await openAt(path);
    const db = new Database(path, { readonly: true });
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
    expect(versions).toStrictEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    await a.close();
    await b.close();
  });

  it("upgrades a file written before step 5 (allowed origins), keeping its data", async () => {
    const path = newPath();
    const old = await openAt(path);
    await old.createEnvironment(environment("a"));
    await old.close();
    // The file as a collector before step 5 left it.
    const db = new Database(path);
    db.exec("DROP TABLE allowed_origins; DELETE FROM schema_migrations WHERE version = 5");
    db.close();
    const upgraded = await openAt(path);
    expect(await upgraded.listEnvironments()).toStrictEqual([environment("a")]);
    expect(await upgraded.getAllowedOrigins("a")).toBeUndefined();
    await upgraded.setAllowedOrigins("a", ["https://shop.example"], at(0));
    expect(await upgraded.getAllowedOrigins("a")).toStrictEqual(["https://shop.example"]);
    await upgraded.close();
  });

  it("upgrades a file written before step 10: search finds loops indexed by the old trigger and by the store", async () => {
    const path = newPath();
    const old = await openAt(path);
    await old.createEnvironment(environment("a"));
    await old.close();
    // The file as a collector before step 10 left it: the trigger filled the search words.
    const db = new Database(path);
    db.exec(`DELETE FROM schema_migrations WHERE version = 10;
      CREATE TRIGGER loops_words AFTER INSERT ON loops
        WHEN json_extract(new.meta, '$.youSaid') IS NOT NULL
        BEGIN
          INSERT INTO loop_words (rowid, words) VALUES (new.rowid, json_extract(new.meta, '$.youSaid'));
        END;`);
    db.close();
    const before = await openAt(path);
    await before.transaction((tx) =>
      tx.putLoop("a", loop({ id: "L1" }), { youSaid: "the invoice was wrong" }),
    );
    await before.close();
    // Reopened: step 10 runs again (the record of it was deleted above) and drops the trigger.
    const upgraded = await openAt(path);
    await upgraded.transaction(async (tx) => {
      await tx.putLoop("a", loop({ id: "L2" }), { youSaid: "another invoice, also wrong" });
      // An update of a loop writes no second entry (the FTS rowid would clash).
      await tx.putLoop("a", loop({ id: "L2", owner: "ana" }), {
        youSaid: "another invoice, also wrong",
      });
    });
    const found = (search: string) =>
      upgraded
        .inbox("a", { search, now: at(0), offset: 0, limit: 10 })
        .then((r) => r.rows.map((row) => row.loop.id).sort());
    expect(await found("invoice")).toStrictEqual(["L1", "L2"]);
    expect(await found("another")).toStrictEqual(["L2"]);
    const check = new Database(path);
    expect(wordEntries(check, "invoice")).toBe(2);
    expect(
      check.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all(),
    ).toStrictEqual([]);
    check.close();
    await upgraded.close();
  });

  it("upgrades a file written before step 12: words indexed before are found, region and segment filters read the state index", async () => {
    const path = newPath();
    const old = await openAt(path);
    await old.createEnvironment(environment("a"));
    await old.transaction((tx) =>
      tx.putLoop("a", loop({ id: "L1", customer: { id: "c-1", region: "emea" } }), {
        youSaid: "the invoice was wrong",
      }),
    );
    await old.close();
    // The file as a collector before step 12 left it: the words with their text, an index for
    // each of region and segment, the narrower state index.
    const db = new Database(path);
    db.exec(`DELETE FROM schema_migrations WHERE version = 12;
      DROP TABLE loop_words;
      CREATE VIRTUAL TABLE loop_words USING fts5 (words);
      INSERT INTO loop_words (rowid, words) SELECT rowid, json_extract(meta, '$.youSaid') FROM loops;
      CREATE INDEX loops_region ON loops (env_id, region, id);
      CREATE INDEX loops_segment ON loops (env_id, segment, id);
      DROP INDEX loops_state;
      CREATE INDEX loops_state ON loops (env_id, state, id, acknowledge_by, acknowledged_at,
        close_by, closed_at, opened_at);`);
    db.close();
    const upgraded = await openAt(path);
    await upgraded.transaction((tx) =>
      tx.putLoop("a", loop({ id: "L2", customer: { id: "c-2", region: "apac" } }), {
        youSaid: "another invoice, also wrong",
      }),
    );
    const found = (q: { search?: string; region?: string; segment?: string }) =>
      upgraded
        .inbox("a", { ...q, now: at(0), offset: 0, limit: 10 })
        .then((r) => r.rows.map((row) => row.loop.id).sort());
    expect(await found({ search: "invoice" })).toStrictEqual(["L1", "L2"]);
    expect(await found({ search: "another invoice" })).toStrictEqual(["L2"]);
    expect(await found({ region: "emea" })).toStrictEqual(["L1"]);
    expect(await found({ region: "apac", segment: "detractor" })).toStrictEqual(["L2"]);
    expect(await found({ segment: "promoter" })).toStrictEqual([]);
    const check = new Database(path);
    const schema = (name: string) =>
      (
        check.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(name) as
          | { sql: string }
          | undefined
      )?.sql;
    expect(schema("loop_words")).toContain("content = ''");
    expect(schema("loops_region")).toBeUndefined();
    expect(schema("loops_segment")).toBeUndefined();
    // Both filters are answered from the state index alone, never from an index of their own.
    const plan = check
      .prepare(
        `EXPLAIN QUERY PLAN SELECT count(*) FROM loops WHERE env_id = 'a'
          AND state IN ('received', 'acknowledged') AND region = 'emea' AND segment = 'detractor'`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join("\n")).toMatch(/COVERING INDEX loops_state/);
    expect(wordEntries(check, "invoice")).toBe(2);
    check.close();
    await upgraded.close();
  });

  it("answers reads while a transaction is open, from committed data", async () => {
    const store = await openAt(newPath());
    await store.createEnvironment(environment("a"));
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const open = store.transaction(async (tx) => {
      await tx.putLoop("a", loop({ id: "L1" }), {});
      await gate;
    });
    // If reads queued behind the transaction this would never resolve: the gate opens after.
    expect(await store.getLoop("a", "L1")).toBeUndefined();
    expect(await store.listEnvironments()).toStrictEqual([environment("a")]);
    release();
    await open;
    expect(await store.getLoop("a", "L1")).toStrictEqual(loop({ id: "L1" }));
    await store.close();
  });

  it("runs metrics reports one per event-loop turn, so requests are answered between them", async () => {
    const store = await openAt(newPath());
    await store.createEnvironment(environment("a"));
    await store.transaction((tx) => tx.putLoop("a", loop({ id: "L1" }), {}));
    // A turn counter: it moves once per pass of the event loop's immediates.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const query = { from: at(-60), to: at(60), asOf: at(0) };
    const turns = await Promise.all(
      [1, 2, 3].map(() => store.metrics("a", query).then(() => turn)),
    );
    ticking = false;
    expect(new Set(turns).size).toBe(3);
    await store.close();
  });

  it("rejects operations after close", async () => {
    const store = await openAt(newPath());
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    await expect(store.listEnvironments()).rejects.toThrow();
  });
});
