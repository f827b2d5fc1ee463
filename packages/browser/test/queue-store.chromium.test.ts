// The browser queue stores in real Chromium: the shared QueueStore conformance suite, reloads,
// tabs sharing one queue, and a full localStorage.
import type { StoredItem } from "@closeloop/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { item, queueStoreConformance } from "../../core/test/queue-store-conformance.js";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { OUTBOX_PAGE, openPageStore, type PageStore, pageCall } from "./page-store.js";

// Every store call is a round trip to the page; the property case makes hundreds of them.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ALL = { maxItems: 1000, maxBytes: 1 << 20 };
const keys = (items: StoredItem[]) => items.map((s) => s.item.idempotencyKey);
let names = 0;
const fresh = (label: string) => `${label}-${++names}`;

for (const kind of ["indexeddb", "localstorage"] as const) {
  describe.skipIf(skipChromium)(`${kind} queue store in Chromium`, () => {
    let b: TestBrowser;
    let page: Page;
    beforeAll(async () => {
      b = await openBrowser();
      page = await b.page(OUTBOX_PAGE);
    });
    afterAll(async () => {
      expect(b?.pageErrors ?? []).toEqual([]);
      await b?.close();
    });

    queueStoreConformance(`${kind} (Chromium)`, {
      open: () => openPageStore(page, kind, fresh("conformance")),
      // Reopening reloads the page first: what survives is what the storage kept.
      reopen: async (closed) => {
        await page.reload();
        return openPageStore(page, kind, (closed as PageStore).name);
      },
    });

    it("keeps items, their order and seqs across a reload that did not close the store", async () => {
      const name = fresh("reload");
      const store = await openPageStore(page, kind, name);
      expect(store.kind).toBe(kind);
      for (let i = 0; i < 3; i++) await store.append(item(i), 100 + i);
      const before = await store.peek(ALL);
      expect(keys(before)).toEqual(["k-0", "k-1", "k-2"]);
      await page.reload();
      const again = await openPageStore(page, kind, name);
      expect(await again.peek(ALL)).toEqual(before);
      await again.append(item(3), 103);
      const after = await again.peek(ALL);
      expect(keys(after)).toEqual(["k-0", "k-1", "k-2", "k-3"]);
      expect(after[3]?.seq).toBeGreaterThan(before[2]?.seq ?? Number.POSITIVE_INFINITY);
      await again.close();
    });

    it("shares one queue between two tabs: each sees what the other appended and removed", async () => {
      const name = fresh("tabs");
      const tab2 = await b.page(OUTBOX_PAGE);
      const a = await openPageStore(page, kind, name);
      const c = await openPageStore(tab2, kind, name); // opened before the appends
      await a.append(item(1), 1);
      await c.append(item(2), 2);
      await a.append(item(3), 3);
      // localStorage reaches other tabs asynchronously (IndexedDB at once): wait, don't sleep.
      await expect.poll(async () => keys(await c.peek(ALL))).toEqual(["k-1", "k-2", "k-3"]);
      await expect.poll(async () => keys(await a.peek(ALL))).toEqual(["k-1", "k-2", "k-3"]);
      const [first] = await c.peek({ maxItems: 1, maxBytes: 1 << 20 });
      await c.remove([first?.seq as number]);
      await expect.poll(() => a.count()).toBe(2);
      await a.close();
      await c.close();
      await tab2.close();
    });
  });
}

describe.skipIf(skipChromium)("indexeddb queue store connections in Chromium", () => {
  let b: TestBrowser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  it("holds no connection between calls: clearing the database is never blocked, and the store starts over", async () => {
    const page = await b.page(OUTBOX_PAGE);
    const name = fresh("clear");
    const store = await openPageStore(page, "indexeddb", name);
    await store.append(item(1), 1);
    const deleted = await page.evaluate(
      (db) =>
        new Promise<string>((resolve) => {
          const req = indexedDB.deleteDatabase(db);
          req.onblocked = () => resolve("blocked");
          req.onsuccess = () => resolve("deleted");
          req.onerror = () => resolve(String(req.error));
        }),
      name,
    );
    expect(deleted).toBe("deleted");
    expect(await store.count()).toBe(0);
    await store.append(item(2), 2);
    expect(keys(await store.peek(ALL))).toEqual(["k-2"]);
    await page.close();
  });
});

describe.skipIf(skipChromium)("localStorage queue store limits in Chromium", () => {
  let b: TestBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await openBrowser();
    page = await b.page(OUTBOX_PAGE);
  });
  afterAll(async () => {
    await b?.close();
  });

  it("keeps both items when two tabs read the same counter (no overwrite)", async () => {
    const name = fresh("race");
    const tab2 = await b.page(OUTBOX_PAGE);
    const a = await openPageStore(page, "localstorage", name);
    const c = await openPageStore(tab2, "localstorage", name);
    const counter = `${name}:n`;
    await a.append(item(1), 1);
    // As if tab 2 had read the counter before tab 1's write reached it.
    await tab2.evaluate(([k]) => localStorage.setItem(k, "0"), [counter] as const);
    await c.append(item(2), 2);
    await expect.poll(async () => keys(await a.peek(ALL)).sort()).toEqual(["k-1", "k-2"]);
    const seqs = (await a.peek(ALL)).map((s) => s.seq);
    expect(new Set(seqs).size).toBe(2);
    await tab2.close();
  });

  it("rejects an append with QueueFullError (queue_full) when storage is full, keeping the queue", async () => {
    const store = await openPageStore(page, "localstorage", fresh("full"));
    await store.append(item(0), 0);
    const junk = await pageCall(page, "fillLocalStorage");
    expect(junk).toBeGreaterThan(0);
    try {
      await expect(store.append(item(1, 4000), 1)).rejects.toMatchObject({
        name: "QueueFullError",
        code: "queue_full",
      });
      expect(keys(await store.peek(ALL))).toEqual(["k-0"]);
    } finally {
      await pageCall(page, "clearJunk", junk);
    }
    await store.append(item(2), 2);
    expect(keys(await store.peek(ALL))).toEqual(["k-0", "k-2"]);
  });

  it("skips and clears a value it cannot read rather than stopping the queue", async () => {
    const name = fresh("garbage");
    const store = await openPageStore(page, "localstorage", name);
    await store.append(item(0), 0);
    await page.evaluate(([k]) => localStorage.setItem(k, "{not json"), [`${name}:1`] as const);
    await store.append(item(1), 1);
    expect(keys(await store.peek(ALL))).toEqual(["k-0", "k-1"]);
    expect(await store.count()).toBe(2);
  });
});
