// The React bindings in real Chromium against a collector on loopback: the provider starts the
// client, the button opens the feedback form, the feedback arrives; unmounting shuts it down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { type Running, sdkInit, shopCollector, waitForEvent } from "./sdk-harness.js";

const REACT_PAGE = new URL("./pages/react.page.ts", import.meta.url);

describe.skipIf(skipChromium)("@closeloop/browser/react in Chromium", { timeout: 60_000 }, () => {
  let b: TestBrowser;
  let c: Running;
  beforeAll(async () => {
    b = await openBrowser();
    c = await shopCollector();
    // The shop's survey targets another page, so only the button shows here.
    await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, {
      ...(await c.call("GET", "/v1/surveys", c.pk)).body.surveys[0],
      version: 2,
      targeting: { url: [{ match: "exact", value: "/elsewhere" }] },
    });
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await c?.close();
    await b?.close();
  });

  it("starts the client, opens the form from <FeedbackButton>, and the feedback arrives", async () => {
    const page = await b.page(REACT_PAGE, { init: sdkInit(c), path: "/react.html" });
    const button = page.getByRole("button", { name: "Send feedback" });
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await page.getByRole("textbox").fill("Typed in a React app");
    await page.getByRole("button", { name: "Submit" }).click();
    const { id } = await waitForEvent<{ id: string }>(page, "feedback:sent");
    await expect
      .poll(
        async () => {
          const loops = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body.loops as {
            source: { id: string };
          }[];
          return loops.some((l) => l.source.id === id);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    // Unmounting shuts the client down: the widget's host leaves the page.
    await page.evaluate(() => (window as unknown as { unmount: () => void }).unmount());
    await expect
      .poll(() => page.evaluate(() => document.querySelectorAll("closeloop-widget").length))
      .toBe(0);
  });
});
