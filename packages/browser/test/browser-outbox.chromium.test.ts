// The browser outbox end to end in Chromium, against a collector stand-in on loopback.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type RouteRequest, skipChromium, type TestBrowser } from "./chromium.js";

const CLIENT_PAGE = new URL("./pages/client.page.ts", import.meta.url);

type Client = {
  start(intervalMs: number): Promise<string>;
  enqueue(from: number, count: number): Promise<void>;
  pending(): Promise<number>;
  flush(): Promise<boolean>;
  report(): { dropped: unknown[]; fallbacks: string[] };
};
const call = <K extends keyof Client>(page: Page, method: K, ...args: Parameters<Client[K]>) =>
  page.evaluate(
    ([m, a]) =>
      (window as unknown as { client: Record<string, (...x: unknown[]) => unknown> }).client[
        m as string
      ]?.(...(a as unknown[])),
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<Client[K]>>>;

describe.skipIf(skipChromium)("createBrowserOutbox in Chromium", () => {
  let b: TestBrowser;
  let up = false; // whether the collector answers 200 or 503
  const arrivals: { keys: string[]; status: number }[] = [];
  beforeAll(async () => {
    b = await openBrowser();
    b.route({
      "/v1/batch": (req: RouteRequest) => {
        const { items } = JSON.parse(req.body) as { items: { idempotencyKey: string }[] };
        const status = up ? 200 : 503;
        arrivals.push({ keys: items.map((i) => i.idempotencyKey), status });
        if (!up) return { status };
        return {
          body: {
            accepted: items.map((it, index) => ({
              index,
              id: `id-${it.idempotencyKey}`,
              duplicate: false,
            })),
            rejected: [],
          },
        };
      },
    });
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
  });
  const delivered = () => new Set(arrivals.filter((a) => a.status === 200).flatMap((a) => a.keys));

  it("keeps items queued in IndexedDB across a reload and delivers them after it", async () => {
    up = false;
    arrivals.length = 0;
    const page = await b.page(CLIENT_PAGE);
    expect(await call(page, "start", 60_000)).toBe("indexeddb");
    await call(page, "enqueue", 0, 20);
    expect(await call(page, "pending")).toBe(20);
    await page.reload(); // the collector is down: nothing was delivered before the reload
    expect(delivered().size).toBe(0);
    up = true;
    expect(await call(page, "start", 60_000)).toBe("indexeddb");
    expect(await call(page, "pending")).toBe(20);
    expect(await call(page, "flush")).toBe(true);
    const keys = delivered();
    console.log(`reload: 20 queued, ${arrivals.length} requests, ${keys.size} distinct delivered`);
    expect([...keys].sort()).toEqual(Array.from({ length: 20 }, (_, n) => `item-${n}`).sort());
    expect(await call(page, "report")).toEqual({ dropped: [], fallbacks: [] });
    await page.close();
  });

  it("sends what a page enqueued when its tab is closed, with keepalive", async () => {
    up = true;
    arrivals.length = 0;
    const page = await b.page(CLIENT_PAGE);
    await call(page, "start", 60_000); // no timed send: only the page exit can deliver
    await call(page, "enqueue", 100, 5);
    expect(arrivals).toHaveLength(0);
    await page.close({ runBeforeUnload: false });
    await expect.poll(() => delivered().size, { timeout: 10_000 }).toBe(5);
    expect([...delivered()].sort()).toEqual([
      "item-100",
      "item-101",
      "item-102",
      "item-103",
      "item-104",
    ]);
  });

  it("a later page removes the copies the exit request delivered, without sending them again", async () => {
    up = true;
    arrivals.length = 0;
    const page = await b.page(CLIENT_PAGE);
    await call(page, "start", 60_000);
    // The tab closed in the previous test left its 5 delivered items stored; this page's pass
    // sends them once more (the collector answers duplicate), and the store ends empty.
    expect(await call(page, "flush")).toBe(true);
    expect(await call(page, "pending")).toBe(0);
    await page.close();
  });

  it("reports a fallback to memory on the bus when no storage works", async () => {
    const page = await b.page(CLIENT_PAGE, {
      init: () => {
        Object.defineProperty(window, "indexedDB", { value: undefined });
        Object.defineProperty(window, "localStorage", {
          get() {
            throw new DOMException("denied", "SecurityError");
          },
        });
      },
    });
    expect(await call(page, "start", 60_000)).toBe("memory");
    expect((await call(page, "report")).fallbacks).toEqual([
      "indexeddb→localstorage",
      "localstorage→memory",
    ]);
    await page.close();
  });
});
