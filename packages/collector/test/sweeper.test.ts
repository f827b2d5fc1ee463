// The SLA sweeper with an injected clock: each missed deadline of each cycle fires once, across
// sweeps, restarts and (on PostgreSQL) two collectors sweeping at the same time.
import { type Loop, transition } from "@closeloop/core";
import { generateWebhookSecret, verifyWebhook } from "@closeloop/node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { saveLoop } from "../src/ingest/loops.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { sweepBreaches } from "../src/sweeper.js";
import { startWebhookWorker } from "../src/webhook-delivery/worker.js";
import { batch, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, PG_URL, pgRequired, pgStores, probePostgres } from "./pg-helper.js";
import { at, environment, HOUR, loop, T0_MS } from "./store-fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON payloads field by field.
type Json = any;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

/** Delivers the queue through an injected fetch and answers the verified payloads. */
async function deliveredPayloads(store: CollectorStore, secret: string, now: number) {
  const payloads: Json[] = [];
  const worker = startWebhookWorker({
    store,
    now: () => now,
    intervalMs: 0,
    fetch: async (_url, init) => {
      const body = init?.body as string;
      payloads.push(
        verifyWebhook(body, init?.headers as Record<string, string>, secret, {
          now: new Date(now),
        }),
      );
      return new Response(null, { status: 204 });
    },
  });
  while ((await worker.runOnce()) > 0) {}
  return payloads;
}

describe("SLA sweeper (SQLite)", () => {
  it("fires each deadline once, across sweeps and a restart, and again after a reopening", async () => {
    const clock = { t: Date.now() };
    const c = await startCollector({ now: () => clock.t });
    cleanups.push(() => c.close());
    expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
    const put = await c.call("PUT", "/v1/webhooks/ops", c.sk, {
      url: "http://127.0.0.1:9/ops",
      events: ["loop.breached"],
    });
    const secret = put.body.secret as string;
    const t0 = clock.t;
    const ingest = await c.call(
      "POST",
      "/v1/batch",
      c.sk,
      batch(
        { type: "response", data: response({ score: 2 }) },
        { type: "response", data: response({ score: 9 }) },
      ),
    );
    expect(ingest.body.accepted).toHaveLength(2);
    const detractor = (await c.call("GET", "/v1/loops?state=received", c.sk)).body.loops.find(
      (l: Loop) => l.segment === "detractor",
    ) as Loop;

    // acknowledgeWithin 4h, closeWithin 48h.
    expect(await sweepBreaches(c.store, t0 + 4 * HOUR)).toBe(0);
    expect(await sweepBreaches(c.store, t0 + 4 * HOUR + 1)).toBe(1);
    expect(await sweepBreaches(c.store, t0 + 5 * HOUR)).toBe(0);
    let payloads = await deliveredPayloads(c.store, secret, t0 + 5 * HOUR);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({
      type: "loop.breached",
      timestamp: new Date(t0 + 4 * HOUR).toISOString(),
      data: {
        loop: { id: detractor.id, state: "received" },
        breach: { deadline: "acknowledge", due: new Date(t0 + 4 * HOUR).toISOString() },
      },
    });

    // A restart on the same file fires nothing again.
    const again = sqliteStore(c.path);
    cleanups.push(() => again.close());
    expect(await sweepBreaches(again, t0 + 6 * HOUR)).toBe(0);
    expect(await sweepBreaches(again, t0 + 48 * HOUR + 1, 1)).toBe(1);
    payloads = await deliveredPayloads(again, secret, t0 + 49 * HOUR);
    expect(payloads.map((p) => p.data.breach.deadline)).toEqual(["close"]);

    // Resolved, closed and reopened: the new cycle's deadlines fire once each.
    await again.transaction(async (tx) => {
      let l = (await tx.getLoop(
        (
          await again.listEnvironments()
        )[0]?.id as string,
        detractor.id,
      )) as Loop;
      const env = (await again.listEnvironments())[0]?.id as string;
      const when = (h: number) => ({ actor: "agent", at: new Date(t0 + h * HOUR).toISOString() });
      l = transition(l, "acknowledged", when(50));
      l = transition(l, "assigned", { ...when(50.5), owner: "data" });
      l = transition(l, "resolved", when(51));
      l = transition(l, "closed", { ...when(52), informedVia: "email", message: "Fixed." });
      l = transition(l, "reopened", when(60));
      await saveLoop(tx, env, l, undefined);
    });
    expect(await sweepBreaches(again, t0 + 61 * HOUR)).toBe(0);
    expect(await sweepBreaches(again, t0 + 108 * HOUR + 1)).toBe(2);
    expect(await sweepBreaches(again, t0 + 200 * HOUR)).toBe(0);
    payloads = await deliveredPayloads(again, secret, t0 + 200 * HOUR);
    expect(payloads.map((p) => p.data.breach.due).sort()).toEqual(
      [64, 108].map((h) => new Date(t0 + h * HOUR).toISOString()),
    );
  });
});

const unreachable = await probePostgres();
if (unreachable && !pgRequired) {
  console.warn(`sweeper on PostgreSQL skipped: ${PG_URL} unreachable (${unreachable})`);
}

describe.skipIf(unreachable !== undefined && !pgRequired)("SLA sweeper (PostgreSQL)", () => {
  afterAll(dropSchemas);

  it("two sweepers on two pools fire each breach exactly once", async () => {
    if (unreachable) throw new Error(`PostgreSQL at ${PG_URL} is unreachable: ${unreachable}`);
    const [a, b] = (await pgStores(2)) as [CollectorStore, CollectorStore];
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const env = environment("env-sweep");
    await a.createEnvironment(env);
    await a.webhooks.putEndpoint(
      env.id,
      "ops",
      { url: "http://127.0.0.1:9/" },
      generateWebhookSecret(),
      at(0),
    );
    const M = 25;
    await a.transaction(async (tx) => {
      for (let i = 0; i < M; i++) {
        await saveLoop(tx, env.id, loop({ id: `loop-${String(i).padStart(3, "0")}` }), undefined);
      }
    });
    const now = T0_MS + 49 * HOUR;
    const fired = await Promise.all([
      sweepBreaches(a, now, 3),
      sweepBreaches(b, now, 3),
      sweepBreaches(a, now, 5),
      sweepBreaches(b, now, 2),
    ]);
    expect(fired.reduce((x, y) => x + y, 0)).toBe(2 * M);
    expect(await sweepBreaches(b, now + HOUR)).toBe(0);
    const log = await b.webhooks.deliveries(env.id, "ops", { limit: 500 });
    expect(log).toHaveLength(2 * M);
    expect(new Set(log.map((d) => d.type))).toEqual(new Set(["loop.breached"]));
  });
});
