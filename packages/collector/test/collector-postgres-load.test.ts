// Many concurrent batches against one collector on PostgreSQL with a small pool: every batch is
// answered and every item counted. Reads that an ingest transaction needs (surveys, the feedback
// policy, secret keys) must not wait for a pooled connection while the transaction holds one.

import { respondentToken } from "@closeloop/node";
import { afterAll, describe, expect, it } from "vitest";
import type { CollectorStore } from "../src/store/types.js";
import { batch, feedbackPolicy, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, pgStores, postgresFor } from "./pg-helper.js";

const unreachable = await postgresFor("collector-postgres-load");
afterAll(dropSchemas);

describe.skipIf(unreachable !== undefined)(
  "collector on PostgreSQL under concurrent batches",
  () => {
    it("answers 60 concurrent batches on a pool of 4 connections, every item accepted once", async () => {
      const store = (await pgStores(1))[0] as CollectorStore; // pool max 4
      const c = await startCollector({ store });
      try {
        expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(
          201,
        );
        expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(
          200,
        );
        const answers = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            c.call(
              "POST",
              "/v1/batch",
              c.pk,
              batch(
                { type: "response", data: response({ score: i % 11 }) },
                {
                  type: "response",
                  data: {
                    ...response({ score: 3 }),
                    respondent: { id: `u${i}`, token: respondentToken(c.sk, `u${i}`) },
                  },
                },
                { type: "feedback", data: { channel: "support", text: `ticket ${i}` } },
              ),
            ),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
        expect(answers.flatMap((a) => a.body.rejected)).toEqual([]);
        expect(answers.reduce((n, a) => n + a.body.accepted.length, 0)).toBe(180);
        const loops = await c.call("GET", "/v1/loops?limit=500", c.sk);
        expect(loops.body.loops).toHaveLength(180);
      } finally {
        await c.close();
      }
    }, 60_000);
  },
);
