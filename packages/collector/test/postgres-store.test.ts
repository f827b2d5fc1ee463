// The conformance suite and the multi-collector cases on a real PostgreSQL. Each store gets a
// schema of its own (random name), dropped after the file. Under CI=true an unreachable server
// fails the run; locally it skips with the reason printed.
import { randomBytes } from "node:crypto";
import type { CustomerEvent, Loop } from "@closeloop/core";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { hashKey } from "../src/keys.js";
import { provision } from "../src/provision.js";
import { postgresStore } from "../src/store/index.js";
import { MIGRATIONS } from "../src/store/postgres/migrations/index.js";
import type { CollectorStore, StoredFeedback } from "../src/store/types.js";
import { PG_URL, pgRequired, probePostgres } from "./pg-helper.js";
import { type StoreInspector, storeConformance } from "./store-conformance.js";
import { at, environment, loop } from "./store-fixtures.js";

const URL = PG_URL;

const unreachable = await probePostgres();
const required = pgRequired;
if (unreachable && !required) {
  console.warn(`postgres-store tests skipped: PostgreSQL at ${URL} unreachable (${unreachable})`);
}

const schemas: string[] = [];
const newSchema = () => {
  const s = `closeloop_test_${randomBytes(6).toString("hex")}`;
  schemas.push(s);
  return s;
};
const schemaOf = new WeakMap<CollectorStore, string>();

afterAll(async () => {
  if (unreachable || schemas.length === 0) return;
  const client = new pg.Client(URL);
  await client.connect();
  for (const s of schemas)
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`);
  await client.end();
});

async function openIn(schema: string, max?: number): Promise<CollectorStore> {
  const store = postgresStore(URL, max === undefined ? { schema } : { schema, max });
  await store.migrate();
  schemaOf.set(store, schema);
  return store;
}

async function rows<T>(store: CollectorStore, table: string, envId: string): Promise<T[]> {
  const client = new pg.Client(URL);
  await client.connect();
  try {
    const name = `${pg.escapeIdentifier(schemaOf.get(store) as string)}.${pg.escapeIdentifier(table)}`;
    const res = await client.query(`SELECT data FROM ${name} WHERE env_id = $1 ORDER BY id`, [
      envId,
    ]);
    return res.rows.map((r) => r.data as T);
  } finally {
    await client.end();
  }
}

const inspect: StoreInspector = {
  feedback: (store, envId) => rows<StoredFeedback>(store, "feedback", envId),
  customerEvents: (store, envId) => rows<CustomerEvent>(store, "customer_events", envId),
};

if (unreachable && required) {
  describe("postgresStore", () => {
    it("needs PostgreSQL under CI=true", () => {
      throw new Error(`PostgreSQL at ${URL} is unreachable: ${unreachable}`);
    });
  });
}

describe.skipIf(unreachable !== undefined)("postgresStore", () => {
  storeConformance("postgres", () => openIn(newSchema()), { inspect, numRuns: 25 });

  it("migrates once when 4 collectors call migrate() at the same time", async () => {
    const schema = newSchema();
    const stores = Array.from({ length: 4 }, () => postgresStore(URL, { schema, max: 2 }));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const client = new pg.Client(URL);
      await client.connect();
      const { rows: applied } = await client.query(
        `SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
      );
      await client.end();
      expect(applied).toStrictEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      await (stores[0] as CollectorStore).createEnvironment(environment("a"));
      expect(await (stores[3] as CollectorStore).listEnvironments()).toStrictEqual([
        environment("a"),
      ]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("makes one environment when 6 collectors provision an empty database at once", async () => {
    const schema = newSchema();
    const stores = await Promise.all(Array.from({ length: 6 }, () => openIn(schema, 2)));
    try {
      // Half are given the same keys, as replicas started from one deployment would be.
      const given = { publicKey: `pk_${"a".repeat(24)}`, secretKey: `sk_${"b".repeat(24)}` };
      const results = await Promise.all(
        stores.map((s, i) => provision(s, i % 2 === 0 ? given : {})),
      );
      const envs = await (stores[0] as CollectorStore).listEnvironments();
      expect(envs).toHaveLength(1);
      expect(new Set(results.map((r) => r.envId))).toStrictEqual(new Set([envs[0]?.id]));
      // One start created the environment with two keys; the given ones are stored too, once.
      const keys = await (stores[5] as CollectorStore).listKeys();
      const made = results.filter(
        (r) => r.secretKey !== undefined && r.secretKey !== given.secretKey,
      );
      expect(keys.length).toBe(made.length === 1 ? 4 : 2);
      for (const k of [given.publicKey, given.secretKey]) {
        expect(await (stores[1] as CollectorStore).findKey(hashKey(k))).toBeDefined();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  describe("two collectors on one database", () => {
    const pair = async () => {
      const schema = newSchema();
      const one = await openIn(schema, 5);
      const two = await openIn(schema, 5);
      await one.createEnvironment(environment("a"));
      return [one, two] as const;
    };

    it("never double-claims an idempotency key", async () => {
      const [one, two] = await pair();
      try {
        const claim = (store: CollectorStore, key: string, id: string) =>
          store.transaction((tx) => tx.claimIdempotency("a", key, { type: "response", id }, at(0)));
        const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
        const results = await Promise.all(
          keys.map(async (k) => {
            // Both collectors claim the same key at the same time.
            const [a, b] = await Promise.all([
              claim(one, k, `one-${k}`),
              claim(two, k, `two-${k}`),
            ]);
            return { k, a, b };
          }),
        );
        for (const { k, a, b } of results) {
          const winners = [a, b].filter((r) => r === undefined);
          expect(winners, k).toHaveLength(1);
          const loser = a ?? b;
          const winnerId = a === undefined ? `one-${k}` : `two-${k}`;
          expect(loser).toStrictEqual({ type: "response", id: winnerId });
          expect(await claim(one, k, "late")).toStrictEqual({ type: "response", id: winnerId });
        }
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });

    it("never loses an update to one loop", async () => {
      const [one, two] = await pair();
      try {
        await one.transaction((tx) => tx.putLoop("a", loop({ id: "L1" }), {}));
        const append = (store: CollectorStore, actor: string) =>
          store.transaction(async (tx) => {
            const current = (await tx.getLoop("a", "L1")) as Loop;
            const note = { from: current.state, to: current.state, actor, at: at(1) };
            await tx.putLoop("a", { ...current, events: [...current.events, note] }, {});
          });
        await Promise.all(
          Array.from({ length: 15 }, (_, i) => [
            append(one, `one:${i}`),
            append(two, `two:${i}`),
          ]).flat(),
        );
        const final = (await two.getLoop("a", "L1")) as Loop;
        expect(final.events).toHaveLength(31);
        expect(new Set(final.events.map((e) => e.actor)).size).toBe(31);
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });
  });

  it("refuses a schema name that is not a plain identifier", () => {
    expect(() => postgresStore(URL, { schema: 'x"; DROP TABLE loops; --' })).toThrow(RangeError);
  });

  it("rejects, rather than hangs, when the server cannot be reached", async () => {
    const store = postgresStore("postgres://postgres@127.0.0.1:1/test");
    await expect(store.ping()).rejects.toThrow();
    await store.close();
  });
});
