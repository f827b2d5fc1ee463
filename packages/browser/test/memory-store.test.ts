// The browser queue's last fallback (entries in memory), and the localStorage backend over a
// Storage in memory: the queue every browser storage shares, outside Chromium.
import { describe, expect, it } from "vitest";
import { item, queueStoreConformance } from "../../core/test/queue-store-conformance.js";
import { localStorageBackend } from "../src/outbox/local-storage-backend.js";
import { memoryBackend } from "../src/outbox/memory-backend.js";
import { backendQueue } from "../src/outbox/queue-backend.js";
import { fakeStorage } from "./fake-storage.js";

const open = () => backendQueue("memory", memoryBackend());

queueStoreConformance("memory backend", { open: async () => open() });

const storage = fakeStorage();
let names = 0;
queueStoreConformance("localStorage backend over a Storage in memory", {
  open: async () => backendQueue("localstorage", localStorageBackend(`q${++names}`, storage)),
  reopen: async () => backendQueue("localstorage", localStorageBackend(`q${names}`, storage)),
});

describe("memory backend", () => {
  it("reports kind memory and keeps a queue of thousands in order", async () => {
    const store = open();
    expect(store.kind).toBe("memory");
    for (let i = 0; i < 3000; i++) await store.append(item(i), i);
    const batch = await store.peek({ maxItems: 5000, maxBytes: 1 << 30 });
    expect(batch.map((s) => s.enqueuedAt)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    await store.remove(batch.slice(0, 2000).map((s) => s.seq));
    expect(await store.count()).toBe(1000);
  });

  it("keeps seqs increasing after the queue emptied (a removed seq is never reused)", async () => {
    const store = open();
    await store.append(item(0), 0);
    const [first] = await store.peek({ maxItems: 1, maxBytes: 1 << 20 });
    await store.remove([first?.seq as number]);
    await store.append(item(1), 1);
    const [second] = await store.peek({ maxItems: 1, maxBytes: 1 << 20 });
    expect(second?.seq).toBeGreaterThan(first?.seq as number);
  });
});
