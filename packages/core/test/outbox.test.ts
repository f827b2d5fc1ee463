// The outbox and the HTTP transport under injected HTTP faults (msw), on a fake clock.
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type BatchItem,
  type CloseloopEvents,
  createHttpTransport,
  createHttpTransportUnchecked,
  createOutbox,
  createOutboxUnchecked,
  type DeliveryError,
  memoryQueueStore,
  type OutboxOptions,
  QueueClosedError,
  type QueueStore,
  ValidationError,
} from "../src/index.js";
import { FakeClock, settle } from "./fake-clock.js";

const ENDPOINT = "http://collector.test";
interface Seen {
  keys: string[];
  keepalive: boolean;
  auth: string | null;
  bytes: number;
}
type Reply = (items: BatchItem[]) => Response | Promise<Response>;

const seen: Seen[] = [];
let replies: Reply[] = [];
/** Accepts every item, with the id `id-<key>`. */
const ok: Reply = (items) =>
  HttpResponse.json({
    accepted: items.map((it, index) => ({
      index,
      id: `id-${it.idempotencyKey}`,
      duplicate: false,
    })),
    rejected: [],
  });

const server = setupServer(
  http.post(`${ENDPOINT}/v1/batch`, async ({ request }) => {
    const text = await request.text();
    const { items } = JSON.parse(text) as { items: BatchItem[] };
    seen.push({
      keys: items.map((i) => i.idempotencyKey),
      keepalive: request.keepalive,
      auth: request.headers.get("authorization"),
      bytes: text.length,
    });
    return (replies.shift() ?? ok)(items);
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  seen.length = 0;
  replies = [];
});
afterAll(() => server.close());

function setup(overrides: Partial<OutboxOptions> = {}) {
  const clock = new FakeClock();
  const store = overrides.store ?? memoryQueueStore();
  const outbox = createOutbox({
    store,
    transport: createHttpTransport({ endpoint: ENDPOINT, key: "pk_test" }),
    clock,
    random: () => 0.5,
    batch: { maxItems: 10, intervalMs: 1_000 },
    retry: { baseMs: 1_000, maxMs: 60_000 },
    ...overrides,
  });
  const events = {
    delivered: [] as Parameters<CloseloopEvents["response:delivered"]>[0][],
    failed: [] as Parameters<CloseloopEvents["delivery:failed"]>[0][],
    dropped: [] as Parameters<CloseloopEvents["delivery:dropped"]>[0][],
    queued: [] as BatchItem[],
  };
  outbox.bus.on("response:delivered", (e) => events.delivered.push(e));
  outbox.bus.on("delivery:failed", (e) => events.failed.push(e));
  outbox.bus.on("delivery:dropped", (e) => events.dropped.push(e));
  outbox.bus.on("response:queued", (e) => events.queued.push(e.item));
  return { clock, store, outbox, events };
}

const feedback = (n: number, extra: Record<string, unknown> = {}) => ({
  type: "feedback" as const,
  idempotencyKey: `k${n}`,
  data: { channel: "support", text: `item ${n}`, ...extra },
});
const status = (code: number, headers: Record<string, string> = {}, body?: unknown): Reply => {
  return () =>
    body === undefined
      ? new HttpResponse(null, { status: code, headers })
      : HttpResponse.json(body, { status: code, headers });
};

describe("createOutbox: delivery", () => {
  it("batches waiting items, sends them with the key and their idempotency keys, and empties the store", async () => {
    const { outbox, events, store } = setup();
    for (let i = 0; i < 3; i++) await outbox.enqueue(feedback(i));
    expect(events.queued.map((i) => i.idempotencyKey)).toEqual(["k0", "k1", "k2"]);
    expect(await outbox.flush()).toBe(true);
    expect(seen).toEqual([
      {
        keys: ["k0", "k1", "k2"],
        keepalive: false,
        auth: "Bearer pk_test",
        bytes: expect.any(Number),
      },
    ]);
    expect(events.delivered.map((e) => [e.id, e.duplicate])).toEqual([
      ["id-k0", false],
      ["id-k1", false],
      ["id-k2", false],
    ]);
    expect(await store.count()).toBe(0);
  });

  it("gives every item an idempotency key of its own when the caller has none", async () => {
    const { outbox } = setup();
    const a = await outbox.enqueue({ type: "feedback", data: { text: "a" } });
    const b = await outbox.enqueue({ type: "feedback", data: { text: "b" } });
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.idempotencyKey).not.toBe(a.idempotencyKey);
  });

  it("sends on its own after intervalMs, and at once when a batch is full", async () => {
    const { outbox, clock, events } = setup();
    await outbox.enqueue(feedback(0));
    await settle();
    expect(seen).toHaveLength(0);
    await clock.advance(999);
    expect(seen).toHaveLength(0);
    await clock.advance(1);
    expect(seen.map((s) => s.keys)).toEqual([["k0"]]);
    for (let i = 1; i <= 10; i++) await outbox.enqueue(feedback(i));
    await settle();
    expect(seen[1]?.keys).toHaveLength(10);
    expect(events.delivered).toHaveLength(11);
  });

  it("splits by maxItems and maxBytes", async () => {
    const { outbox } = setup({ batch: { maxItems: 4, maxBytes: 400 } });
    for (let i = 0; i < 9; i++) await outbox.enqueue(feedback(i, { pad: "x".repeat(50) }));
    expect(await outbox.flush()).toBe(true);
    for (const s of seen) expect(s.keys.length).toBeLessThanOrEqual(4);
    expect(seen.flatMap((s) => s.keys)).toEqual(Array.from({ length: 9 }, (_, i) => `k${i}`));
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it("reports a replayed key as a duplicate with the first id", async () => {
    const { outbox, events } = setup();
    replies = [
      () =>
        HttpResponse.json({
          accepted: [{ index: 0, id: "first-id", duplicate: true }],
          rejected: [],
        }),
    ];
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    expect(events.delivered).toEqual([
      expect.objectContaining({ id: "first-id", duplicate: true }),
    ]);
  });
});

describe("createOutbox: retries", () => {
  it("retries a 500 with full-jitter backoff, sending the same keys again", async () => {
    const { outbox, events, clock } = setup();
    replies = [status(500), status(503), ok];
    await outbox.enqueue(feedback(0));
    await outbox.enqueue(feedback(1));
    expect(await outbox.flush()).toBe(false);
    // random() = 0.5: half of base·2^(attempt−1).
    expect(events.failed.map((f) => [f.attempt, f.retryInMs, f.error.status])).toEqual([
      [1, 500, 500],
    ]);
    await clock.advance(500);
    expect(events.failed.map((f) => [f.attempt, f.retryInMs])).toEqual([
      [1, 500],
      [2, 1_000],
    ]);
    await clock.advance(1_000);
    expect(seen.map((s) => s.keys)).toEqual([
      ["k0", "k1"],
      ["k0", "k1"],
      ["k0", "k1"],
    ]);
    expect(events.delivered).toHaveLength(2);
    expect(events.dropped).toHaveLength(0);
  });

  it("keeps the backoff ceiling at maxMs", async () => {
    const { outbox, events, clock } = setup({ retry: { baseMs: 1_000, maxMs: 4_000 } });
    replies = Array(6).fill(status(502));
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    for (let i = 0; i < 5; i++) await clock.advance(60_000);
    expect(events.failed.map((f) => f.retryInMs)).toEqual([500, 1_000, 2_000, 2_000, 2_000, 2_000]);
  });

  it.each([408, 425, 429, 500, 502, 503, 504, 599])("retries HTTP %i", async (code) => {
    const { outbox, events } = setup();
    replies = [status(code)];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    expect(events.failed[0]?.error.status).toBe(code);
    expect(events.dropped).toHaveLength(0);
    expect(await outbox.flush()).toBe(true);
    expect(events.delivered).toHaveLength(1);
  });

  it("honours Retry-After in seconds: no send before it, even on flush()", async () => {
    const { outbox, events, clock } = setup();
    replies = [status(429, { "retry-after": "7" })];
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    expect(events.failed[0]?.retryInMs).toBe(7_000);
    await clock.advance(6_999);
    expect(await outbox.flush()).toBe(false);
    expect(seen).toHaveLength(1);
    await clock.advance(1);
    expect(seen).toHaveLength(2);
    expect(events.delivered).toHaveLength(1);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    const { outbox, events } = setup();
    const at = new Date(Date.now() + 30_000).toUTCString();
    replies = [status(503, { "retry-after": at })];
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    const wait = events.failed[0]?.retryInMs ?? 0;
    // An HTTP-date has one-second resolution and the test takes a little real time.
    expect(wait).toBeGreaterThan(27_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it("retries network errors", async () => {
    const { outbox, events } = setup();
    replies = [() => HttpResponse.error()];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    expect(events.failed[0]?.error.code).toBe("network");
    expect(await outbox.flush()).toBe(true);
  });

  it("retries a request that times out", async () => {
    const clock = new FakeClock();
    const outbox = createOutbox({
      store: memoryQueueStore(),
      transport: createHttpTransport({ endpoint: ENDPOINT, key: "pk", timeoutMs: 50 }),
      clock,
      random: () => 0.5,
    });
    const failed: DeliveryError[] = [];
    outbox.bus.on("delivery:failed", (e) => failed.push(e.error));
    replies = [
      async (items) => {
        await delay(2_000);
        return ok(items);
      },
    ];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    expect(failed.map((e) => e.code)).toEqual(["timeout"]);
    expect(await outbox.flush()).toBe(true);
  });

  it("retries a 200 whose body is not a batch result", async () => {
    const { outbox, events } = setup();
    replies = [() => HttpResponse.text("<html>proxy</html>", { status: 200 })];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    expect(events.failed[0]?.error.code).toBe("bad_response");
    expect(await outbox.flush()).toBe(true);
  });

  it("sends again the items the collector's answer left out", async () => {
    const { outbox, events } = setup();
    replies = [
      () =>
        HttpResponse.json({ accepted: [{ index: 0, id: "a", duplicate: false }], rejected: [] }),
    ];
    await outbox.enqueue(feedback(0));
    await outbox.enqueue(feedback(1));
    expect(await outbox.flush()).toBe(true);
    expect(seen.map((s) => s.keys)).toEqual([["k0", "k1"], ["k1"]]);
    expect(events.delivered.map((e) => e.item.idempotencyKey)).toEqual(["k0", "k1"]);
  });

  it("keeps order across failures: nothing after a failing batch goes first", async () => {
    const { outbox, clock } = setup({ batch: { maxItems: 2, intervalMs: 10 } });
    replies = [ok, status(500), status(500), ok];
    for (let i = 0; i < 6; i++) await outbox.enqueue(feedback(i, { respondent: "u-1" }));
    await outbox.flush();
    await clock.advance(10_000);
    await outbox.flush();
    const firstSeen = [...new Set(seen.flatMap((s) => s.keys))];
    expect(firstSeen).toEqual(["k0", "k1", "k2", "k3", "k4", "k5"]);
  });
});

describe("createOutbox: drops, always announced", () => {
  it("drops only the item a 200 answer rejects, with its error and issues", async () => {
    const { outbox, events, store } = setup();
    const issues = [{ path: "text", code: "too_small", message: "must not be empty" }];
    replies = [
      () =>
        HttpResponse.json({
          accepted: [
            { index: 0, id: "a", duplicate: false },
            { index: 2, id: "c", duplicate: false },
          ],
          rejected: [{ index: 1, code: "invalid", message: "Invalid feedback", issues }],
        }),
    ];
    for (let i = 0; i < 3; i++) await outbox.enqueue(feedback(i));
    expect(await outbox.flush()).toBe(true);
    expect(events.dropped).toEqual([
      {
        item: expect.objectContaining({ idempotencyKey: "k1" }),
        error: { code: "invalid", message: "Invalid feedback", issues },
      },
    ]);
    expect(events.delivered.map((e) => e.item.idempotencyKey)).toEqual(["k0", "k2"]);
    expect(await store.count()).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it("drops a batch a 400 refuses, each item with the server's error", async () => {
    const { outbox, events } = setup();
    replies = [
      status(400, {}, { error: { code: "malformed", message: "items[0].type is wrong" } }),
    ];
    await outbox.enqueue(feedback(0));
    await outbox.enqueue(feedback(1));
    expect(await outbox.flush()).toBe(true);
    expect(events.dropped.map((d) => [d.item.idempotencyKey, d.error])).toEqual([
      ["k0", { status: 400, code: "malformed", message: "items[0].type is wrong" }],
      ["k1", { status: 400, code: "malformed", message: "items[0].type is wrong" }],
    ]);
    expect(events.failed).toHaveLength(0);
  });

  it.each([401, 403])(
    "keeps the items when the collector refuses the key or origin (HTTP %i), backs off, and delivers once it is fixed",
    async (code) => {
      const { outbox, events, clock } = setup({ retry: { maxAttempts: 2 } });
      replies = Array(10).fill(status(code));
      await outbox.enqueue(feedback(0));
      expect(await outbox.flush()).toBe(false);
      expect(events.dropped).toHaveLength(0);
      expect(events.failed[0]?.error).toMatchObject({ status: code, code: `http_${code}` });
      expect(await outbox.pending()).toBe(1);
      // Past maxAttempts: still kept, still backing off.
      for (let i = 0; i < 2; i++) {
        await clock.advance(events.failed.at(-1)?.retryInMs ?? 0);
        await outbox.flush();
      }
      expect(seen.length).toBeGreaterThan(2);
      expect(events.dropped).toHaveLength(0);
      expect(await outbox.pending()).toBe(1);
      replies = []; // fixed: the collector takes the key now
      expect(await outbox.flush()).toBe(true);
      expect(events.delivered.map((d) => d.item.idempotencyKey)).toEqual(["k0"]);
    },
  );

  it.each([404, 422, 501, 505])("does not retry HTTP %i", async (code) => {
    const { outbox, events } = setup();
    replies = [status(code)];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(true);
    expect(events.dropped[0]?.error).toEqual({
      status: code,
      code: `http_${code}`,
      message: `the collector answered HTTP ${code}`,
    });
    expect(seen).toHaveLength(1);
  });

  it("halves a batch the collector finds too large (413) instead of dropping it", async () => {
    const { outbox, events } = setup();
    replies = [status(413), status(413)];
    for (let i = 0; i < 8; i++) await outbox.enqueue(feedback(i));
    expect(await outbox.flush()).toBe(true);
    expect(seen.map((s) => s.keys.length)).toEqual([8, 4, 2, 2, 2, 2]);
    expect(events.delivered).toHaveLength(8);
    expect(events.dropped).toHaveLength(0);
  });

  it("drops a single item the collector finds too large, with the 413", async () => {
    const { outbox, events } = setup();
    replies = [status(413)];
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    expect(events.dropped[0]?.error.status).toBe(413);
  });

  it("drops after maxAttempts, saying how many", async () => {
    const { outbox, events, clock } = setup({ retry: { maxAttempts: 3 } });
    replies = Array(3).fill(status(503));
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    await clock.advance(60_000);
    expect(seen).toHaveLength(3);
    expect(events.dropped).toHaveLength(1);
    expect(events.dropped[0]?.error.message).toMatch(/gave up after 3 attempts/);
    expect(await outbox.pending()).toBe(0);
  });

  it("drops items older than maxAgeMs without sending them", async () => {
    const { outbox, events, clock } = setup({ retry: { maxAgeMs: 60_000 } });
    replies = [status(429, { "retry-after": "120" })];
    await outbox.enqueue(feedback(0));
    await outbox.flush();
    await clock.advance(120_000);
    expect(seen).toHaveLength(1);
    expect(events.dropped.map((d) => d.error.code)).toEqual(["expired"]);
  });
});

describe("createOutbox: the host is safe", () => {
  it("refuses bad items with a ValidationError naming each field", async () => {
    const { outbox } = setup();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const cases: [unknown, string[]][] = [
      [{ type: "nope", data: {} }, ["type"]],
      [{ type: "feedback", data: [] }, ["data"]],
      [{ type: "feedback", data: circular }, ["data"]],
      [{ type: "feedback", data: { n: 1n } }, ["data"]],
      [{ type: "feedback", data: {}, idempotencyKey: "" }, ["idempotencyKey"]],
      [
        { type: 1, data: null, idempotencyKey: "x".repeat(201) },
        ["type", "data", "idempotencyKey"],
      ],
    ];
    for (const [input, paths] of cases) {
      const err = await outbox.enqueue(input as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual(paths);
    }
    expect(await outbox.pending()).toBe(0);
  });

  it("refuses bad options with every problem named", () => {
    const err = (() => {
      try {
        createOutbox({
          store: undefined as never,
          transport: undefined as never,
          batch: { maxItems: 0, intervalMs: -1 },
          retry: { baseMs: Number.NaN },
        });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(err?.issues.map((i) => i.path)).toEqual([
      "store",
      "transport",
      "batch.maxItems",
      "batch.intervalMs",
      "retry.baseMs",
    ]);
    expect(() => createHttpTransport({ endpoint: "collector.test", key: "" })).toThrow(
      ValidationError,
    );
  });

  it("rejects enqueue when the store cannot keep the item, so the caller knows", async () => {
    const full: QueueStore = {
      ...memoryQueueStore(),
      append: () => Promise.reject(new Error("full")),
    };
    const { outbox, events } = setup({ store: full });
    await expect(outbox.enqueue(feedback(0))).rejects.toThrow("full");
    expect(events.queued).toHaveLength(0);
  });

  it("survives a store that fails while sending: reports, backs off, delivers later", async () => {
    const base = memoryQueueStore();
    let fail = true;
    const flaky: QueueStore = {
      ...base,
      peek: (l) => (fail ? Promise.reject(new Error("disk on fire")) : base.peek(l)),
    };
    const { outbox, events, clock } = setup({ store: flaky });
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    expect(events.failed[0]?.error).toEqual({ code: "outbox_error", message: "disk on fire" });
    fail = false;
    await clock.advance(60_000);
    expect(events.delivered).toHaveLength(1);
  });

  it("keeps delivering when a listener throws", async () => {
    const { outbox, events, store } = setup();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      outbox.bus.on("response:delivered", () => {
        throw new Error("host bug");
      });
      await outbox.enqueue(feedback(0));
      await outbox.enqueue(feedback(1));
      expect(await outbox.flush()).toBe(true);
    } finally {
      console.error = original;
    }
    expect(seen).toHaveLength(1);
    expect(await store.count()).toBe(0);
    expect(events.delivered).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });

  it("asks the store for at most one batch at a time (items wait there, not in memory)", async () => {
    const base = memoryQueueStore();
    const limits: number[] = [];
    const spy: QueueStore = {
      ...base,
      peek: (l) => {
        limits.push(l.maxItems);
        return base.peek(l);
      },
    };
    const { outbox } = setup({ store: spy, batch: { maxItems: 25 } });
    for (let i = 0; i < 200; i++) await outbox.enqueue(feedback(i));
    await outbox.flush();
    expect(Math.max(...limits)).toBe(25);
    expect(seen.flatMap((s) => s.keys)).toHaveLength(200);
  });

  it("accept answers with the store's own promise: appends a store groups share one, none per item", async () => {
    // A store that groups the appends of one synchronous run, as the file store groups a write.
    const base = memoryQueueStore();
    let group: Promise<void> | undefined;
    const grouping: QueueStore = {
      ...base,
      append(item, at) {
        void base.append(item, at);
        group ??= Promise.resolve().then(() => {
          group = undefined;
        });
        return group;
      },
    };
    const { outbox, events, store } = setup({ store: grouping });
    const accepted = Array.from({ length: 30 }, (_, i) => outbox.accept(feedback(i)));
    expect(new Set(accepted).size).toBe(1);
    await Promise.all(accepted);
    expect(events.queued.map((i) => i.idempotencyKey)).toEqual(
      Array.from({ length: 30 }, (_, i) => `k${i}`),
    );
    // enqueue on the same store still resolves each call with its own item.
    const [a, b] = await Promise.all([outbox.enqueue(feedback(30)), outbox.enqueue(feedback(31))]);
    expect([a.idempotencyKey, b.idempotencyKey]).toEqual(["k30", "k31"]);
    expect(await outbox.flush()).toBe(true);
    expect(seen.flatMap((s) => s.keys)).toEqual(Array.from({ length: 32 }, (_, i) => `k${i}`));
    expect(await store.count()).toBe(0);
  });

  it("accept rejects like enqueue: a bad item, a store that cannot keep it, a closed outbox", async () => {
    const full: QueueStore = {
      ...memoryQueueStore(),
      append: () => Promise.reject(new Error("disk full")),
    };
    const { outbox } = setup({ store: full });
    await expect(outbox.accept({ type: "nope" } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(outbox.accept(feedback(1))).rejects.toThrow("disk full");
    await outbox.close({ timeoutMs: 10 });
    await expect(outbox.accept(feedback(2))).rejects.toBeInstanceOf(QueueClosedError);
  });

  it("unrefs its background timers so a Node process may exit", async () => {
    const { outbox, clock } = setup();
    await outbox.enqueue(feedback(0));
    expect(clock.unrefed.size).toBe(1);
  });
});

describe("createOutbox: flush, keepalive, lock and close", () => {
  it("with keepalive sends the newest ≤ 60 KB this page enqueued, flagged keepalive, and the rest later, each reported once", async () => {
    const { outbox, store, events } = setup({ batch: { maxItems: 100 } });
    for (let i = 0; i < 30; i++) await outbox.enqueue(feedback(i, { pad: "x".repeat(4_000) }));
    expect(await outbox.flush({ keepalive: true })).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.keepalive).toBe(true);
    expect(seen[0]?.bytes).toBeLessThanOrEqual(64 * 1024);
    const onExit = seen[0]?.keys ?? [];
    expect(onExit.length).toBeGreaterThan(10);
    expect(onExit.at(-1)).toBe("k29"); // the newest
    expect(events.delivered.map((e) => e.item.idempotencyKey)).toEqual(onExit);
    expect(await store.count()).toBe(30); // copies stay stored until a pass removes them
    expect(await outbox.flush()).toBe(true);
    const later = seen.slice(1).flatMap((s) => s.keys);
    expect(later.filter((k) => onExit.includes(k))).toEqual([]);
    expect(later).toHaveLength(30 - onExit.length);
    expect(new Set(events.delivered.map((e) => e.item.idempotencyKey)).size).toBe(30);
    expect(events.delivered).toHaveLength(30);
    expect(await store.count()).toBe(0);
  });

  it("starts the keepalive request before flush() returns, even when store reads never finish", async () => {
    const base = memoryQueueStore();
    const stuck: QueueStore = { ...base, peek: () => new Promise(() => {}) };
    let started = 0;
    const clock = new FakeClock();
    const outbox = createOutbox({
      store: stuck,
      clock,
      transport: createHttpTransport({
        endpoint: ENDPOINT,
        key: "pk",
        fetch: (url, init) => {
          started++;
          return fetch(url, init as RequestInit);
        },
      }),
    });
    await outbox.enqueue(feedback(0));
    await outbox.enqueue(feedback(1));
    const flushed = outbox.flush({ keepalive: true });
    expect(started).toBe(1); // synchronously: the page may end at the next task
    await flushed;
    expect(seen.map((s) => [s.keys, s.keepalive])).toEqual([[["k0", "k1"], true]]);
  });

  it("gives a failed keepalive send's items back, delivered later and reported once", async () => {
    const { outbox, events } = setup();
    replies = [() => HttpResponse.error()];
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush({ keepalive: true })).toBe(false);
    expect(events.delivered).toHaveLength(0);
    expect(await outbox.flush()).toBe(true);
    expect(events.delivered.map((e) => e.item.idempotencyKey)).toEqual(["k0"]);
    // The page-exit buffer has it again, so a second exit would send it too.
    await outbox.enqueue(feedback(1));
    await outbox.flush({ keepalive: true });
    expect(seen.at(-1)?.keys).toEqual(["k1"]);
  });

  it("with pageExit: false keeps no item in memory: a keepalive flush sends from the store", async () => {
    const { outbox, store, events } = setup({ pageExit: false, batch: { maxItems: 100 } });
    for (let i = 0; i < 30; i++) await outbox.accept(feedback(i, { pad: "x".repeat(4_000) }));
    expect(await outbox.flush({ keepalive: true })).toBe(false);
    expect(seen.every((s) => s.keepalive)).toBe(true);
    // The oldest first, as a store pass sends: with a page-exit buffer the newest would go.
    expect(seen[0]?.keys[0]).toBe("k0");
    expect(seen.reduce((n, s) => n + s.bytes, 0)).toBeLessThanOrEqual(64 * 1024);
    const sent = seen.flatMap((s) => s.keys);
    expect(await store.count()).toBe(30 - sent.length);
    expect(await outbox.flush()).toBe(true);
    expect(events.delivered.map((e) => e.item.idempotencyKey)).toEqual(
      Array.from({ length: 30 }, (_, i) => `k${i}`),
    );
  });

  it("with keepalive and nothing new on this page, sends ≤ 60 KB from the store", async () => {
    const store = memoryQueueStore();
    for (let i = 0; i < 30; i++)
      await store.append({ ...feedback(i), data: { pad: "x".repeat(4_000) } }, Date.now());
    const { outbox } = setup({ store, batch: { maxItems: 100 } });
    expect(await outbox.flush({ keepalive: true })).toBe(false);
    expect(seen.every((s) => s.keepalive)).toBe(true);
    expect(seen.reduce((n, s) => n + s.bytes, 0)).toBeLessThanOrEqual(64 * 1024);
    expect(await store.count()).toBe(30 - seen.flatMap((s) => s.keys).length);
  });

  it("sends nothing while another holder has the flush lock", async () => {
    let held = true;
    const lock = async <T>(fn: () => Promise<T>) => (held ? undefined : fn());
    const { outbox, clock } = setup({ lock });
    await outbox.enqueue(feedback(0));
    expect(await outbox.flush()).toBe(false);
    await clock.advance(5_000);
    expect(seen).toHaveLength(0);
    held = false;
    await clock.advance(1_000);
    expect(seen).toHaveLength(1);
  });

  it("shares one flush between concurrent callers (one request)", async () => {
    const { outbox } = setup();
    await outbox.enqueue(feedback(0));
    const results = await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    expect(results).toEqual([true, true, true]);
    expect(seen).toHaveLength(1);
  });

  it("close() drains through retries, then refuses new items", async () => {
    // The real clock: close() waits out the backoff itself.
    const outbox = createOutbox({
      store: memoryQueueStore(),
      transport: createHttpTransport({ endpoint: ENDPOINT, key: "pk" }),
      retry: { baseMs: 5, maxMs: 20 },
    });
    const delivered: string[] = [];
    outbox.bus.on("response:delivered", (e) => delivered.push(e.item.idempotencyKey));
    replies = [status(503), status(503)];
    for (let i = 0; i < 3; i++) await outbox.enqueue(feedback(i));
    expect(await outbox.close({ timeoutMs: 5_000 })).toEqual({ remaining: 0 });
    expect(delivered).toEqual(["k0", "k1", "k2"]);
    expect(seen).toHaveLength(3);
    await expect(outbox.enqueue(feedback(9))).rejects.toThrow(QueueClosedError);
  });

  it("close() gives up at its timeout and says how many items remain stored", async () => {
    const store = memoryQueueStore();
    const outbox = createOutbox({
      store,
      transport: createHttpTransport({ endpoint: ENDPOINT, key: "pk" }),
      retry: { baseMs: 10, maxMs: 20 },
    });
    replies = Array(1_000).fill(status(503));
    for (let i = 0; i < 4; i++) await outbox.enqueue(feedback(i));
    expect(await outbox.close({ timeoutMs: 200 })).toEqual({ remaining: 4 });
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe("the unchecked constructors (for an SDK that checked its own options)", () => {
  it("deliver as the checked ones do, with the same defaults, and key items without checking them", async () => {
    const clock = new FakeClock();
    const outbox = createOutboxUnchecked({
      store: memoryQueueStore(),
      transport: createHttpTransportUnchecked({ endpoint: ENDPOINT, key: "pk_test" }),
      clock,
    });
    const delivered: string[] = [];
    outbox.bus.on("response:delivered", (e) => delivered.push(e.item.idempotencyKey));
    const given = await outbox.enqueue(feedback(1));
    const keyed = await outbox.enqueue({ type: "feedback", data: { text: "no key" } });
    expect(given.idempotencyKey).toBe("k1");
    expect(keyed.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    // The default batch interval (1 s) applies.
    await clock.advance(999);
    expect(seen).toEqual([]);
    await clock.advance(1);
    await settle();
    expect(seen.map((s) => s.keys)).toEqual([["k1", keyed.idempotencyKey]]);
    expect(seen[0]?.auth).toBe("Bearer pk_test");
    expect(delivered).toEqual(["k1", keyed.idempotencyKey]);
  });

  it("leave the checks to the checked ones: createOutbox and createHttpTransport still refuse bad input", async () => {
    expect(() => createHttpTransport({ endpoint: "nope", key: "" })).toThrow(ValidationError);
    expect(() =>
      createOutbox({
        store: memoryQueueStore(),
        transport: createHttpTransportUnchecked({ endpoint: ENDPOINT, key: "k" }),
        batch: { maxItems: 0 },
      }),
    ).toThrow(/batch\.maxItems/);
    const { outbox } = setup();
    await expect(
      outbox.enqueue({ type: "feedback", data: {}, idempotencyKey: "" }),
    ).rejects.toThrow(/idempotencyKey/);
  });
});
