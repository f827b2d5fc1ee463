// The browser queue's last fallback: the localStorage store over memoryStorage().
import { describe, expect, it } from "vitest";
import { item, queueStoreConformance } from "../../core/test/queue-store-conformance.js";
import { localStorageQueueStore } from "../src/outbox/local-storage-store.js";
import { memoryStorage } from "../src/outbox/memory-storage.js";

const open = () => localStorageQueueStore("closeloop-outbox-test", memoryStorage(), "memory");

queueStoreConformance("localStorage store over memoryStorage", { open: async () => open() });

describe("memoryStorage", () => {
  it("behaves as Storage: length, key, getItem, setItem and removeItem agree", () => {
    const s = memoryStorage();
    s.setItem("a", "1");
    s.setItem("b", "2");
    s.setItem("a", "3");
    expect([s.length, s.key(0), s.key(1), s.key(2)]).toEqual([2, "a", "b", null]);
    expect([s.getItem("a"), s.getItem("c")]).toEqual(["3", null]);
    s.removeItem("a");
    expect([s.length, s.key(0), s.getItem("a")]).toEqual([1, "b", null]);
  });

  it("reports kind memory and keeps a queue of thousands in order", async () => {
    const store = open();
    expect(store.kind).toBe("memory");
    for (let i = 0; i < 3000; i++) await store.append(item(i), i);
    const batch = await store.peek({ maxItems: 5000, maxBytes: 1 << 30 });
    expect(batch.map((s) => s.enqueuedAt)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    await store.remove(batch.slice(0, 2000).map((s) => s.seq));
    expect(await store.count()).toBe(1000);
  });
});
