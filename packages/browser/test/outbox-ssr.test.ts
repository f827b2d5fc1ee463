// The outbox pieces outside a browser (SSR, Node): no window, no storage, no Web Locks.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  browserQueueStore,
  CloseloopError,
  flushLock,
  onPageHide,
  QueueFullError,
} from "../src/index.js";
import { memoryBackend } from "../src/outbox/memory-backend.js";
import { backendQueue } from "../src/outbox/queue-backend.js";

/** A localStorage queue whose appends throw `error`, as a full or refusing storage does. */
const refusing = (error: unknown) =>
  backendQueue("localstorage", {
    ...memoryBackend(),
    add_: () => {
      throw error;
    },
  });
const item = { type: "feedback" as const, idempotencyKey: "k", data: {} };

describe("browser outbox pieces without a browser", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("browserQueueStore falls back to memory and reports each step", async () => {
    const fallbacks: unknown[] = [];
    const store = await browserQueueStore({ name: "ssr", onFallback: (f) => fallbacks.push(f) });
    expect(store.kind).toBe("memory");
    expect(fallbacks).toEqual([
      { from: "indexeddb", to: "localstorage", reason: "Error: IndexedDB is not available" },
      { from: "localstorage", to: "memory", reason: "Error: localStorage is not available" },
    ]);
    await store.append({ type: "feedback", idempotencyKey: "k", data: {} }, 1);
    expect(await store.count()).toBe(1);
  });

  it("browserQueueStore warns on the console when no onFallback is given", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await browserQueueStore();
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      "closeloop: indexeddb unavailable (Error: IndexedDB is not available); queueing in localstorage",
      "closeloop: localstorage unavailable (Error: localStorage is not available); queueing in memory",
    ]);
  });

  it("flushLock still runs fn, one call at a time", async () => {
    const lock = flushLock("ssr");
    let release!: () => void;
    const held = lock(() => new Promise<string>((r) => (release = () => r("first"))));
    expect(await lock(async () => "second")).toBeUndefined();
    release();
    expect(await held).toBe("first");
    expect(await lock(async () => "third")).toBe("third");
    await expect(lock(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock(async () => "after")).toBe("after");
  });

  it("onPageHide subscribes to nothing and returns an unsubscribe function", () => {
    const off = onPageHide(() => {
      throw new Error("never called");
    });
    expect(off).toBeTypeOf("function");
    off();
  });

  it("a full store's append rejects with QueueFullError, a CloseloopError with the stable code queue_full", async () => {
    const cause = new DOMException("full", "QuotaExceededError");
    const e = await refusing(cause)
      .append(item, 1)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueueFullError);
    expect(e).toBeInstanceOf(CloseloopError);
    expect(e).toMatchObject({
      name: "QueueFullError",
      code: "queue_full",
      store: "localstorage",
      message: "The localstorage queue is full: the item was not stored",
      cause,
    });
  });

  it("recognises quota errors by name, as browsers have named them; others reject as they are", async () => {
    for (const [error, full] of [
      [new DOMException("full", "QuotaExceededError"), true],
      [{ name: "NS_ERROR_DOM_QUOTA_REACHED" }, true],
      [new DOMException("no", "SecurityError"), false],
      [null, false],
      ["QuotaExceededError", false],
    ] as const) {
      const e = await refusing(error)
        .append(item, 1)
        .then(
          () => "stored",
          (x: unknown) => x,
        );
      expect(e instanceof QueueFullError).toBe(full);
      if (!full) expect(e).toBe(error);
    }
  });
});
