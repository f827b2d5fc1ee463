// Idempotency keys, proven for every item type through the real collector on both stores: the
// clients resend whole batches and rely on these keys, so a replay must answer `duplicate` with
// the first id and store nothing, and a rejected item must leave its key free for the corrected
// resend (or that resend would be answered `duplicate` and never stored).
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { postgresStore } from "../src/store/index.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";
import { dropSchemas, newPgSchema, PG_URL, postgresFor } from "./pg-helper.js";

// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON answers field by field.
type Json = any;

const TABLES = ["responses", "feedback", "customer_events", "loops", "closure_notices"] as const;

type State = Record<(typeof TABLES)[number] | "loopEvents", number>;

interface Target {
  name: string;
  start(): Promise<Running>;
  /** Rows per table, and every loop's history length: what a replay must leave unchanged. */
  state(c: Running): Promise<State>;
}

const unreachable = await postgresFor("idempotency on PostgreSQL");
const schemaOf = new WeakMap<Running, string>();

const targets: Target[] = [
  {
    name: "sqlite",
    start: () => startCollector(),
    async state(c) {
      const db = new Database(c.path, { readonly: true });
      try {
        const counts = {} as State;
        for (const t of TABLES) {
          counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        }
        counts.loopEvents = (
          db
            .prepare("SELECT coalesce(sum(json_array_length(data, '$.events')), 0) AS n FROM loops")
            .get() as {
            n: number;
          }
        ).n;
        return counts;
      } finally {
        db.close();
      }
    },
  },
];
if (unreachable === undefined) {
  targets.push({
    name: "postgres",
    async start() {
      const schema = newPgSchema();
      const c = await startCollector({ store: postgresStore(PG_URL, { schema, max: 4 }) });
      schemaOf.set(c, schema);
      return c;
    },
    async state(c) {
      const client = new pg.Client(PG_URL);
      await client.connect();
      try {
        const schema = pg.escapeIdentifier(schemaOf.get(c) as string);
        const counts = {} as State;
        for (const t of TABLES) {
          const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}.${t}`);
          counts[t] = rows[0].n;
        }
        const { rows } = await client.query(
          `SELECT coalesce(sum(jsonb_array_length(data->'events')), 0)::int AS n FROM ${schema}.loops`,
        );
        counts.loopEvents = rows[0].n;
        return counts;
      } finally {
        await client.end();
      }
    },
  });
}

afterAll(() => dropSchemas());
const open: Running[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const ANON = "anon-idempotency-000001";

/** A collector with a survey and a feedback policy, and one resolved loop whose notice waits. */
async function prepared(target: Target) {
  const c = await target.start();
  open.push(c);
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
  expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(200);
  const send = async (...items: Json[]) => {
    const res = await c.call("POST", "/v1/batch", c.pk, { items });
    expect(res.status).toBe(200);
    return res.body as { accepted: Json[]; rejected: Json[] };
  };
  const answered = response({ score: 2 }, { anonymousId: ANON });
  // A loop still open, whose acknowledgement an `ack-seen` item records.
  const waiting = response({ score: 6 }, { anonymousId: "anon-idempotency-000004" });
  const first = await send(
    ...batch({ type: "response", data: answered }, { type: "response", data: waiting }).items,
  );
  expect(first.rejected).toStrictEqual([]);
  const loops = (await c.call("GET", "/v1/loops", c.sk)).body.loops as Json[];
  const loop = loops.find((l) => l.source.id === answered.id);
  const move = (body: unknown) => c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, body);
  expect((await move({ to: "acknowledged", actor: "agent:ana" })).status).toBe(200);
  expect((await move({ to: "assigned", actor: "agent:ana", owner: "cx" })).status).toBe(200);
  expect((await move({ to: "resolved", actor: "agent:ana", message: "Fixed." })).status).toBe(200);
  const notice = (await c.call("GET", `/v1/closures?anonymousId=${ANON}`, c.pk)).body.closures[0];
  return { c, send, responseId: waiting.id, noticeId: notice.id as string };
}

/**
 * Each item type: a good item, another good one with other content (`other`), and a bad one
 * that is rejected late (after parsing).
 */
function itemsOf(p: { responseId: string; noticeId: string }) {
  return {
    response: {
      good: () => response({ score: 9 }, { anonymousId: "anon-idempotency-000002" }),
      // Finished without the scoring answer: refused once the survey is read.
      bad: () => response({}, { anonymousId: "anon-idempotency-000003" }),
      other: () => response({ score: 3 }, { anonymousId: "anon-idempotency-000005" }),
    },
    feedback: {
      good: () => ({ channel: "support", text: "The export button does nothing" }),
      // A respondent id without its token: refused once the respondent is checked.
      bad: () => ({ channel: "support", text: "Hi", respondent: { id: "user-1", token: "x" } }),
      other: () => ({ channel: "support", text: "The import button does nothing" }),
    },
    customer: {
      good: () => ({
        customerId: "cust-1",
        event: "gained",
        value: 120,
        at: new Date().toISOString(),
      }),
      bad: () => ({ customerId: "cust-1", event: "moved", at: new Date().toISOString() }),
      other: () => ({ customerId: "cust-2", event: "lost", at: new Date().toISOString() }),
    },
    "ack-seen": {
      good: () => ({ responseId: p.responseId }),
      bad: () => ({ responseId: "0190c000-0000-7000-8000-000000000000" }),
      other: () => ({ responseId: p.responseId, locale: "fr" }),
    },
    "closure-seen": {
      good: () => ({ noticeId: p.noticeId }),
      bad: () => ({ noticeId: "no-such-notice" }),
      other: () => ({ noticeId: p.noticeId, at: new Date(0).toISOString() }),
    },
  } as const;
}

const TYPES = ["response", "feedback", "customer", "ack-seen", "closure-seen"] as const;

for (const target of targets) {
  describe(`idempotency keys on ${target.name}`, () => {
    for (const type of TYPES) {
      it(`a replayed ${type} item is a duplicate with the first id and stores nothing`, async () => {
        const p = await prepared(target);
        const data = itemsOf(p)[type].good();
        const item = { type, idempotencyKey: `k-${type}`, data };
        const first = await p.send(item);
        expect(first.rejected).toStrictEqual([]);
        expect(first.accepted).toStrictEqual([
          { index: 0, id: expect.any(String), duplicate: false },
        ]);
        const before = await target.state(p.c);
        // Alone, and again inside a larger batch, as an outbox resends it.
        const again = await p.send(item);
        expect(again.accepted).toStrictEqual([
          { index: 0, id: first.accepted[0].id, duplicate: true },
        ]);
        const inBatch = await p.send(
          { type: "feedback", idempotencyKey: `other-${type}`, data: itemsOf(p).feedback.good() },
          item,
        );
        expect(inBatch.accepted[1]).toStrictEqual({
          index: 1,
          id: first.accepted[0].id,
          duplicate: true,
        });
        const after = await target.state(p.c);
        // Only the other feedback item (and its loop) was stored.
        expect(after).toStrictEqual({
          ...before,
          feedback: before.feedback + 1,
          loops: before.loops + 1,
          loopEvents: before.loopEvents + 1,
        });
      });

      it(`a ${type} item sent with a key already used for other content is rejected and stores nothing`, async () => {
        const p = await prepared(target);
        const items = itemsOf(p)[type];
        const first = await p.send({ type, idempotencyKey: `reused-${type}`, data: items.good() });
        expect(first.rejected).toStrictEqual([]);
        const before = await target.state(p.c);
        const reused = await p.send({
          type,
          idempotencyKey: `reused-${type}`,
          data: items.other(),
        });
        expect(reused.accepted).toStrictEqual([]);
        expect(reused.rejected).toMatchObject([{ index: 0, code: "idempotency_key_reused" }]);
        expect(await target.state(p.c)).toStrictEqual(before);
      });

      it(`a rejected ${type} item leaves its key free for the corrected resend`, async () => {
        const p = await prepared(target);
        const items = itemsOf(p)[type];
        const key = `fix-${type}`;
        const refused = await p.send({ type, idempotencyKey: key, data: items.bad() });
        expect(refused.accepted).toStrictEqual([]);
        expect(refused.rejected).toHaveLength(1);
        const before = await target.state(p.c);
        const fixed = await p.send({ type, idempotencyKey: key, data: items.good() });
        expect(fixed.rejected).toStrictEqual([]);
        expect(fixed.accepted).toStrictEqual([
          { index: 0, id: expect.any(String), duplicate: false },
        ]);
        expect(await target.state(p.c)).not.toStrictEqual(before);
      });
    }
  });
}
