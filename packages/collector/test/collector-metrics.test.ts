// GET /v1/metrics over real loopback HTTP, on a SQLite file and on PostgreSQL (required under
// CI=true), and the schema step that adds the metric columns filling in rows written before it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nps } from "@closeloop/core";
import { createClient } from "@closeloop/node";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";
import { dropSchemas, newPgSchema, PG_URL, pgStores, postgresFor } from "./pg-helper.js";

const unreachable = await postgresFor("collector-metrics PostgreSQL cases");
afterAll(dropSchemas);

// Who answered what, in order: u1 drops from 9 to 3 (a risk signal), u2 is a detractor twice
// (another), u3 and two anonymous respondents are not at risk.
const ANSWERS: [string | undefined, number][] = [
  ["u1", 9],
  ["u2", 2],
  ["u3", 10],
  [undefined, 7],
  [undefined, 8],
  ["u1", 3],
  ["u2", 5],
];
const SCORES = ANSWERS.map(([, s]) => s);

/** The example survey published and every answer of ANSWERS ingested with the secret key. */
async function seed(c: Running): Promise<void> {
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
  for (const [who, score] of ANSWERS) {
    const data = {
      ...response({ score, why: "It is slow" }),
      ...(who ? { respondent: { id: who } } : {}),
    };
    const r = await c.call("POST", "/v1/batch", c.sk, batch({ type: "response", data }));
    expect(r.body.accepted).toHaveLength(1);
  }
}

const stores: [string, (() => Promise<CollectorStore>) | undefined][] = [
  ["sqlite", undefined],
  [
    "postgres",
    unreachable === undefined ? async () => (await pgStores(1))[0] as CollectorStore : undefined,
  ],
];

describe.each(stores)("GET /v1/metrics on %s", (name, open) => {
  const skip = name === "postgres" && open === undefined;

  it.skipIf(skip)("reports core's NPS, loop health and risk, in total and by segment", async () => {
    const c = await startCollector(open ? { store: await open() } : {});
    try {
      await seed(c);
      const { body: list } = await c.call("GET", "/v1/loops?limit=500", c.sk);
      const first = list.loops[0];
      const ack = await c.call("POST", `/v1/loops/${first.id}/transitions`, c.sk, {
        to: "acknowledged",
        actor: "agent:ana",
      });
      expect(ack.status).toBe(200);

      const r = await c.call("GET", "/v1/metrics?groupBy=segment", c.sk);
      expect(r.status).toBe(200);
      const m = r.body;
      expect(m.groupBy).toBe("segment");
      expect(m.total.nps).toEqual(nps(SCORES));
      expect(m.total.nps.n).toBe(7);
      expect(m.total.csat.n).toBe(0);
      expect(m.total.loops).toMatchObject({ total: 7, breached: 0, closed: 0, open: 7 });
      expect(m.total.loops.timeToAcknowledge.p50).toBeGreaterThanOrEqual(0);
      expect(m.total.loops.timeToClose).toEqual({ p50: null, p90: null });
      expect(m.total.atRisk).toEqual({ customers: 2 });
      expect(Object.keys(m.groups).sort()).toEqual(["detractor", "passive", "promoter"]);
      expect(m.groups.detractor.nps).toEqual(nps([2, 3, 5]));
      expect(m.groups.promoter.loops.total).toBe(2);
      expect(m.groups.detractor.atRisk).toEqual({ customers: 2 });
      expect(m.customers).toEqual({
        gained: { count: 0, value: 0 },
        lost: { count: 0, value: 0 },
        net: { count: 0, value: 0 },
      });

      // A period before anything was sent holds nothing.
      const empty = await c.call(
        "GET",
        "/v1/metrics?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z&groupBy=journey",
        c.sk,
      );
      expect(empty.body.total.nps).toEqual(nps([]));
      expect(empty.body.total.loops.total).toBe(0);
      expect(empty.body.groups).toEqual({});
      expect(empty.body.asOf).toBe("2020-02-01T00:00:00Z");

      const byJourney = await c.call("GET", "/v1/metrics?groupBy=journey", c.sk);
      expect(Object.keys(byJourney.body.groups)).toEqual(["onboarding"]);
    } finally {
      await c.close();
    }
  });
});

describe("GET /v1/metrics: who may ask, and what", () => {
  it("refuses public keys (403), no key (401) and bad queries (400, naming the field)", async () => {
    const c = await startCollector();
    try {
      expect((await c.call("GET", "/v1/metrics", c.pk)).status).toBe(403);
      expect((await c.call("GET", "/v1/metrics", undefined)).status).toBe(401);
      const cases: [string, string][] = [
        ["groupBy=color", "groupBy"],
        ["from=yesterday", "from"],
        ["to=2026-13-01T00:00:00Z", "to"],
        ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"],
        ["window=7d", "window"],
      ];
      for (const [query, path] of cases) {
        const r = await c.call("GET", `/v1/metrics?${query}`, c.sk);
        expect(r.status, query).toBe(400);
        expect(r.body.error.code).toBe("invalid_query");
        expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
      }
    } finally {
      await c.close();
    }
  });

  it("refuses customer values that could overflow a sum, so no backend can break the metrics", async () => {
    const c = await startCollector();
    try {
      await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy());
      const huge = { id: "acme", value: 1e308 };
      const r = await c.call(
        "POST",
        "/v1/batch",
        c.sk,
        batch(
          { type: "feedback", data: { channel: "support", text: "x", customer: huge } },
          {
            type: "customer",
            data: {
              customerId: "acme",
              event: "gained",
              value: 1e308,
              at: new Date().toISOString(),
            },
          },
          {
            type: "feedback",
            data: { channel: "support", text: "y", customer: { id: "b", value: 1e15 } },
          },
        ),
      );
      expect(
        r.body.rejected.map((x: { index: number; issues: { path: string }[] }) => [
          x.index,
          x.issues[0]?.path,
        ]),
      ).toEqual([
        [0, "customer.value"],
        [1, "value"],
      ]);
      expect(r.body.accepted).toHaveLength(1);
      const m = await c.call("GET", "/v1/metrics", c.sk);
      expect(m.status).toBe(200);
      expect(m.body.total.valueAtRisk).toEqual({ value: 1e15, customers: 1 });
    } finally {
      await c.close();
    }
  });

  it("is what client.metrics() answers, with typed errors", async () => {
    const c = await startCollector();
    const client = createClient({
      endpoint: c.url,
      secretKey: c.sk,
      outbox: { dir: join(mkdtempSync(join(tmpdir(), "closeloop-metrics-")), "outbox") },
    });
    try {
      await seed(c);
      const over = { from: "2026-01-01T00:00:00Z", to: "2099-01-01T00:00:00Z" };
      const viaClient = await client.metrics({ ...over, groupBy: "segment" });
      const viaHttp = await c.call(
        "GET",
        `/v1/metrics?from=${over.from}&to=${over.to}&groupBy=segment`,
        c.sk,
      );
      // Two requests, two instants: all but `asOf` (the time each was answered) is the same.
      expect({ ...viaClient, asOf: 0 }).toEqual({ ...viaHttp.body, asOf: 0 });
      expect(viaClient.total.nps.n).toBe(7);
      await expect(client.metrics({ groupBy: "color" as "survey" })).rejects.toMatchObject({
        name: "CollectorError",
        status: 400,
        code: "invalid_query",
      });
    } finally {
      await client.close({ timeoutMs: 1000 });
      await c.close();
    }
  });
});

describe("schema step 3 (loop metrics) on data written before it", () => {
  const q = (to: string) => ({
    from: "2026-01-01T00:00:00Z",
    to,
    asOf: to,
    groupBy: "segment" as const,
  });

  it("sqlite: a file from before the step reports the same figures once upgraded", async () => {
    const c = await startCollector();
    await seed(c);
    const { body: list } = await c.call("GET", "/v1/loops?limit=500", c.sk);
    for (const loop of list.loops.slice(0, 3)) {
      await c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, {
        to: "acknowledged",
        actor: "a",
      });
    }
    const to = new Date(Date.now() + 60_000).toISOString();
    const envId = (await c.store.listEnvironments())[0]?.id as string;
    const before = await c.store.metrics(envId, q(to));
    expect(before.total.nps.n).toBe(7);
    await c.close();

    // Make the file what an earlier version wrote: no step 3, no columns, no score in meta.
    const db = new Database(c.path);
    db.exec(`DROP INDEX loops_metrics; DROP INDEX loops_respondent_scores; DROP INDEX customer_events_customer;
      ALTER TABLE loops DROP COLUMN score_type; ALTER TABLE loops DROP COLUMN score; ALTER TABLE loops DROP COLUMN action;
      ALTER TABLE loops DROP COLUMN first_acknowledged_at; ALTER TABLE loops DROP COLUMN first_closed_at;
      UPDATE loops SET meta = json_remove(meta, '$.score');
      DELETE FROM schema_migrations WHERE version = 3;`);
    db.close();

    const store = sqliteStore(c.path);
    try {
      await store.migrate();
      expect(await store.metrics(envId, q(to))).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it.skipIf(unreachable !== undefined)(
    "postgres: a schema from before the step reports the same figures once upgraded",
    async () => {
      const schema = newPgSchema();
      const [store] = await pgStores(1, schema);
      const c = await startCollector({ store: store as CollectorStore });
      await seed(c);
      const to = new Date(Date.now() + 60_000).toISOString();
      const envId = (await c.store.listEnvironments())[0]?.id as string;
      const before = await c.store.metrics(envId, q(to));
      await c.close();

      const client = new pg.Client(PG_URL);
      await client.connect();
      try {
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        await client.query(`DROP INDEX loops_metrics; DROP INDEX loops_respondent_scores; DROP INDEX customer_events_customer;
          ALTER TABLE loops DROP COLUMN score_type, DROP COLUMN score, DROP COLUMN action,
            DROP COLUMN first_acknowledged_at, DROP COLUMN first_closed_at;
          UPDATE loops SET meta = meta - 'score';
          DELETE FROM schema_migrations WHERE version = 3;`);
      } finally {
        await client.end();
      }
      const again = (await pgStores(1, schema))[0] as CollectorStore;
      try {
        expect(await again.metrics(envId, q(to))).toEqual(before);
      } finally {
        await again.close();
      }
    },
  );
});

describe("schema step 9 (risk signals) on data written before it", () => {
  const q = (to: string) => ({
    from: "2026-01-01T00:00:00Z",
    to,
    asOf: to,
    groupBy: "segment" as const,
  });
  // Undoes step 9, as a database of an earlier version is: no table, no record of the step.
  const UNDO = "DROP TABLE risk_signals; DELETE FROM schema_migrations WHERE version = 9;";

  it("sqlite: the signals of answers stored before the step are found again, as ingest kept them", async () => {
    const c = await startCollector();
    await seed(c);
    const to = new Date(Date.now() + 60_000).toISOString();
    const envId = (await c.store.listEnvironments())[0]?.id as string;
    const before = await c.store.metrics(envId, q(to));
    expect(before.total.atRisk).toEqual({ customers: 2 });
    await c.close();
    const db = new Database(c.path);
    const kept = db.prepare("SELECT * FROM risk_signals ORDER BY loop_id, reason").all();
    expect(kept.length).toBeGreaterThanOrEqual(2);
    db.exec(UNDO);
    db.close();

    const store = sqliteStore(c.path);
    try {
      await store.migrate();
      expect(await store.metrics(envId, q(to))).toEqual(before);
    } finally {
      await store.close();
    }
    const after = new Database(c.path);
    try {
      expect(after.prepare("SELECT * FROM risk_signals ORDER BY loop_id, reason").all()).toEqual(
        kept,
      );
    } finally {
      after.close();
    }
  });

  it.skipIf(unreachable !== undefined)(
    "postgres: the signals of answers stored before the step are found again, as ingest kept them",
    async () => {
      const schema = newPgSchema();
      const [store] = await pgStores(1, schema);
      const c = await startCollector({ store: store as CollectorStore });
      await seed(c);
      const to = new Date(Date.now() + 60_000).toISOString();
      const envId = (await c.store.listEnvironments())[0]?.id as string;
      const before = await c.store.metrics(envId, q(to));
      expect(before.total.atRisk).toEqual({ customers: 2 });
      await c.close();

      const client = new pg.Client(PG_URL);
      await client.connect();
      const signals = () =>
        client.query("SELECT * FROM risk_signals ORDER BY loop_id, reason").then((r) => r.rows);
      try {
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        const kept = await signals();
        expect(kept.length).toBeGreaterThanOrEqual(2);
        await client.query(UNDO);
        const again = (await pgStores(1, schema))[0] as CollectorStore;
        try {
          expect(await again.metrics(envId, q(to))).toEqual(before);
        } finally {
          await again.close();
        }
        expect(await signals()).toEqual(kept);
      } finally {
        await client.end();
      }
    },
  );
});
