// A deadline met late before any sweep ran is still announced, once: the transition (through the
// API, or an ack-seen / closure-seen item) fires `loop.breached` in its own transaction, and the
// sweeper and the transition never both fire one deadline. Real loopback HTTP, both stores.

import { respondentToken } from "@closeloop/node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "../../node/test/webhook-receiver.js";
import type { CollectorStore } from "../src/store/types.js";
import { sweepBreaches } from "../src/sweeper.js";
import { startWebhookWorker } from "../src/webhook-delivery/worker.js";
import { batch, type Running, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, PG_URL, pgRequired, pgStores, probePostgres } from "./pg-helper.js";
import { HOUR } from "./store-fixtures.js";

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
  /** Ingests a detractor response now (its loop: acknowledge within 4 h, close within 48 h). */
  detractor(respondent?: string): Promise<{ loop: Json; responseId: string }>;
  move(loopId: string, body: unknown): Promise<void>;
  ingest(...items: Parameters<typeof batch>): Promise<void>;
  /** Delivers the queue (signed at the real time, which the receiver checks): the breaches sent. */
  breaches(): Promise<Json[]>;
}

/** The injected clock starts `hoursAgo` and only moves forward (the rate limiter reads it too). */
async function setup(hoursAgo: number, store?: CollectorStore): Promise<Setup> {
  const clock = { t: Date.now() - hoursAgo * HOUR };
  const c = await startCollector({ now: () => clock.t, ...(store ? { store } : {}) });
  const rx = await startReceiver();
  cleanups.push(
    () => rx.close(),
    () => c.close(),
  );
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
  const put = await c.call("PUT", "/v1/webhooks/ops", c.sk, { url: `${rx.url}/ops` });
  rx.secrets.set("/ops", put.body.secret);
  const worker = startWebhookWorker({
    store: c.store,
    now: () => clock.t,
    intervalMs: 0,
    onError: (e) => {
      throw e;
    },
  });
  const s: Setup = {
    c,
    rx,
    clock,
    async detractor(respondent) {
      const data = {
        ...response({ score: 2 }),
        ...(respondent
          ? { respondent: { id: respondent, token: respondentToken(c.sk, respondent) } }
          : {}),
      };
      await s.ingest({ type: "response", data });
      const loops = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops as Json[];
      return { loop: loops.find((l) => l.source.id === data.id), responseId: data.id };
    },
    async move(loopId, body) {
      const res = await c.call("POST", `/v1/loops/${loopId}/transitions`, c.sk, body);
      expect(res.status).toBe(200);
    },
    async ingest(...items) {
      const res = await c.call("POST", "/v1/batch", c.sk, batch(...items));
      expect(res.body, JSON.stringify(res.body)).toMatchObject({ rejected: [] });
    },
    async breaches() {
      clock.t = Date.now();
      while ((await worker.runOnce()) > 0) {}
      expect(rx.failures).toEqual([]);
      return rx.received.map((r) => r.payload).filter((p) => p.type === "loop.breached");
    },
  };
  return s;
}

const due = (loop: Json, hours: number) =>
  new Date(Date.parse(loop.openedAt) + hours * HOUR).toISOString();

function suite(name: string, makeStore: () => Promise<CollectorStore | undefined>) {
  describe(`loop.breached on a late transition (${name})`, () => {
    it("a transition after the deadline, with no sweep before it, fires exactly one", async () => {
      const s = await setup(5, await makeStore());
      const { loop } = await s.detractor();
      s.clock.t = Date.now();
      await s.move(loop.id, { to: "acknowledged", actor: "agent:ana" });
      // Neither the sweeper nor later moves fire it again.
      expect(await sweepBreaches(s.c.store, s.clock.t)).toBe(0);
      await s.move(loop.id, { to: "assigned", actor: "agent:ana", owner: "data" });
      const sent = await s.breaches();
      expect(sent).toHaveLength(1);
      // The sweeper's payload: the loop as it stood missed, the deadline without metAt.
      expect(sent[0]).toEqual({
        type: "loop.breached",
        timestamp: due(loop, 4),
        data: { loop, breach: { deadline: "acknowledge", due: due(loop, 4) } },
      });
      expect(await sweepBreaches(s.c.store, s.clock.t)).toBe(0);
      expect(await s.breaches()).toHaveLength(1);
    });

    it("after a sweep fired the deadline, the transition fires nothing more", async () => {
      const s = await setup(5, await makeStore());
      const { loop } = await s.detractor();
      expect(await sweepBreaches(s.c.store, Date.parse(due(loop, 4)) + 1)).toBe(1);
      s.clock.t = Date.now();
      await s.move(loop.id, { to: "acknowledged", actor: "agent:ana" });
      const sent = await s.breaches();
      expect(sent).toHaveLength(1);
      expect(sent[0].data.breach).toEqual({ deadline: "acknowledge", due: due(loop, 4) });
    });

    it("a transition in time fires nothing", async () => {
      const s = await setup(3, await makeStore());
      const { loop } = await s.detractor();
      s.clock.t = Date.now();
      await s.move(loop.id, { to: "acknowledged", actor: "agent:ana" });
      expect(await s.breaches()).toEqual([]);
    });

    it("an ack-seen or closure-seen item past the deadline fires it too", async () => {
      // closure-seen, 49 h after the opening: the close deadline (48 h); acknowledged in time.
      const s = await setup(49, await makeStore());
      const closed = await s.detractor("user-42");
      s.clock.t += HOUR;
      await s.move(closed.loop.id, { to: "acknowledged", actor: "agent:ana" });
      await s.move(closed.loop.id, { to: "assigned", actor: "agent:ana", owner: "data" });
      s.clock.t += HOUR;
      await s.move(closed.loop.id, { to: "resolved", actor: "dev:li", message: "Fixed." });
      const token = respondentToken(s.c.sk, "user-42");
      const notice = (
        await s.c.call("GET", `/v1/closures?respondent=user-42&token=${token}`, s.c.pk)
      ).body.closures[0];
      // ack-seen, 5 h after the opening: the acknowledge deadline (4 h).
      s.clock.t = Date.now() - 5 * HOUR;
      const acked = await s.detractor();
      s.clock.t = Date.now();
      await s.ingest({ type: "ack-seen", data: { responseId: acked.responseId } });
      await s.ingest({ type: "closure-seen", data: { noticeId: notice.id } });

      const sent = await s.breaches();
      expect(sent.map((p) => [p.data.loop.id, p.data.breach.deadline, p.data.loop.state])).toEqual(
        expect.arrayContaining([
          [acked.loop.id, "acknowledge", "received"],
          [closed.loop.id, "close", "resolved"],
        ]),
      );
      expect(sent).toHaveLength(2);
      expect(await sweepBreaches(s.c.store, Date.now())).toBe(0);
    });
  });
}

suite("SQLite", async () => undefined);

const unreachable = await probePostgres();
if (unreachable && !pgRequired) {
  console.warn(`late breaches on PostgreSQL skipped: ${PG_URL} unreachable (${unreachable})`);
}
describe.skipIf(unreachable !== undefined && !pgRequired)("on PostgreSQL", () => {
  afterAll(dropSchemas);
  const stores = async (n: number) => {
    if (unreachable) throw new Error(`PostgreSQL at ${PG_URL} is unreachable: ${unreachable}`);
    return pgStores(n);
  };
  suite("PostgreSQL", async () => (await stores(1))[0]);

  it("a sweeper on another pool racing the transitions fires each deadline once", async () => {
    const [a, b] = (await stores(2)) as [CollectorStore, CollectorStore];
    cleanups.push(() => b.close());
    const s = await setup(5, a);
    const M = 12;
    const loops: Json[] = [];
    for (let i = 0; i < M; i++) loops.push((await s.detractor()).loop);
    s.clock.t = Date.now();
    const moves = loops.map((l) => s.move(l.id, { to: "acknowledged", actor: "agent:ana" }));
    const sweeps = [0, 1, 2].map(() => sweepBreaches(b, s.clock.t, 3));
    await Promise.all([...moves, ...sweeps]);
    const sent = await s.breaches();
    expect(sent.map((p) => p.data.loop.id).sort()).toEqual(loops.map((l) => l.id).sort());
  });
});
