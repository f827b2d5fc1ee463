// Webhook delivery over real loopback HTTP: a real receiver verifies every request with our
// `verifyWebhook` and with `standardwebhooks`. The worker's clock is injected, so retries are
// stepped through without sleeping.

import { generateWebhookSecret, respondentToken } from "@closeloop/node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Received, type Receiver, startReceiver } from "../../node/test/webhook-receiver.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { startWebhookWorker, type WebhookWorker } from "../src/webhook-delivery/worker.js";
import { batch, type Running, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, PG_URL, pgRequired, pgStores, probePostgres } from "./pg-helper.js";
import { at, environment } from "./store-fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON payloads field by field.
type Json = any;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

interface Setup {
  c: Running;
  rx: Receiver;
  clock: { t: number };
  worker: (options?: Partial<Parameters<typeof startWebhookWorker>[0]>) => WebhookWorker;
  register(name: string, events?: string[]): Promise<string>;
  ingest(...items: Parameters<typeof batch>): Promise<void>;
  log(name: string): Promise<{ endpoint: Record<string, unknown>; deliveries: Json[] }>;
  drain(w: WebhookWorker): Promise<void>;
}

async function setup(path?: string): Promise<Setup> {
  const clock = { t: Date.now() };
  const c = await startCollector({ now: () => clock.t, ...(path ? { path } : {}) });
  const rx = await startReceiver();
  cleanups.push(
    () => rx.close(),
    () => c.close(),
  );
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBeLessThan(
    300,
  );
  const s: Setup = {
    c,
    rx,
    clock,
    worker: (options = {}) =>
      startWebhookWorker({
        store: c.store,
        now: () => clock.t,
        intervalMs: 0,
        retryScheduleMs: [1_000, 2_000, 3_000, 4_000],
        random: () => 0.5,
        timeoutMs: 5_000,
        onError: (e) => {
          throw e;
        },
        ...options,
      }),
    async register(name, events) {
      const res = await c.call("PUT", `/v1/webhooks/${name}`, c.sk, {
        url: `${rx.url}/${name}`,
        ...(events ? { events } : {}),
      });
      expect(res.status).toBe(201);
      expect(res.body.secret).toMatch(/^whsec_/);
      rx.secrets.set(`/${name}`, res.body.secret);
      return res.body.secret;
    },
    async ingest(...items) {
      const res = await c.call("POST", "/v1/batch", c.sk, batch(...items));
      expect(res.status).toBe(200);
      expect(res.body.rejected).toEqual([]);
    },
    async log(name) {
      const res = await c.call("GET", `/v1/webhooks/${name}/deliveries?limit=500`, c.sk);
      expect(res.status).toBe(200);
      return res.body;
    },
    async drain(w) {
      while ((await w.runOnce()) > 0) {}
    },
  };
  return s;
}

describe("webhook delivery (SQLite)", () => {
  it("records an attempt once the store answers again, so the receiver gets it once, not again at lease end", async () => {
    const s = await setup();
    await s.register("crm", ["response.received"]);
    await s.ingest({ type: "response", data: response({ score: 9 }) });
    let refusals = 2;
    const webhooks = {
      ...s.c.store.webhooks,
      recordAttempt: (...args: Parameters<CollectorStore["webhooks"]["recordAttempt"]>) =>
        refusals-- > 0
          ? Promise.reject(new Error("Connection terminated unexpectedly"))
          : s.c.store.webhooks.recordAttempt(...args),
    };
    const w = s.worker({ store: { ...s.c.store, webhooks } });
    expect(await w.runOnce()).toBe(1);
    expect(refusals).toBe(-1);
    // The lease would have ended by now: nothing is claimable again, and nothing was sent twice.
    s.clock.t += 3_600_000;
    await s.drain(w);
    expect(s.rx.received).toHaveLength(1);
    const { deliveries } = await s.log("crm");
    expect(deliveries.map((d: Json) => [d.status, d.attempts.length])).toStrictEqual([
      ["delivered", 1],
    ]);
  });

  it("backs off while the store fails and resumes by itself", async () => {
    const s = await setup();
    await s.register("crm", ["response.received"]);
    await s.ingest({ type: "response", data: response({ score: 9 }) });
    let refusals = 3;
    const errors: unknown[] = [];
    const webhooks = {
      ...s.c.store.webhooks,
      claimDeliveries: (...args: Parameters<CollectorStore["webhooks"]["claimDeliveries"]>) =>
        refusals-- > 0
          ? Promise.reject(new Error("connect ECONNREFUSED"))
          : s.c.store.webhooks.claimDeliveries(...args),
    };
    const w = s.worker({
      store: { ...s.c.store, webhooks },
      intervalMs: 20,
      onError: (e) => errors.push(e),
    });
    cleanups.push(() => w.stop());
    await expect.poll(() => s.rx.received.length, { timeout: 10_000 }).toBe(1);
    expect(errors).toHaveLength(3);
  });

  it("registers an endpoint, answering its secret once, and checks keys and input", async () => {
    const s = await setup();
    await s.register("crm");
    const again = await s.c.call("PUT", "/v1/webhooks/crm", s.c.sk, {
      url: `${s.rx.url}/crm2`,
      events: ["loop.closed"],
    });
    expect(again.status).toBe(200);
    expect(again.body.secret).toBeUndefined();
    expect(again.body).toMatchObject({ name: "crm", events: ["loop.closed"] });
    expect((await s.c.call("PUT", "/v1/webhooks/x", s.c.pk, { url: s.rx.url })).status).toBe(403);
    expect((await s.c.call("GET", "/v1/webhooks/crm/deliveries", s.c.pk)).status).toBe(403);
    expect((await s.c.call("PUT", "/v1/webhooks/x", s.c.sk, { url: "ftp://a" })).status).toBe(400);
    const badEvent = await s.c.call("PUT", "/v1/webhooks/x", s.c.sk, {
      url: s.rx.url,
      events: ["loop.deleted"],
    });
    expect(badEvent.status).toBe(400);
    expect((await s.c.call("GET", "/v1/webhooks/nope/deliveries", s.c.sk)).status).toBe(404);
  });

  it("delivers every event type of a loop's life, signed, to subscribed endpoints only", async () => {
    const s = await setup();
    await s.register("all");
    await s.register("closed", ["loop.closed"]);
    const named = {
      ...response({ score: 1, why: "slow" }),
      respondent: { id: "user-42", token: respondentToken(s.c.sk, "user-42") },
    };
    const passive = response({ score: 8 });
    await s.ingest({ type: "response", data: named }, { type: "response", data: passive });
    const loops = (await s.c.call("GET", "/v1/loops", s.c.sk)).body.loops;
    const loopOf = (id: string) => loops.find((l: Json) => l.source.id === id);
    const detractorLoop = loopOf(named.id);
    const move = (body: unknown) =>
      s.c.call("POST", `/v1/loops/${detractorLoop.id}/transitions`, s.c.sk, body);
    expect((await move({ to: "acknowledged", actor: "agent:ana" })).status).toBe(200);
    expect((await move({ to: "assigned", actor: "agent:ana", owner: "data" })).status).toBe(200);
    expect((await move({ to: "resolved", actor: "dev:li", message: "Fixed." })).status).toBe(200);
    const notice = (
      await s.c.call(
        "GET",
        `/v1/closures?respondent=user-42&token=${respondentToken(s.c.sk, "user-42")}`,
        s.c.pk,
      )
    ).body.closures[0];
    await s.ingest({ type: "closure-seen", data: { noticeId: notice.id } });
    expect((await move({ to: "reopened", actor: "agent:ana", note: "again" })).status).toBe(200);
    await s.ingest({ type: "ack-seen", data: { responseId: passive.id } });

    await s.drain(s.worker());
    expect(s.rx.failures).toEqual([]);
    const all = s.rx.received.filter((r) => r.path === "/all");
    const ofDetractor = all
      .filter((r) => r.payload.type !== "response.received")
      .filter((r) => (r.payload.data as Json).loop.id === detractorLoop.id)
      // Deliveries are not ordered; each carries the loop as it was after its move.
      .sort(
        (a, b) =>
          (a.payload.data as Json).loop.events.length - (b.payload.data as Json).loop.events.length,
      )
      .map((r) => r.payload.type);
    expect(ofDetractor).toEqual([
      "loop.acknowledged",
      "loop.assigned",
      "loop.resolved",
      "loop.closed",
      "loop.reopened",
    ]);
    const passiveLoop = loopOf(passive.id);
    const ofPassive = all
      .filter((r) => r.payload.type.startsWith("loop."))
      .filter((r) => (r.payload.data as Json).loop.id === passiveLoop.id)
      .sort(
        (a, b) =>
          (a.payload.data as Json).loop.events.length - (b.payload.data as Json).loop.events.length,
      );
    expect(ofPassive.map((r) => [r.payload.type, (r.payload.data as Json).loop.state])).toEqual([
      ["loop.acknowledged", "acknowledged"],
      ["loop.closed", "closed"],
    ]);
    const received = all.filter((r) => r.payload.type === "response.received");
    expect(received.map((r) => (r.payload.data as Json).response.id).sort()).toEqual(
      [named.id, passive.id].sort(),
    );
    const namedPayload = received.find((r) => (r.payload.data as Json).response.id === named.id);
    expect(((namedPayload as Received).payload.data as Json).response.respondent).toEqual({
      id: "user-42",
    });
    expect(JSON.stringify(s.rx.received)).not.toContain(named.respondent.token);
    // Each delivery is one message id; the filtered endpoint got only loop.closed.
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(s.rx.received.filter((r) => r.path === "/closed").map((r) => r.payload.type)).toEqual([
      "loop.closed",
      "loop.closed",
    ]);
    const log = await s.log("all");
    expect(log.deliveries).toHaveLength(all.length);
    for (const d of log.deliveries) {
      expect(d.status).toBe("delivered");
      expect(d.attempts).toHaveLength(1);
      expect(d.attempts[0].status).toBe(204);
      expect(d.nextAttemptAt).toBeUndefined();
    }
  });

  it("retries after a 500, a dropped connection and a 429 with Retry-After, logging every attempt", async () => {
    const s = await setup();
    await s.register("flaky");
    const answers = [
      { status: 500 },
      "drop" as const,
      { status: 429, headers: { "retry-after": "120" } },
      { status: 204 },
    ];
    s.rx.answer = () => answers.shift() ?? { status: 204 };
    await s.ingest({ type: "response", data: response({ score: 9 }) });
    const w = s.worker();
    const t0 = s.clock.t;
    const log = async () => (await s.log("flaky")).deliveries[0];

    expect(await w.runOnce()).toBe(1); // 500
    expect((await log()).nextAttemptAt).toBe(new Date(t0 + 1_000).toISOString());
    s.clock.t = t0 + 999;
    expect(await w.runOnce()).toBe(0);
    s.clock.t = t0 + 1_000;
    expect(await w.runOnce()).toBe(1); // dropped
    expect((await log()).nextAttemptAt).toBe(new Date(t0 + 3_000).toISOString());
    s.clock.t = t0 + 3_000;
    expect(await w.runOnce()).toBe(1); // 429, Retry-After: 120
    expect((await log()).nextAttemptAt).toBe(new Date(t0 + 123_000).toISOString());
    s.clock.t = t0 + 60_000;
    expect(await w.runOnce()).toBe(0);
    s.clock.t = t0 + 123_000;
    expect(await w.runOnce()).toBe(1); // 204
    expect(await w.runOnce()).toBe(0);

    const d = await log();
    expect(d.status).toBe("delivered");
    expect(d.type).toBe("response.received");
    expect(d.attempts.map((a: Json) => a.status ?? "error")).toEqual([500, "error", 429, 204]);
    expect(d.attempts[1].error).toMatch(/\S/); // the dropped connection, described
    expect(d.attempts.map((a: Json) => a.at)).toEqual(
      [0, 1_000, 3_000, 123_000].map((x) => new Date(t0 + x).toISOString()),
    );
    // One message id, signed afresh at each attempt.
    expect(new Set(s.rx.received.map((r) => r.id))).toEqual(new Set([d.id]));
    expect(new Set(s.rx.received.map((r) => r.timestamp)).size).toBe(4);
    expect(s.rx.failures).toEqual([]);
  });

  it("fails a delivery on another 4xx, and once the schedule runs out", async () => {
    const s = await setup();
    await s.register("strict");
    s.rx.answer = (r) =>
      (r.payload.data as Json).response?.answers?.score === 9 ? { status: 400 } : { status: 503 };
    await s.ingest({ type: "response", data: response({ score: 9 }) });
    await s.ingest({ type: "response", data: response({ score: 8 }) });
    const w = s.worker();
    for (let i = 0; i < 6; i++) {
      await w.runOnce();
      s.clock.t += 10_000;
    }
    const ds = (await s.log("strict")).deliveries;
    const byScore = (n: number) =>
      ds.find((d: Json) =>
        s.rx.received.some(
          (r) => r.id === d.id && (r.payload.data as Json).response.answers.score === n,
        ),
      );
    expect(byScore(9)).toMatchObject({ status: "failed" });
    expect(byScore(9).attempts).toHaveLength(1);
    expect(byScore(8)).toMatchObject({ status: "failed" });
    expect(byScore(8).attempts.map((a: Json) => a.status)).toEqual([503, 503, 503, 503, 503]);
  });

  it("disables an endpoint that answers 410, with its pending deliveries, until it is PUT again", async () => {
    const s = await setup();
    await s.register("gone");
    await s.register("ok");
    s.rx.answer = (r) => (r.path === "/gone" ? { status: 410 } : { status: 204 });
    await s.ingest({ type: "response", data: response({ score: 9 }) });
    await s.ingest({ type: "response", data: response({ score: 10 }) });
    await s.drain(s.worker({ batchSize: 1 }));
    expect(s.rx.received.filter((r) => r.path === "/gone")).toHaveLength(1);
    const gone = await s.log("gone");
    expect(gone.endpoint.disabledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(gone.deliveries.map((d: Json) => d.status).sort()).toEqual(["disabled", "disabled"]);
    expect((await s.log("ok")).deliveries.map((d: Json) => d.status)).toEqual([
      "delivered",
      "delivered",
    ]);
    // Nothing more is queued for it; the other endpoint still gets events.
    await s.ingest({ type: "response", data: response({ score: 7 }) });
    await s.drain(s.worker());
    expect((await s.log("gone")).deliveries).toHaveLength(2);
    expect((await s.log("ok")).deliveries).toHaveLength(3);
    // PUT enables it again.
    const put = await s.c.call("PUT", "/v1/webhooks/gone", s.c.sk, { url: `${s.rx.url}/gone` });
    expect(put.status).toBe(200);
    expect(put.body.disabledAt).toBeUndefined();
    s.rx.answer = () => ({ status: 204 });
    s.clock.t += 1_000; // a later event, so the newest delivery in the log
    await s.ingest({ type: "response", data: response({ score: 6 }) });
    await s.drain(s.worker());
    expect((await s.log("gone")).deliveries[0].status).toBe("delivered");
  });

  it("resumes pending and abandoned deliveries after a restart on the same file", async () => {
    const first = await setup();
    await first.register("crm");
    await first.ingest({ type: "response", data: response({ score: 9 }) });
    await first.ingest({ type: "response", data: response({ score: 3 }) });
    // A worker claimed one delivery and died before sending it.
    const leased = await first.c.store.webhooks.claimDeliveries(
      new Date(first.clock.t).toISOString(),
      1,
      60_000,
    );
    expect(leased).toHaveLength(1);
    const secret = first.rx.secrets.get("/crm") as string;
    const path = first.c.path;
    await (cleanups.pop() as () => Promise<void>)(); // collector and its store
    const store = sqliteStore(path);
    cleanups.push(() => store.close());
    await store.migrate();
    const worker = startWebhookWorker({
      store,
      now: () => first.clock.t,
      intervalMs: 0,
      onError: (e) => {
        throw e;
      },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(first.rx.received).toHaveLength(1);
    first.clock.t += 60_000;
    expect(await worker.runOnce()).toBe(1);
    expect(first.rx.received.map((r) => r.id).sort()).toEqual(
      [leased[0]?.id, first.rx.received[0]?.id].sort(),
    );
    expect(await worker.runOnce()).toBe(0);
    expect(first.rx.failures).toEqual([]);
    expect(secret).toMatch(/^whsec_/);
    // The abandoned lease cannot record over the new outcome.
    const late = await store.webhooks.recordAttempt(
      leased[0] as NonNullable<(typeof leased)[0]>,
      { at: new Date().toISOString(), status: 500, durationMs: 1 },
      { status: "failed" },
    );
    expect(late).toBe(false);
  });

  it("queues nothing when the change rolls back", async () => {
    const s = await setup();
    await s.register("crm");
    const env = (await s.c.store.listEnvironments())[0]?.id as string;
    await expect(
      s.c.store.transaction(async (tx) => {
        await tx.enqueueWebhook(
          env,
          { type: "loop.closed", timestamp: new Date().toISOString(), data: { loop: {} as never } },
          new Date(s.clock.t).toISOString(),
        );
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await s.log("crm")).deliveries).toEqual([]);
  });
});

const unreachable = await probePostgres();
if (unreachable && !pgRequired) {
  console.warn(`webhook delivery on PostgreSQL skipped: ${PG_URL} unreachable (${unreachable})`);
}

describe.skipIf(unreachable !== undefined && !pgRequired)("webhook delivery (PostgreSQL)", () => {
  afterAll(dropSchemas);

  it("delivers N events exactly once with two workers on two pools over one database", async () => {
    if (unreachable) throw new Error(`PostgreSQL at ${PG_URL} is unreachable: ${unreachable}`);
    const [a, b] = (await pgStores(2)) as [CollectorStore, CollectorStore];
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const env = environment("env-pg");
    await a.createEnvironment(env);
    const secret = generateWebhookSecret();
    rx.secrets.set("/crm", secret);
    await a.webhooks.putEndpoint(env.id, "crm", { url: `${rx.url}/crm` }, secret, at(0));
    const N = 60;
    const now = new Date().toISOString();
    await a.transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        const payload = {
          type: "customer.at_risk" as const,
          timestamp: now,
          data: { customerId: `cus_${i}`, reason: "repeat_detractor" as const, at: now },
        };
        expect(await tx.enqueueWebhook(env.id, payload, now)).toBe(1);
      }
    });
    const run = (store: CollectorStore) =>
      startWebhookWorker({
        store,
        intervalMs: 0,
        batchSize: 4,
        onError: (e) => {
          throw e;
        },
      });
    const [wa, wb] = [run(a), run(b)];
    const drain = async (w: WebhookWorker) => {
      let n = 0;
      for (let got = await w.runOnce(); got > 0; got = await w.runOnce()) n += got;
      return n;
    };
    const counts = await Promise.all([drain(wa), drain(wb), drain(wa), drain(wb)]);
    expect(rx.failures).toEqual([]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(N);
    expect(rx.received).toHaveLength(N);
    expect(new Set(rx.received.map((r) => r.id)).size).toBe(N);
    expect(new Set(rx.received.map((r) => (r.payload.data as Json).customerId)).size).toBe(N);
    const log = await b.webhooks.deliveries(env.id, "crm", { limit: 500 });
    expect(log.map((d) => [d.status, d.attempts.length])).toEqual(
      Array.from({ length: N }, () => ["delivered", 1]),
    );
  });
});
