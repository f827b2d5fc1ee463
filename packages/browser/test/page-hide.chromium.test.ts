// onPageHide in Chromium: tabs hidden and pages left.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { OUTBOX_PAGE, pageCall } from "./page-store.js";

describe.skipIf(skipChromium)("onPageHide in Chromium", () => {
  let b: TestBrowser;
  const reported: string[] = [];
  beforeAll(async () => {
    b = await openBrowser();
    b.route({
      "/hidden": (req) => {
        if (req.method === "POST") reported.push(req.body);
        return { status: 204 };
      },
      "/elsewhere": () => ({ headers: { "content-type": "text/html" }, body: "<p>elsewhere</p>" }),
    });
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
  });

  const watched = async (): Promise<Page> => {
    const page = await b.page(OUTBOX_PAGE);
    await pageCall(page, "watchHide");
    return page;
  };
  const pagehide = (page: Page) =>
    page.evaluate(() => dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false })));

  it("fires on visibilitychange to hidden, not to visible", async () => {
    const page = await watched();
    await pageCall(page, "setVisibility", "hidden");
    expect(await pageCall(page, "hides")).toBe(1);
    await pageCall(page, "setVisibility", "visible");
    expect(await pageCall(page, "hides")).toBe(1);
    await pageCall(page, "setVisibility", "hidden");
    expect(await pageCall(page, "hides")).toBe(2);
    await page.close();
  });

  it("fires on pagehide", async () => {
    const page = await watched();
    await pagehide(page);
    expect(await pageCall(page, "hides")).toBe(1);
    await pagehide(page);
    expect(await pageCall(page, "hides")).toBe(2);
    await page.close();
  });

  it("stops once unsubscribed", async () => {
    const page = await watched();
    await pageCall(page, "unwatchHide");
    await pageCall(page, "setVisibility", "hidden");
    await pagehide(page);
    expect(await pageCall(page, "hides")).toBe(0);
    await page.close();
  });

  it("fires when the page is left, in time for a keepalive request to reach the server", async () => {
    const page = await watched();
    const before = reported.length;
    await page.goto(`${b.origin}/elsewhere`);
    await expect.poll(() => reported.length).toBeGreaterThan(before);
    expect(reported[before]).toBe("1");
    await page.close();
  });

  it("fires when the tab is closed, in time for a keepalive request to reach the server", async () => {
    const page = await watched();
    const before = reported.length;
    await page.close();
    await expect.poll(() => reported.length).toBeGreaterThan(before);
    expect(reported[before]).toBe("1");
  });
});
