// `customer.at_risk`: queued in the ingest transaction when a respondent's new scoring answer
// raises one of core's risk signals, delivered signed like every other event, on both stores.
import { afterAll, describe, expect, it } from "vitest";
import { startReceiver } from "../../node/test/webhook-receiver.js";
import type { CollectorStore } from "../src/store/types.js";
import { startWebhookWorker } from "../src/webhook-delivery/worker.js";
import { batch, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, pgStores, postgresFor } from "./pg-helper.js";

const unreachable = await postgresFor("webhook-at-risk PostgreSQL case");
afterAll(dropSchemas);

const cases: [string, (() => Promise<CollectorStore>) | undefined][] = [
  ["sqlite", undefined],
  [
    "postgres",
    unreachable === undefined ? async () => (await pgStores(1))[0] as CollectorStore : undefined,
  ],
];

describe.each(cases)("customer.at_risk on %s", (name, open) => {
  it.skipIf(name === "postgres" && open === undefined)(
    "fires once per signal: a drop of 3+, the first repeat detractor; never for anonymous answers",
    async () => {
      // Answers a day apart, ending before now: receivers refuse timestamps from the future.
      const start = Date.now() - 20 * 86_400_000;
      const day = (n: number) => new Date(start + n * 86_400_000).toISOString();
      let t = start;
      const c = await startCollector({ now: () => t, ...(open ? { store: await open() } : {}) });
      const rx = await startReceiver();
      try {
        expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(
          201,
        );
        const reg = await c.call("PUT", "/v1/webhooks/cs", c.sk, {
          url: `${rx.url}/cs`,
          events: ["customer.at_risk"],
        });
        rx.secrets.set("/cs", reg.body.secret);
        const answer = async (who: string | undefined, score: number) => {
          t += 86_400_000;
          const data = {
            ...response({ score }),
            ...(who
              ? { respondent: { id: who } }
              : { respondent: { anonymousId: "anon-0123456789abcdef" } }),
          };
          const r = await c.call("POST", "/v1/batch", c.sk, batch({ type: "response", data }));
          expect(r.body.accepted).toHaveLength(1);
        };
        await answer("u1", 9);
        await answer("u1", 7); // a drop of 2: no signal
        await answer("u1", 3); // 7 → 3: score_drop
        await answer("u2", 2);
        await answer("u2", 4); // second detractor within 90 days: repeat_detractor
        await answer("u2", 3); // a third: core fires repeat_detractor once per customer
        await answer(undefined, 10);
        await answer(undefined, 1); // anonymous: no history, no signal

        const worker = startWebhookWorker({ store: c.store, intervalMs: 0 });
        try {
          while ((await worker.runOnce()) > 0) {}
        } finally {
          await worker.stop();
        }
        expect(rx.failures).toEqual([]);
        const signals = rx.received.map((r) => {
          expect(r.payload.type).toBe("customer.at_risk");
          return r.payload.data;
        });
        expect(signals).toHaveLength(2);
        expect(signals).toContainEqual({
          customerId: "u1",
          reason: "score_drop",
          at: day(3),
          from: 7,
          to: 3,
        });
        expect(signals).toContainEqual({
          customerId: "u2",
          reason: "repeat_detractor",
          at: day(5),
        });
      } finally {
        await rx.close();
        await c.close();
      }
    },
  );

  it.skipIf(name === "postgres" && open === undefined)(
    "agrees with GET /v1/metrics for answers of one batch and for concurrent batches",
    async () => {
      const c = await startCollector(open ? { store: await open() } : {});
      try {
        expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(
          201,
        );
        // No worker runs: what was queued stays in the endpoint's delivery log.
        const reg = await c.call("PUT", "/v1/webhooks/cs", c.sk, {
          url: "http://127.0.0.1:9/cs",
          events: ["customer.at_risk"],
        });
        expect(reg.status).toBe(201);
        const answer = (who: string, score: number) => ({
          type: "response",
          data: { ...response({ score }), respondent: { id: who } },
        });
        // One batch, one instant: 9 then 3 from each respondent; loop ids decide the order.
        for (let i = 0; i < 8; i++) {
          const r = await c.call(
            "POST",
            "/v1/batch",
            c.sk,
            batch(answer(`same-${i}`, 9), answer(`same-${i}`, 3)),
          );
          expect(r.body.accepted).toHaveLength(2);
        }
        // Separate batches at once: each answer's transaction must see the other's.
        await Promise.all(
          Array.from({ length: 8 }, (_, i) => [
            c.call("POST", "/v1/batch", c.sk, batch(answer(`race-${i}`, 9))),
            c.call("POST", "/v1/batch", c.sk, batch(answer(`race-${i}`, 2))),
          ]).flat(),
        );
        const m = await c.call("GET", "/v1/metrics", c.sk);
        const log = await c.call("GET", "/v1/webhooks/cs/deliveries?limit=500", c.sk);
        const announced: string[] = log.body.deliveries.map(
          (d: { body: string }) => JSON.parse(d.body).data.customerId,
        );
        expect(announced.length).toBe(new Set(announced).size);
        expect(announced.length).toBe(m.body.total.atRisk.customers);
        // The races ran 9-then-2 or 2-then-9: only the first order is a drop.
        expect(announced.length).toBeGreaterThan(0);
      } finally {
        await c.close();
      }
    },
  );

  it.skipIf(name === "postgres" && open === undefined)(
    "batches naming the same respondents in opposite orders, sent at once, all succeed and raise each signal once",
    async () => {
      // Each batch reads its respondents' histories serialised; taken one answer at a time, two
      // batches naming a and b in opposite orders could each wait for the other's respondent.
      const c = await startCollector(open ? { store: await open() } : {});
      try {
        expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(
          201,
        );
        const answer = (who: string, score: number) => ({
          type: "response",
          data: { ...response({ score }), respondent: { id: who } },
        });
        const pairs = Array.from({ length: 10 }, (_, i) => [`a-${i}`, `b-${i}`] as const);
        for (const [a, b] of pairs) {
          const sent = await Promise.all([
            c.call("POST", "/v1/batch", c.sk, batch(answer(a, 1), answer(b, 2))),
            c.call("POST", "/v1/batch", c.sk, batch(answer(b, 1), answer(a, 2))),
          ]);
          expect(sent.map((r) => r.status)).toEqual([200, 200]);
          for (const r of sent) expect(r.body.accepted).toHaveLength(2);
        }
        const m = await c.call("GET", "/v1/metrics", c.sk);
        // Two detractor answers each: one repeat_detractor per respondent, whichever came first.
        expect(m.body.total.atRisk.customers).toBe(20);
      } finally {
        await c.close();
      }
    },
  );
});
