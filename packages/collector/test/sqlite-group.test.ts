// Group commit on SQLite (store/sqlite/group.ts): transactions queued together share one COMMIT,
// each in its own savepoint. What the port promises is in store-conformance.ts; these are the
// SQLite-only details: who shares a commit, write order, and failures that end the whole group.
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../../node/test/helpers.js";
import { sqliteStore } from "../src/store/index.js";
import { groupCommit } from "../src/store/sqlite/group.js";
import { createMutex } from "../src/store/sqlite/mutex.js";
import { environment, loop } from "./store-fixtures.js";

describe("sqliteStore group commit", () => {
  it("runs transactions started together in one commit, each settled once it is durable", async () => {
    const store = sqliteStore(join(tempDir(), "closeloop.db"));
    await store.migrate();
    await store.createEnvironment(environment("a"));
    const log: string[] = [];
    const first = store.transaction(async (tx) => {
      await tx.putLoop("a", loop({ id: "L1" }), {});
      log.push("first ran");
    });
    const second = store.transaction(async (tx) => {
      await tx.putLoop("a", loop({ id: "L2" }), {});
      log.push("second ran");
    });
    void first.then(() => log.push("first settled"));
    await Promise.all([first, second]);
    // The first answer waited for the shared COMMIT, which came after the second fn.
    expect(log.slice(0, 2)).toStrictEqual(["first ran", "second ran"]);
    expect(await store.getLoop("a", "L2")).toStrictEqual(loop({ id: "L2" }));
    await store.close();
  });

  it("does not wait for fake timers: the group starts on the real event loop", async () => {
    const store = sqliteStore(join(tempDir(), "closeloop.db"));
    await store.migrate();
    await store.createEnvironment(environment("a"));
    vi.useFakeTimers();
    try {
      await store.transaction((tx) => tx.putLoop("a", loop({ id: "L1" }), {}));
    } finally {
      vi.useRealTimers();
    }
    expect(await store.getLoop("a", "L1")).toStrictEqual(loop({ id: "L1" }));
    await store.close();
  });

  it("keeps call order with the other writes: a write queued in between ends the group", async () => {
    const store = sqliteStore(join(tempDir(), "closeloop.db"));
    await store.migrate();
    await store.createEnvironment(environment("a"));
    // loops.env_id references environments: the second transaction needs `c` to exist first.
    const results = await Promise.all([
      store.transaction((tx) => tx.putLoop("a", loop({ id: "L1" }), {})),
      store.createEnvironment(environment("c")),
      store.transaction((tx) => tx.putLoop("c", loop({ id: "L1" }), {})),
    ]);
    expect(results).toStrictEqual([undefined, undefined, undefined]);
    expect(await store.getLoop("c", "L1")).toStrictEqual(loop({ id: "L1" }));
    await store.close();
  });
});

describe("groupCommit", () => {
  const table = () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (v TEXT PRIMARY KEY)");
    const values = () =>
      (db.prepare("SELECT v FROM t ORDER BY v").all() as { v: string }[]).map((r) => r.v);
    return { db, values, insert: (v: string) => db.prepare("INSERT INTO t VALUES (?)").run(v) };
  };

  it("fails the members already run when SQLite rolls the whole transaction back", async () => {
    const { db, values, insert } = table();
    const group = groupCommit(db, createMutex());
    const outcomes = await Promise.allSettled([
      group.run(async () => insert("a")),
      // As SQLite does on SQLITE_FULL or an I/O error: the transaction is gone, fn carries on.
      group.run(async () => {
        insert("b");
        db.exec("ROLLBACK");
        return "swallowed";
      }),
      group.run(async () => {
        insert("c");
        return "c";
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toStrictEqual(["rejected", "rejected", "fulfilled"]);
    // The member after the failure ran in a transaction of its own.
    expect(values()).toStrictEqual(["c"]);
    expect(db.inTransaction).toBe(false);
  });

  it("rejects every member when COMMIT fails, and leaves no transaction open", async () => {
    const { db, values, insert } = table();
    db.exec("CREATE TABLE child (v TEXT REFERENCES t (v) DEFERRABLE INITIALLY DEFERRED)");
    db.pragma("foreign_keys = ON");
    const group = groupCommit(db, createMutex());
    const outcomes = await Promise.allSettled([
      group.run(async () => insert("a")),
      // A deferred foreign key is checked at COMMIT only: the shared COMMIT fails for all.
      group.run(async () => db.prepare("INSERT INTO child VALUES ('missing')").run()),
    ]);
    expect(outcomes.map((o) => o.status)).toStrictEqual(["rejected", "rejected"]);
    expect(values()).toStrictEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it("a member's `live` turns false once its part has ended", async () => {
    const { db } = table();
    const group = groupCommit(db, createMutex());
    const live = (await group.run(async (isLive) => isLive)) as () => boolean;
    expect(live()).toBe(false);
  });
});
