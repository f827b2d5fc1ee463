// The outbox pieces outside a browser (SSR, Node): no window, no storage, no Web Locks.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  browserQueueStore,
  CloseloopError,
  flushLock,
  onPageHide,
  QueueFullError,
} from "../src/index.js";
import { isQuotaError, queueFull } from "../src/outbox/queue-full-error.js";

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

  it("QueueFullError is a CloseloopError with the stable code queue_full", () => {
    const e = queueFull("localstorage", new Error("quota"));
    expect(e).toBeInstanceOf(QueueFullError);
    expect(e).toBeInstanceOf(CloseloopError);
    expect(e).toMatchObject({ name: "QueueFullError", code: "queue_full", store: "localstorage" });
    expect(e.cause).toBeInstanceOf(Error);
  });

  it("recognises quota errors by name, as browsers have named them", () => {
    expect(isQuotaError(new DOMException("full", "QuotaExceededError"))).toBe(true);
    expect(isQuotaError({ name: "NS_ERROR_DOM_QUOTA_REACHED" })).toBe(true);
    expect(isQuotaError(new DOMException("no", "SecurityError"))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
    expect(isQuotaError("QuotaExceededError")).toBe(false);
  });
});
