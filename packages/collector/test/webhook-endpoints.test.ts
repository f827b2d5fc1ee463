// Managing webhook endpoints over real loopback HTTP, on SQLite and on PostgreSQL: rotating a
// secret (both signatures during the grace, then the new one alone), deleting an endpoint (its
// pending deliveries are never sent, its log goes), and the log showing the exact body sent.

import { verifyWebhook } from "@closeloop/node";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Received, type Receiver, startReceiver } from "../../node/test/webhook-receiver.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { startWebhookWorker } from "../src/webhook-delivery/worker.js";
import { batch, type Running, response, startCollector, survey } from "./collector-harness.js";
import { dropSchemas, PG_URL, pgRequired, pgStores, probePostgres } from "./pg-helper.js";

// biome-ignore lint/suspicious/noExplicitAny: tests probe JSON answers field by field.
type Json = any;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

const DAY = 86_400_000;

interface Setup {
  c: Running;
  rx: Receiver;
  clock: { t: number };
  register(name: string): Promise<string>;
  ingest(score: number): Promise<void>;
  drain(): Promise<void>;
  log(name: string): Promise<{ status: number; body: Json }>;
}

async function setup(store?: CollectorStore): Promise<Setup> {
  const clock = { t: Date.now() };
  const c = await startCollector({ now: () => clock.t, ...(store ? { store } : {}) });
  const rx = await startReceiver();
  cleanups.push(
    () => rx.close(),
    () => c.close(),
  );
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
  const worker = startWebhookWorker({
    store: c.store,
    now: () => clock.t,
    intervalMs: 0,
    onError: (e) => {
      throw e;
    },
  });
  return {
    c,
    rx,
    clock,
    async register(name) {
      const res = await c.call("PUT", `/v1/webhooks/${name}`, c.sk, { url: `${rx.url}/${name}` });
      expect(res.status).toBe(201);
      rx.secrets.set(`/${name}`, res.body.secret);
      return res.body.secret;
    },
    async ingest(score) {
      const res = await c.call(
        "POST",
        "/v1/batch",
        c.sk,
        batch({ type: "response", data: response({ score }) }),
      );
      expect(res.body.accepted).toHaveLength(1);
    },
    async drain() {
      while ((await worker.runOnce()) > 0) {}
    },
    log: (name) => c.call("GET", `/v1/webhooks/${name}/deliveries?limit=500`, c.sk),
  };
}

/** Whether the delivery verifies under `secret` alone. */
function signedBy(r: Received, secret: string): boolean {
  try {
    verifyWebhook(r.body, r.headers, secret);
    return true;
  } catch (e) {
    expect((e as { code?: string }).code).toBe("invalid_signature");
    return false;
  }
}

const signatures = (r: Received) => (r.headers["webhook-signature"] ?? "").split(" ").length;

function suite(name: string, makeStore: () => Promise<CollectorStore | undefined>) {
  describe(`webhook endpoints (${name})`, () => {
    it("rotates a secret: both signatures during the grace, the newest alone after it", async () => {
      const s = await setup(await makeStore());
      const first = await s.register("crm");
      expect((await s.c.call("POST", "/v1/webhooks/crm/rotate", s.c.pk)).status).toBe(403);
      expect((await s.c.call("POST", "/v1/webhooks/nope/rotate", s.c.sk)).status).toBe(404);
      const bad = await s.c.call("POST", "/v1/webhooks/crm/rotate", s.c.sk, { graceSeconds: -1 });
      expect(bad.status).toBe(400);
      const rotate = async (body?: unknown) => {
        const res = await s.c.call("POST", "/v1/webhooks/crm/rotate", s.c.sk, body);
        expect(res.status).toBe(200);
        expect(res.body.secret).toMatch(/^whsec_/);
        s.rx.secrets.set("/crm", res.body.secret);
        return res.body;
      };
      /** Queues one event and answers what the receiver got for it. */
      const deliverOne = async () => {
        s.rx.received.length = 0;
        await s.ingest(9);
        await s.drain();
        expect(s.rx.failures).toEqual([]);
        expect(s.rx.received).toHaveLength(1);
        return s.rx.received[0] as Received;
      };

      // The default grace is a day; every attempt meanwhile carries both signatures.
      const t0 = s.clock.t;
      const rotated = await rotate();
      const second = rotated.secret as string;
      expect(second).not.toBe(first);
      expect(rotated).toMatchObject({
        name: "crm",
        previousSecretExpiresAt: new Date(t0 + DAY).toISOString(),
      });
      const during = await deliverOne();
      expect(signatures(during)).toBe(2);
      expect([signedBy(during, first), signedBy(during, second)]).toEqual([true, true]);
      const log = (await s.log("crm")).body;
      expect(log.endpoint.previousSecretExpiresAt).toBe(new Date(t0 + DAY).toISOString());
      expect(JSON.stringify(log)).not.toContain(first.slice(6));
      expect(JSON.stringify(log)).not.toContain(second.slice(6));
      // Up to the end of the grace, not at it (the claim's clock decides).
      await s.ingest(8);
      const claim = (at: number) =>
        s.c.store.webhooks.claimDeliveries(new Date(at).toISOString(), 1, 1);
      expect((await claim(t0 + DAY - 1))[0]?.previousSecret).toBe(first);
      const after = (await claim(t0 + DAY))[0];
      expect(after?.secret).toBe(second);
      expect(after?.previousSecret).toBeUndefined();
      // Expired, it is erased from the store, not only left unused.
      const envId = (await s.c.store.listEnvironments())[0]?.id as string;
      const stored = await s.c.store.webhooks.getEndpoint(envId, "crm");
      expect(stored?.previousSecretExpiresAt).toBeUndefined();

      // A second rotation forgets the first secret; its own minute of grace runs out.
      const third = (await rotate({ graceSeconds: 60 })).secret as string;
      const overlap = await deliverOne();
      expect([first, second, third].map((k) => signedBy(overlap, k))).toEqual([false, true, true]);
      s.clock.t = t0 + 60_000;
      const lone = await deliverOne();
      expect(signatures(lone)).toBe(1);
      expect([signedBy(lone, second), signedBy(lone, third)]).toEqual([false, true]);
      expect((await s.log("crm")).body.endpoint.previousSecretExpiresAt).toBeUndefined();

      // graceSeconds 0: the old secret is dropped at once (it leaked).
      const fourth = await rotate({ graceSeconds: 0 });
      expect(fourth.previousSecretExpiresAt).toBeUndefined();
      const now = await deliverOne();
      expect([signedBy(now, third), signedBy(now, fourth.secret)]).toEqual([false, true]);
    });

    it("deletes an endpoint: 204, its pending deliveries are never sent and its log goes", async () => {
      const s = await setup(await makeStore());
      await s.register("crm");
      await s.register("ops");
      await s.ingest(9);
      await s.ingest(3);
      // One delivery is in flight (leased by a worker) when the endpoint is deleted.
      const inFlight = await s.c.store.webhooks.claimDeliveries(
        new Date(s.clock.t).toISOString(),
        10,
        60_000,
      );
      const crmLeased = inFlight.find((d) => d.endpoint === "crm");
      expect(crmLeased).toBeDefined();
      expect((await s.c.call("DELETE", "/v1/webhooks/crm", s.c.pk)).status).toBe(403);
      const del = await s.c.call("DELETE", "/v1/webhooks/crm", s.c.sk);
      expect(del.status).toBe(204);
      expect(del.body).toBeUndefined();
      expect((await s.c.call("DELETE", "/v1/webhooks/crm", s.c.sk)).status).toBe(404);
      expect((await s.log("crm")).status).toBe(404);
      expect((await s.c.call("POST", "/v1/webhooks/crm/rotate", s.c.sk)).status).toBe(404);
      // The lease holder cannot record over a deleted delivery.
      const late = await s.c.store.webhooks.recordAttempt(
        crmLeased as NonNullable<typeof crmLeased>,
        { at: new Date(s.clock.t).toISOString(), status: 204, durationMs: 1 },
        { status: "delivered" },
      );
      expect(late).toBe(false);

      // Nothing more goes to it, pending or new; the other endpoint gets everything.
      s.clock.t += 120_000; // past the leases
      await s.ingest(7);
      await s.drain();
      expect(s.rx.received.filter((r) => r.path === "/crm")).toEqual([]);
      const ops = (await s.log("ops")).body.deliveries as Json[];
      expect(ops).toHaveLength(3);
      expect(ops.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
      expect(s.rx.received.filter((r) => r.path === "/ops")).toHaveLength(3);
      expect(s.rx.failures).toEqual([]);

      // The name can be registered again, with a new secret and an empty log.
      await s.register("crm");
      expect((await s.log("crm")).body.deliveries).toEqual([]);
    });

    it("shows in the log the event type and the exact body that was signed and sent", async () => {
      const s = await setup(await makeStore());
      await s.register("crm");
      await s.ingest(2);
      await s.drain();
      const log = (await s.log("crm")).body.deliveries as Json[];
      expect(log.length).toBeGreaterThan(0);
      expect(log).toHaveLength(s.rx.received.length);
      for (const d of log) {
        const sent = s.rx.received.find((r) => r.id === d.id) as Received;
        expect(d.body).toBe(sent.body);
        expect(JSON.parse(d.body)).toEqual(sent.payload);
        expect(JSON.parse(d.body).type).toBe(d.type);
        // What the log shows verifies against the signature that was sent: it can be replayed.
        expect(verifyWebhook(d.body, sent.headers, s.rx.secrets.get("/crm") as string)).toEqual(
          sent.payload,
        );
      }
    });
  });
}

suite("SQLite", async () => undefined);

describe("webhook endpoints: schema step 4 (SQLite)", () => {
  it("upgrades a file written before it: endpoints keep their secret and can rotate", async () => {
    const s = await setup();
    const secret = await s.register("crm");
    const path = s.c.path;
    await (cleanups.pop() as () => Promise<void>)(); // the collector and its store
    const db = new Database(path);
    db.exec(`ALTER TABLE webhook_endpoints DROP COLUMN previous_secret;
      ALTER TABLE webhook_endpoints DROP COLUMN previous_secret_until;
      DELETE FROM schema_migrations WHERE version = 4;`);
    db.close();
    const store = sqliteStore(path);
    cleanups.push(() => store.close());
    await store.migrate();
    const check = new Database(path, { readonly: true });
    const versions = check.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
    check.close();
    expect(versions).toContainEqual({ version: 4 });
    const env = (await store.listEnvironments())[0]?.id as string;
    await store.webhooks.rotateSecret(
      env,
      "crm",
      "whsec_x",
      new Date(s.clock.t + DAY).toISOString(),
      new Date(s.clock.t).toISOString(),
    );
    await store.transaction((tx) =>
      tx.enqueueWebhook(
        env,
        {
          type: "customer.at_risk",
          timestamp: new Date(s.clock.t).toISOString(),
          data: {
            customerId: "c",
            reason: "repeat_detractor",
            at: new Date(s.clock.t).toISOString(),
          },
        },
        new Date(s.clock.t).toISOString(),
      ),
    );
    const [claimed] = await store.webhooks.claimDeliveries(new Date(s.clock.t).toISOString(), 1, 1);
    expect(claimed).toMatchObject({ secret: "whsec_x", previousSecret: secret });
  });
});

const unreachable = await probePostgres();
if (unreachable && !pgRequired) {
  console.warn(`webhook endpoints on PostgreSQL skipped: ${PG_URL} unreachable (${unreachable})`);
}
describe.skipIf(unreachable !== undefined && !pgRequired)("on PostgreSQL", () => {
  afterAll(dropSchemas);
  suite("PostgreSQL", async () => {
    if (unreachable) throw new Error(`PostgreSQL at ${PG_URL} is unreachable: ${unreachable}`);
    return (await pgStores(1))[0];
  });
});
