// The lite entry as an app ships it: bundled and minified from the published files (the
// package's `exports`, @closeloop/core from node_modules), which is also what `pnpm size`
// measures. The builds shorten internal property names (docs/size.md), which the tests run from
// the sources never see: here the built entry queues and delivers to a real collector, and
// reads the items a build without shortened names left in IndexedDB or localStorage, as a page
// updated to a new version finds them.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleAsApp, published } from "../../../scripts/app-bundle.mjs";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { type Running, shopCollector } from "./sdk-harness.js";

const LITE = published("browser", "./lite");
const built = existsSync(LITE);
if (!built && process.env.CI === "true") throw new Error("CI=true: run pnpm build first");
if (!built) console.warn("lite-dist skipped: packages/browser is not built (pnpm build)");

// The page: starts the lite client with the options the test puts in `window.__closeloop`.
const page = (from: string) => `
import { init } from ${JSON.stringify(from)};
window.sdk = init(window.__closeloop);
`;

const noIndexedDB = () => {
  delete (globalThis as { indexedDB?: unknown }).indexedDB;
};

// biome-ignore lint/suspicious/noExplicitAny: the page's client is reached untyped.
type Json = any;

describe.skipIf(skipChromium || !built)("the built lite entry", { timeout: 60_000 }, () => {
  let b: TestBrowser;
  let c: Running;
  let dir: string;
  let builtPage: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "closeloop-lite-"));
    builtPage = join(dir, "lite-built.js");
    writeFileSync(builtPage, await bundleAsApp(page(LITE)));
    b = await openBrowser();
  });
  afterEach(async () => {
    await c?.close();
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A loopback URL nothing answers on. */
  const nobody = () =>
    new Promise<string>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
  const capture = (p: Page, text: string): Promise<string> =>
    p.evaluate(async (t) => (await (window as Json).sdk.captureFeedback({ text: t })).id, text);
  const feedbackIds = async (): Promise<string[]> =>
    ((await c.call("GET", "/v1/loops", c.sk)).body.loops as Json[]).map((l) => l.source.id);

  for (const [store, init] of [
    ["IndexedDB", undefined],
    ["localStorage", noIndexedDB],
  ] as const) {
    it(`delivers what it queues, and what the sources' build left in ${store}`, async () => {
      c = await shopCollector();
      const options = (endpoint: string) =>
        `${init ? `(${init})();` : ""}window.__closeloop = ${JSON.stringify({
          endpoint,
          publicKey: c.pk,
          name: `lite-${store}`,
        })};`;
      // The sources' build queues an item while the collector cannot be reached…
      const before = await b.page(
        { code: page("../src/lite.js") },
        { init: options(await nobody()), path: `/${store}-1.html` },
      );
      const kept = await capture(before, "Queued by the previous version");
      await before.close();
      // …and the built entry, on the next visit, sends it with one of its own.
      const after = await b.page(builtPage, { init: options(c.url), path: `/${store}-2.html` });
      const fresh = await capture(after, "Queued by the built entry");
      await after.evaluate(() => (window as Json).sdk.flush());
      await expect
        .poll(feedbackIds, { timeout: 15_000 })
        .toEqual(expect.arrayContaining([kept, fresh]));
      // The queue was where the test says: its counter stays in localStorage only if it was there.
      const queueKeys = await after.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith("closeloop-outbox-")),
      );
      expect(queueKeys.length > 0).toBe(store === "localStorage");
      await after.close();
    });
  }
});
