// The PostgreSQL store's batched writes (docs/stores.md, Batched writes on PostgreSQL): a batch
// that announces its keys and responses reads them with one statement and writes every table with
// one more, and a key another collector claims between that read and the write makes the batch run
// again, so it answers the other collector's record as every claim would.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { prefetchText } from "../src/store/postgres/batched-tx.js";
import type { CollectorStore } from "../src/store/types.js";
import { dropSchemas, newPgSchema, PG_URL, pgStores, postgresFor } from "./pg-helper.js";
import { at, environment, loop, response } from "./store-fixtures.js";

const unreachable = await postgresFor("postgres-batched-tx tests");
afterAll(dropSchemas);

/** The statements `pg` sends while `body` runs, by their first words. */
async function statementsOf(body: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const text = typeof config === "string" ? config : (config as { text: string }).text;
    sent.push(text.replace(/\s+/g, " ").split(" (")[0] as string);
    return (query as (...a: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof query;
  try {
    await body();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}

/** A store on a schema of its own with environment "a", and a client reading that schema. */
async function storeWithClient(): Promise<{ store: CollectorStore; client: pg.Client }> {
  const schema = newPgSchema();
  const [store] = (await pgStores(1, schema)) as [CollectorStore];
  await store.createEnvironment(environment("a"));
  const client = new pg.Client(PG_URL);
  await client.connect();
  await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  return { store, client };
}

describe.skipIf(unreachable !== undefined)("postgresStore batched writes", () => {
  it("reads a batch of 100 with one statement and writes its claims, responses and loops with one", async () => {
    const [store] = (await pgStores(1)) as [CollectorStore];
    try {
      await store.createEnvironment(environment("a"));
      const ids = Array.from({ length: 100 }, (_, i) => `r${String(i).padStart(3, "0")}`);
      const sent = await statementsOf(() =>
        store.transaction(async (tx) => {
          await tx.prefetchBatch?.("a", { keys: ids.map((id) => `k-${id}`), responseIds: ids });
          for (const id of ids) {
            expect(await tx.getResponse("a", id)).toBeUndefined();
            const record = { type: "response", id, digest: "d" };
            expect(await tx.claimIdempotency("a", `k-${id}`, record, at(0))).toBeUndefined();
            await tx.putResponse("a", response(id, true));
            await tx.putLoop("a", loop({ id: `L-${id}` }), {});
          }
        }),
      );
      expect(sent).toStrictEqual([
        "BEGIN",
        // The batch's keys read, its responses locked and the webhook endpoints read, then every
        // table written.
        "WITH endpoints AS",
        "WITH claims AS",
        "COMMIT",
      ]);
      // Everything committed, and read back as written.
      expect((await store.getResponse("a", "r042"))?.id).toBe("r042");
      expect(await store.getLoop("a", "L-r099")).toStrictEqual(loop({ id: "L-r099" }));
      const again = await store.transaction(async (tx) => {
        await tx.prefetchBatch?.("a", { keys: ["k-r007"], responseIds: [] });
        return tx.claimIdempotency("a", "k-r007", { type: "response", id: "other" }, at(1));
      });
      expect(again).toStrictEqual({ type: "response", id: "r007", digest: "d" });
    } finally {
      await store.close();
    }
  });

  it("writes a batch of feedback with its claims and loops in one statement; a repeated id is inserted once, the first", async () => {
    const { store, client } = await storeWithClient();
    try {
      const item = (id: string, text: string) => ({
        id,
        channel: "support",
        text,
        tags: [],
        receivedAt: at(0),
      });
      // Stored before the batch: inserting it again is a no-op.
      await store.transaction((tx) => tx.insertFeedback("a", item("f-old", "first words")));
      const ids = Array.from({ length: 50 }, (_, i) => `f${String(i).padStart(3, "0")}`);
      const sent = await statementsOf(() =>
        store.transaction(async (tx) => {
          const keys = ids.map((id) => `k-${id}`);
          await tx.prefetchBatch?.("a", {
            keys,
            responseIds: [],
            itemTypes: ids.map(() => "feedback"),
          });
          for (const id of ids) {
            const record = { type: "feedback", id, digest: "d" };
            expect(await tx.claimIdempotency("a", `k-${id}`, record, at(0))).toBeUndefined();
            await tx.insertFeedback("a", item(id, `ticket ${id}`));
            await tx.putLoop("a", loop({ id: `L-${id}` }), {});
          }
          await tx.insertFeedback("a", item("f007", "again, other words"));
          await tx.insertFeedback("a", item("f-old", "other words"));
        }),
      );
      expect(sent).toStrictEqual(["BEGIN", "WITH endpoints AS", "WITH claims AS", "COMMIT"]);
      const { rows } = await client.query(
        "SELECT id, data->>'text' AS text FROM feedback WHERE env_id = 'a' ORDER BY id",
      );
      expect(rows).toHaveLength(51);
      expect(rows.find((r) => r.id === "f007")?.text).toBe("ticket f007");
      expect(rows.find((r) => r.id === "f-old")?.text).toBe("first words");
      expect(await store.getLoop("a", "L-f049")).toStrictEqual(loop({ id: "L-f049" }));
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("locks and reads a batch's respondents' score histories with two statements; its answers and risk signals join the one write", async () => {
    const { store, client } = await storeWithClient();
    try {
      const scored = (id: string, value: number) =>
        [
          loop({ id }),
          { respondent: { id: "alice" }, score: { type: "nps" as const, value } },
        ] as const;
      await store.transaction((tx) => tx.putLoop("a", ...scored("L-before", 9)));
      const sent = await statementsOf(() =>
        store.transaction(async (tx) => {
          await tx.prefetchBatch?.("a", {
            keys: ["k1"],
            responseIds: [],
            respondentIds: ["alice", "bob", "alice"],
          });
          expect((await tx.scoreHistory("a", "alice", "nps")).map((h) => h.loopId)).toEqual([
            "L-before",
          ]);
          expect(await tx.scoreHistory("a", "bob", "nps")).toEqual([]);
          await tx.putLoop("a", ...scored("L-new", 2));
          const history = await tx.scoreHistory("a", "alice", "nps");
          expect(history.map((h) => [h.loopId, h.score])).toEqual([
            ["L-before", 9],
            ["L-new", 2],
          ]);
          const signal = {
            customerId: "alice",
            loopId: "L-new",
            at: at(1),
            reason: "score_drop" as const,
          };
          await tx.putRiskSignal("a", signal);
          await tx.putRiskSignal("a", { ...signal, at: at(2) }); // the first is kept
        }),
      );
      expect(sent.map((text) => text.split(" ").slice(0, 2).join(" "))).toStrictEqual([
        "BEGIN",
        "SELECT pg_advisory_xact_lock(hashtext($1),",
        "SELECT x.*",
        "WITH endpoints",
        "WITH loops",
        "COMMIT",
      ]);
      const { rows } = await client.query(
        "SELECT customer_id, loop_id, reason, at FROM risk_signals WHERE env_id = 'a'",
      );
      expect(rows).toEqual([
        { customer_id: "alice", loop_id: "L-new", reason: "score_drop", at: new Date(at(1)) },
      ]);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("queues a batch's webhook events for the endpoints its read found, with no read of its own", async () => {
    const [store] = (await pgStores(1)) as [CollectorStore];
    try {
      await store.createEnvironment(environment("a"));
      const hooks = store.webhooks;
      await hooks.putEndpoint("a", "all", { url: "https://x.test/all" }, "s", at(0));
      const received = { url: "https://x.test/r", events: ["response.received" as const] };
      await hooks.putEndpoint("a", "crm", received, "s", at(0));
      const closed = { url: "https://x.test/c", events: ["loop.closed" as const] };
      await hooks.putEndpoint("a", "closed-only", closed, "s", at(0));
      const payload = {
        type: "response.received" as const,
        timestamp: at(1),
        data: { response: response("r1", true) },
      };
      let queued: number[] = [];
      const sent = await statementsOf(() =>
        store.transaction(async (tx) => {
          await tx.prefetchBatch?.("a", { keys: ["k1"], responseIds: ["r1"] });
          queued = [
            await tx.enqueueWebhook("a", payload as never, at(1)),
            await tx.enqueueWebhook("a", payload as never, at(1)),
          ];
        }),
      );
      expect(queued).toStrictEqual([2, 2]);
      expect(sent).toStrictEqual(["BEGIN", "WITH endpoints AS", "WITH deliveries AS", "COMMIT"]);
      const count = async (name: string) =>
        (await hooks.deliveries("a", name, { limit: 10 })).length;
      expect([await count("all"), await count("crm"), await count("closed-only")]).toStrictEqual([
        2, 2, 0,
      ]);
    } finally {
      await store.close();
    }
  });

  it("reads a batch's keys and responses through the primary keys, with a plan made on small tables", async () => {
    const { store, client } = await storeWithClient();
    try {
      await client.query(`PREPARE prefetch (text, text[], text[]) AS ${prefetchText}`);
      await client.query("BEGIN");
      // Five runs on empty tables, then 20,000 rows and no ANALYZE (a new database): the
      // lookups must still probe the keys, not scan the environment.
      const args = "('a', ARRAY['k1', 'k2'], ARRAY['r1'])";
      for (let i = 0; i < 5; i++) await client.query(`EXECUTE prefetch ${args}`);
      await client.query(`INSERT INTO idempotency (env_id, key, type, record_id, created_at)
        SELECT 'a', 'k' || g, 'response', 'r' || g, now() FROM generate_series(1, 20000) AS g`);
      await client.query(`INSERT INTO responses (env_id, id, survey_id, survey_version, finished,
          created_at, received_at, data)
        SELECT 'a', 'r' || g, 's', 1, true, now(), now(), '{}' FROM generate_series(1, 20000) AS g`);
      // The kept plan, and one made for these values: neither may read the environment's rows.
      for (const mode of ["force_generic_plan", "force_custom_plan"]) {
        await client.query(`SET LOCAL plan_cache_mode = ${mode}`);
        const { rows } = await client.query(
          `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE prefetch ${args}`,
        );
        const plan = rows.map((r) => r["QUERY PLAN"] as string).join("\n");
        const env = String.raw`env_id = (\$1|'a'::text)`;
        expect(plan).toMatch(
          new RegExp(String.raw`Index Cond: \(\(${env}\) AND \(key = k\.key\)\)`),
        );
        expect(plan).toMatch(
          new RegExp(String.raw`Index Cond: \(\(${env}\) AND \(id = k\w*\.id\)\)`),
        );
        expect(plan).not.toMatch(/Rows Removed by Filter/);
      }
      await client.query("ROLLBACK");
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("reads its own held-back writes: a second put of one response, a loop read back", async () => {
    const [store] = (await pgStores(1)) as [CollectorStore];
    try {
      await store.createEnvironment(environment("a"));
      await store.transaction(async (tx) => {
        await tx.prefetchBatch?.("a", { keys: ["k1", "k2"], responseIds: ["r1"] });
        await tx.putResponse("a", response("r1", false));
        expect((await tx.getResponse("a", "r1"))?.finished).toBe(false);
        await tx.putResponse("a", response("r1", true));
        expect((await tx.getResponse("a", "r1"))?.finished).toBe(true);
        expect(await tx.claimIdempotency("a", "k1", { type: "response", id: "r1" }, at(0))).toBe(
          undefined,
        );
        // The same key twice in one batch: the first claim stands.
        expect(
          await tx.claimIdempotency("a", "k1", { type: "response", id: "r2" }, at(0)),
        ).toStrictEqual({ type: "response", id: "r1" });
        await tx.putLoop("a", loop({ id: "L1" }), {});
        // A read that is not held back sends what is first.
        expect(await tx.getLoop("a", "L1")).toStrictEqual(loop({ id: "L1" }));
      });
      expect((await store.getResponse("a", "r1"))?.finished).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("runs a batch again when another collector claims one of its new keys meanwhile", async () => {
    const [one, two] = (await pgStores(2)) as [CollectorStore, CollectorStore];
    try {
      await one.createEnvironment(environment("a"));
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      // The other collector claims k1 and holds its transaction open.
      let claimed = () => {};
      const hasClaimed = new Promise<void>((r) => {
        claimed = r;
      });
      const other = two.transaction(async (tx) => {
        await tx.claimIdempotency("a", "k1", { type: "response", id: "theirs" }, at(0));
        claimed();
        await gate;
      });
      await hasClaimed;
      let runs = 0;
      const answers = await one.transaction(async (tx) => {
        runs++;
        await tx.prefetchBatch?.("a", { keys: ["k1", "k2"], responseIds: [] });
        const claims = [
          await tx.claimIdempotency("a", "k1", { type: "response", id: "mine-1" }, at(0)),
          await tx.claimIdempotency("a", "k2", { type: "response", id: "mine-2" }, at(0)),
        ];
        // The first run read k1 as free; the other commits before this run's claims are sent.
        if (runs === 1) release();
        return claims;
      });
      await other;
      expect(runs).toBe(2);
      expect(answers).toStrictEqual([{ type: "response", id: "theirs" }, undefined]);
      const k2 = await one.transaction((tx) =>
        tx.claimIdempotency("a", "k2", { type: "response", id: "late" }, at(1)),
      );
      expect(k2).toStrictEqual({ type: "response", id: "mine-2" });
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
