// Collectors on PostgreSQL through the faults an operator meets: the database crashing and
// coming back mid-ingest, a restart while webhooks are being delivered, replicas starting
// together on an empty database, a SIGTERM mid-ingest. Each runs `closeloop serve` as real
// processes against a PostgreSQL of the file's own (so the shared server is never disturbed),
// counts every item end to end, prints sent / acknowledged / stored / lost, and asserts lost = 0.
import { uuidv7 } from "@closeloop/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardingNps } from "../../core/test/fixtures.js";
import { startReceiver } from "../../node/test/webhook-receiver.js";
import { feedbackPolicy, response } from "./collector-harness.js";
import { bundleCli, type CollectorProcess, serveProcess } from "./collector-process.js";
import { feedbackItem, type Load, startLoad, tally } from "./fault-load.js";
import { type OwnPostgres, ownPostgresFor, startOwnPostgres } from "./own-postgres.js";

const missing = ownPostgresFor("PostgreSQL fault tests");
const KEYS = {
  CLOSELOOP_PUBLIC_KEY: "pk_test_faults_0123456789ab",
  CLOSELOOP_SECRET_KEY: "sk_test_faults_0123456789ab",
};
const pk = KEYS.CLOSELOOP_PUBLIC_KEY;
const sk = KEYS.CLOSELOOP_SECRET_KEY;

let server: OwnPostgres;
let cli: string;
const running: CollectorProcess[] = [];

beforeAll(async () => {
  cli = await bundleCli("faults-postgres");
  if (missing === undefined) server = await startOwnPostgres();
}, 120_000);

afterAll(async () => {
  for (const c of running) c.child.kill("SIGKILL");
  await server?.remove();
});

async function serve(url: string, env: Record<string, string> = KEYS): Promise<CollectorProcess> {
  // The timeouts as an operator would set them; the defaults are 5 s and 30 s.
  const flags = ["--connect-timeout", "3", "--statement-timeout", "20"];
  const c = await serveProcess(cli, ["--postgres", url, ...flags], env);
  running.push(c);
  return c;
}

async function call(base: string, method: string, path: string, key?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Every id in `table` of the database at `url`. */
async function idsIn(url: string, table: string): Promise<Set<string>> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM ${pg.escapeIdentifier(table)}`,
    );
    return new Set(rows.map((r) => r.id));
  } finally {
    await client.end();
  }
}

/** Waits until `load` has had `more` items acknowledged beyond what it had. */
async function acknowledgedMore(load: Load, more: number): Promise<void> {
  const target = load.acknowledged.length + more;
  await expect
    .poll(() => load.acknowledged.length >= target, { timeout: 60_000, interval: 100 })
    .toBe(true);
}

describe.skipIf(missing !== undefined)("collectors on PostgreSQL, through faults", () => {
  it("survives an immediate stop and start of PostgreSQL mid-ingest: 503 with Retry-After meanwhile, then serves again; nothing acknowledged lost", async () => {
    const url = await server.createDatabase("crash_mid_ingest");
    const c = await serve(url);
    expect((await call(c.url, "PUT", "/v1/feedback-policy", sk, feedbackPolicy())).status).toBe(
      200,
    );
    const load = startLoad({ url: () => c.url, key: pk, item: feedbackItem });
    await acknowledgedMore(load, 300);

    await server.stop("immediate");
    // While it is down: batches are answered 503 with Retry-After, and /healthz names the store.
    await expect.poll(() => load.retryAfters, { timeout: 20_000 }).toBeGreaterThan(0);
    const health = await call(c.url, "GET", "/healthz");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, store: "postgres" });
    await new Promise((r) => setTimeout(r, 1_500));
    await server.start();

    await acknowledgedMore(load, 300);
    await load.stop();
    expect((await call(c.url, "GET", "/healthz")).status).toBe(200);
    const counts = tally("postgres immediate stop+start", load, await idsIn(url, "feedback"));
    console.log("  answers other than 200:", Object.fromEntries(load.failures));
    expect(counts.lost).toBe(0);
    expect(counts.acknowledged).toBe(counts.sent);
    expect(load.rejected).toStrictEqual([]);
    // Every failure was an answer: the collector never dropped a connection, nor exited.
    expect(load.failures.get("network")).toBeUndefined();
    expect(load.failures.get("503")).toBeGreaterThan(0);
    expect(c.child.exitCode).toBeNull();
    c.child.kill("SIGTERM");
    expect(await c.exited).toStrictEqual({ code: 0, signal: null });
  }, 120_000);

  it("delivers every webhook once through a PostgreSQL restart mid-delivery", async () => {
    const url = await server.createDatabase("webhooks_restart");
    const c = await serve(url);
    const receiver = await startReceiver();
    try {
      expect(
        (await call(c.url, "PUT", "/v1/surveys/onboarding-nps", sk, onboardingNps())).status,
      ).toBe(201);
      const hook = await call(c.url, "PUT", "/v1/webhooks/crm", sk, {
        url: `${receiver.url}/crm`,
        events: ["response.received"],
      });
      expect(hook.status).toBeLessThan(300);
      receiver.secrets.set("/crm", hook.body.secret);
      const load = startLoad({
        url: () => c.url,
        key: pk,
        item: (n) => ({
          type: "response",
          idempotencyKey: uuidv7(),
          data: response(
            { score: n % 11 },
            { anonymousId: `anon-fault-${String(n).padStart(8, "0")}` },
          ),
        }),
      });
      // Restart once deliveries are flowing, with more responses queued behind them.
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(40);
      await server.stop("immediate");
      await new Promise((r) => setTimeout(r, 1_500));
      await server.start();
      await acknowledgedMore(load, 100);
      await load.stop();

      const acknowledged = new Set(load.acknowledged);
      const deliveredFor = () =>
        new Set(
          receiver.received.map(
            (r) => (r.payload.data as { response: { id: string } }).response.id,
          ),
        );
      await expect
        .poll(() => [...acknowledged].filter((id) => !deliveredFor().has(id)).length, {
          timeout: 90_000,
          interval: 250,
        })
        .toBe(0);
      const counts = tally("webhooks through a restart", load, await idsIn(url, "responses"));
      const byWebhookId = new Map<string, number>();
      for (const r of receiver.received) byWebhookId.set(r.id, (byWebhookId.get(r.id) ?? 0) + 1);
      const twice = [...byWebhookId.values()].filter((n) => n > 1).length;
      console.log(
        `  webhooks: ${acknowledged.size} responses acknowledged / ${byWebhookId.size} delivered / ${twice} delivered twice`,
      );
      expect(counts.lost).toBe(0);
      expect(receiver.failures).toStrictEqual([]);
      expect(twice).toBe(0);
      expect(receiver.received.length).toBe(byWebhookId.size);
      expect(byWebhookId.size).toBe(deliveredFor().size);
      expect(c.child.exitCode).toBeNull();
    } finally {
      await receiver.close();
      c.child.kill("SIGTERM");
      await c.exited;
    }
  }, 180_000);

  it("starts 4 replicas together on an empty database: one environment, one set of keys printed, every replica serves", async () => {
    const url = await server.createDatabase("replicas_together");
    const replicas = await Promise.all(Array.from({ length: 4 }, () => serve(url, {})));
    const printers = replicas.filter((r) => r.publicKey !== undefined);
    expect(printers).toHaveLength(1);
    const { publicKey, secretKey } = printers[0] as CollectorProcess;
    const client = new pg.Client(url);
    await client.connect();
    const envs = await client.query("SELECT id FROM environments");
    const keys = await client.query("SELECT kind FROM keys ORDER BY kind");
    await client.end();
    expect(envs.rowCount).toBe(1);
    expect(keys.rows).toStrictEqual([{ kind: "public" }, { kind: "secret" }]);

    // Every replica takes the keys the one first start printed.
    const base = replicas[0] as CollectorProcess;
    expect(
      (await call(base.url, "PUT", "/v1/feedback-policy", secretKey, feedbackPolicy())).status,
    ).toBe(200);
    let turn = 0;
    const load = startLoad({
      url: () => (replicas[turn++ % replicas.length] as CollectorProcess).url,
      key: publicKey as string,
      item: feedbackItem,
    });
    await acknowledgedMore(load, 400);
    await load.stop();
    const counts = tally("4 replicas started together", load, await idsIn(url, "feedback"));
    expect(counts.lost).toBe(0);
    expect(counts.acknowledged).toBe(counts.sent);
    expect(load.failures.size).toBe(0);
    for (const r of replicas) r.child.kill("SIGTERM");
    for (const r of replicas) expect(await r.exited).toStrictEqual({ code: 0, signal: null });
  }, 120_000);

  it("drains on SIGTERM mid-ingest: exits 0 within 10 s, the next collector takes over, nothing acknowledged lost", async () => {
    const url = await server.createDatabase("sigterm_mid_ingest");
    const first = await serve(url);
    expect((await call(first.url, "PUT", "/v1/feedback-policy", sk, feedbackPolicy())).status).toBe(
      200,
    );
    // A rolling restart: the next collector starts, then the old one is told to stop.
    const next = await serve(url);
    let current = first;
    const load = startLoad({ url: () => current.url, key: pk, item: feedbackItem, senders: 6 });
    await acknowledgedMore(load, 300);
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    current = next;
    const exit = await first.exited;
    const drainMs = Date.now() - signalled;
    await acknowledgedMore(load, 200);
    await load.stop();
    const counts = tally("SIGTERM mid-ingest", load, await idsIn(url, "feedback"));
    console.log(
      `  drained in ${drainMs} ms; answers other than 200:`,
      Object.fromEntries(load.failures),
    );
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(first.lines).toContain("closeloop collector stopped (SIGTERM)");
    expect(drainMs).toBeLessThan(12_000);
    expect(counts.lost).toBe(0);
    expect(counts.acknowledged).toBe(counts.sent);
    next.child.kill("SIGTERM");
    expect(await next.exited).toStrictEqual({ code: 0, signal: null });
  }, 120_000);
});
