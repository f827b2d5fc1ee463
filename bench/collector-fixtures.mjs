// What every server of bench/collector.mjs shares: the keys, the published survey and the batch
// the load sends (finished NPS responses with fresh ids and idempotency keys).
import { readFileSync } from "node:fs";
import { provision } from "../packages/collector/dist/index.js";
import { uuidv7 } from "../packages/core/dist/index.js";

export const PK = "pk_bench_0123456789abcdefghij";
export const SK = "sk_bench_0123456789abcdefghij";

/** A fresh batch of `size` finished NPS responses: new ids and keys on every call. */
export function batchBody(size) {
  const now = new Date().toISOString();
  const items = [];
  for (let i = 0; i < size; i++) {
    const id = uuidv7();
    items.push({
      type: "response",
      idempotencyKey: id,
      data: {
        id,
        surveyId: "onboarding-nps",
        surveyVersion: 1,
        respondent: { anonymousId: `anon-${id}` },
        answers: { score: i % 11, why: "The export is slow" },
        finished: true,
        locale: "en",
        createdAt: now,
      },
    });
  }
  return JSON.stringify({ items });
}

/**
 * Migrates and provisions `store`, publishes the demo survey through a collector on it, and
 * answers that collector (rate limits off: the bench measures the store, not the limiter).
 */
export async function publishBenchSurvey(store, createCollector) {
  await store.migrate();
  await provision(store, { publicKey: PK, secretKey: SK });
  const collector = createCollector({ store, limits: { rate: { perSecond: 1e9, burst: 1e9 } } });
  const survey = JSON.parse(
    readFileSync(new URL("../examples/loop-demo/survey.json", import.meta.url), "utf8"),
  );
  const res = await collector.fetch(
    new Request(`http://x/v1/surveys/${survey.id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${SK}` },
      body: JSON.stringify(survey),
    }),
  );
  if (res.status >= 300) throw new Error(`publish failed: ${res.status} ${await res.text()}`);
  return collector;
}
