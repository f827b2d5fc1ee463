// browserQueueStore in Chromium: IndexedDB when it works, else localStorage, else memory, and
// every step down is reported with its reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { item } from "../../core/test/queue-store-conformance.js";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { OUTBOX_PAGE, openPageStore, pageCall } from "./page-store.js";

const ALL = { maxItems: 100, maxBytes: 1 << 20 };

// Init scripts run before the page's own code, as a browser's restrictions would.
const throwingIndexedDB = () => {
  IDBFactory.prototype.open = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
};
const noIndexedDB = () => {
  delete (globalThis as { indexedDB?: unknown }).indexedDB;
};
const noStorage = () => {
  IDBFactory.prototype.open = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  Object.defineProperty(globalThis, "localStorage", {
    configurable: true,
    get() {
      throw new DOMException("Access is denied for this document.", "SecurityError");
    },
  });
};

describe.skipIf(skipChromium)("browserQueueStore fallbacks in Chromium", () => {
  let b: TestBrowser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });

  it("uses IndexedDB when it works, and reports nothing", async () => {
    const page = await b.page(OUTBOX_PAGE);
    const store = await openPageStore(page, "browser", "ok");
    expect(store.kind).toBe("indexeddb");
    expect(store.fallbacks).toEqual([]);
    await page.close();
  });

  it("falls back to localStorage, with the reason, when indexedDB.open throws; items survive a reload", async () => {
    const page = await b.page(OUTBOX_PAGE, { init: throwingIndexedDB });
    const store = await openPageStore(page, "browser", "throws");
    expect(store.kind).toBe("localstorage");
    expect(store.fallbacks).toEqual([
      { from: "indexeddb", to: "localstorage", reason: expect.stringMatching(/^SecurityError: /) },
    ]);
    await store.append(item(1), 1);
    await page.reload();
    const again = await openPageStore(page, "browser", "throws");
    expect(again.kind).toBe("localstorage");
    expect((await again.peek(ALL)).map((s) => s.item)).toEqual([item(1)]);
    await page.close();
  });

  it("falls back to localStorage when there is no indexedDB at all", async () => {
    const page = await b.page(OUTBOX_PAGE, { init: noIndexedDB });
    expect(await page.evaluate(() => typeof indexedDB)).toBe("undefined");
    const store = await openPageStore(page, "browser", "missing");
    expect(store.kind).toBe("localstorage");
    expect(store.fallbacks).toEqual([
      { from: "indexeddb", to: "localstorage", reason: "Error: IndexedDB is not available" },
    ]);
    await page.close();
  });

  it("falls back to localStorage when opening fails asynchronously (a newer version exists)", async () => {
    const page = await b.page(OUTBOX_PAGE);
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open("closeloop-outbox-newer", 2);
          req.onsuccess = () => {
            req.result.close();
            resolve();
          };
          req.onerror = () => reject(req.error);
        }),
    );
    const store = await openPageStore(page, "browser", "newer");
    expect(store.kind).toBe("localstorage");
    expect(store.fallbacks).toEqual([
      { from: "indexeddb", to: "localstorage", reason: expect.stringMatching(/^VersionError: /) },
    ]);
    await page.close();
  });

  it("falls back to memory, reporting both steps, when localStorage is unusable too", async () => {
    const page = await b.page(OUTBOX_PAGE, { init: noStorage });
    const store = await openPageStore(page, "browser", "nothing");
    expect(store.kind).toBe("memory");
    expect(store.fallbacks).toEqual([
      { from: "indexeddb", to: "localstorage", reason: expect.stringMatching(/^SecurityError: /) },
      { from: "localstorage", to: "memory", reason: expect.stringMatching(/^SecurityError: /) },
    ]);
    await store.append(item(1), 1);
    expect(await store.count()).toBe(1);
    await page.close();
  });

  it("writes each fallback to console.warn when no onFallback is given", async () => {
    const page = await b.page(OUTBOX_PAGE, { init: noStorage });
    const warnings: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    const opened = await pageCall(page, "open", "browser", "quiet", true);
    expect(opened.ok && opened.value.kind).toBe("memory");
    // Console messages reach the test process asynchronously.
    await expect
      .poll(() => warnings)
      .toEqual([
        expect.stringMatching(
          /^closeloop: indexeddb unavailable \(SecurityError: .*\); queueing in localstorage$/,
        ),
        expect.stringMatching(
          /^closeloop: localstorage unavailable \(SecurityError: .*\); queueing in memory$/,
        ),
      ]);
    await page.close();
  });
});
