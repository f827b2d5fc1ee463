// A web page on one origin and the collector on another, in real Chromium: the page is served by
// the browser harness on one loopback port, the collector (a fresh SQLite file in a temp dir)
// listens on another, so every call below goes through Chromium's CORS checks and preflights.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "../../browser/test/chromium.js";
import { createCollector } from "../src/collector.js";
import { batch, type Running, response, startCollector, survey } from "./collector-harness.js";

/** The page: the SDKs' own HTTP transport, as the browser outbox sends with it. */
const TRANSPORT_PAGE = {
  code: `
import { createHttpTransport } from "@closeloop/core";
globalThis.sendWith = (endpoint, key, items, keepalive) =>
  createHttpTransport({ endpoint, key }).send(items, keepalive ? { keepalive: true } : {});
`,
};

/** What the page's `fetch` saw, or the error it rejected with (a CORS block is a TypeError). */
interface Seen {
  status?: number;
  // biome-ignore lint/suspicious/noExplicitAny: the page reports arbitrary JSON answers.
  body?: any;
  etag?: string | null;
  retryAfterReadable?: boolean;
  error?: string;
}

/** `fetch` from inside the page, as the browser SDK calls the collector. */
function pageFetch(
  page: Page,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Seen> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const r = await fetch(url, init);
        const text = await r.text();
        return {
          status: r.status,
          body: text ? JSON.parse(text) : undefined,
          etag: r.headers.get("etag"),
        };
      } catch (e) {
        return { error: `${(e as Error).name}: ${(e as Error).message}` };
      }
    },
    { url, init },
  );
}

describe.skipIf(skipChromium)("a page on another origin, in Chromium", () => {
  let b: TestBrowser;
  let c: Running;
  let page: Page;
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    c = await startCollector();
    expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
    b = await openBrowser();
    page = await b.page(TRANSPORT_PAGE);
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    // Different ports are different origins: every call below is cross-origin.
    expect(new URL(b.origin).port).not.toBe(new URL(c.url).port);
  }, 60_000);
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
    await c?.close();
  });

  const send = (key: string, body: unknown) =>
    pageFetch(page, `${c.url}/v1/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("delivers a batch with the public key (after a preflight)", async () => {
    const seen = await send(c.pk, batch({ type: "response", data: response({ score: 9 }) }));
    expect(seen.error).toBeUndefined();
    expect(seen.status).toBe(200);
    expect(seen.body.accepted).toHaveLength(1);
    expect(seen.body.rejected).toEqual([]);
  });

  it("reads the active surveys with their ETag, and a 304 for that ETag", async () => {
    const headers = { authorization: `Bearer ${c.pk}` };
    const first = await pageFetch(page, `${c.url}/v1/surveys`, { headers });
    expect(first.status).toBe(200);
    expect(first.body.surveys.map((s: { id: string }) => s.id)).toEqual(["onboarding-nps"]);
    expect(first.etag).toMatch(/^".+"$/);
    const again = await pageFetch(page, `${c.url}/v1/surveys`, {
      headers: { ...headers, "if-none-match": first.etag as string },
    });
    expect(again.status).toBe(304);
    expect(again.etag).toBe(first.etag);
  });

  it("reads a refused origin's 403 origin_not_allowed, naming the page's origin", async () => {
    const set = await c.call("PUT", "/v1/allowed-origins", c.sk, {
      origins: ["https://shop.example"],
    });
    expect(set.status).toBe(200);
    try {
      const seen = await send(c.pk, batch({ type: "response", data: response({ score: 3 }) }));
      expect(seen.error).toBeUndefined();
      expect(seen.status).toBe(403);
      expect(seen.body.error.code).toBe("origin_not_allowed");
      expect(seen.body.error.message).toContain(b.origin);
      // Allowing the page's origin lets it in.
      await c.call("PUT", "/v1/allowed-origins", c.sk, { origins: [b.origin] });
      const allowed = await send(c.pk, batch({ type: "response", data: response({ score: 3 }) }));
      expect(allowed.status).toBe(200);
    } finally {
      await c.call("PUT", "/v1/allowed-origins", c.sk, { origins: ["*"] });
    }
  });

  it("cannot call a secret-key route at all: the preflight is refused", async () => {
    consoleErrors.length = 0;
    for (const key of [c.pk, c.sk]) {
      const seen = await pageFetch(page, `${c.url}/v1/loops`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(seen.status).toBeUndefined();
      expect(seen.error).toMatch(/^TypeError: Failed to fetch/);
    }
    expect(consoleErrors.some((e) => e.includes("blocked by CORS policy"))).toBe(true);
  });

  /** The outcome of the SDK transport's send from the page. */
  const transportSend = (endpoint: string, items: unknown[], keepalive = false) =>
    page.evaluate(
      ([endpoint, key, items, keepalive]) =>
        (
          globalThis as unknown as {
            sendWith(e: string, k: string, i: unknown[], ka: boolean): Promise<unknown>;
          }
        ).sendWith(endpoint, key, items, keepalive),
      [endpoint, c.pk, items, keepalive] as const,
      // biome-ignore lint/suspicious/noExplicitAny: the outcome is probed field by field.
    ) as Promise<any>;

  it("the SDK transport delivers (also with keepalive) and gets a refused origin as a final answer, not a retry", async () => {
    const items = () => batch({ type: "response", data: response({ score: 8 }) }).items;
    expect(await transportSend(c.url, items())).toMatchObject({ kind: "delivered" });
    expect(await transportSend(c.url, items(), true)).toMatchObject({ kind: "delivered" });
    await c.call("PUT", "/v1/allowed-origins", c.sk, { origins: ["https://shop.example"] });
    try {
      // Before CORS this was a network error: `retry`, for ever, with no hint why.
      expect(await transportSend(c.url, items())).toMatchObject({
        kind: "refused",
        error: { status: 403, code: "origin_not_allowed" },
      });
    } finally {
      await c.call("PUT", "/v1/allowed-origins", c.sk, { origins: ["*"] });
    }
  });

  it("the SDK transport reads Retry-After on a 429 from another origin", async () => {
    const limited = createCollector({
      store: c.store,
      limits: { rate: { perSecond: 0.2, burst: 1 } },
    });
    const l = await limited.listen({ port: 0 });
    try {
      const items = () => batch({ type: "response", data: response({ score: 7 }) }).items;
      expect(await transportSend(l.url, items())).toMatchObject({ kind: "delivered" });
      const second = await transportSend(l.url, items());
      expect(second).toMatchObject({ kind: "retry", error: { status: 429, code: "rate_limited" } });
      // The collector said "retry in ⌈(1 − tokens) / 0.2⌉ s": 5 s, or 4 s on a slow machine.
      expect(second.retryAfterMs).toBeGreaterThanOrEqual(4_000);
      expect(second.retryAfterMs).toBeLessThanOrEqual(5_000);
    } finally {
      await l.close();
    }
  });

  it("reads a secret key's refusal on the batch route: 403 secret_key_in_browser", async () => {
    const seen = await send(c.sk, batch());
    expect(seen.status).toBe(403);
    expect(seen.body.error.code).toBe("secret_key_in_browser");
  });
});
