// The targeting engine in real Chromium: SPA navigation, clicks, delays, fatigue across reloads
// and tabs of one profile, and a stop() that leaves nothing behind.
import type { Page } from "playwright-core";
import { describe, expect, it, vi } from "vitest";
import { skipChromium, type TestBrowser, useBrowser } from "./chromium.js";
import type { TargetingPageApi } from "./pages/targeting.page.js";
import { survey } from "./targeting-fixtures.js";

// Pages load slowly when a shared machine is busy.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const PAGE = new URL("./pages/targeting.page.ts", import.meta.url);

/** Calls `window.targeting[method](...args)` in the page. */
function call<M extends keyof TargetingPageApi>(
  page: Page,
  method: M,
  ...args: Parameters<TargetingPageApi[M]>
): Promise<Awaited<ReturnType<TargetingPageApi[M]>>> {
  return page.evaluate(
    ([m, a]) => {
      const api = (
        globalThis as unknown as { targeting: Record<string, (...x: unknown[]) => unknown> }
      ).targeting;
      return api[m]?.(...a);
    },
    [method, args as unknown[]] as const,
  ) as Promise<Awaited<ReturnType<TargetingPageApi[M]>>>;
}

describe.skipIf(skipChromium)("targeting in Chromium", () => {
  let b: TestBrowser;
  let n = 0;
  // Each test keeps its own storage prefix: the pages share one profile.
  const prefix = () => `closeloop:t${++n}:`;
  useBrowser((opened) => {
    b = opened;
  });

  const open = (path = "/app/home", init?: () => void) =>
    b.page(PAGE, init ? { path, init } : { path });
  const ids = async (page: Page) => (await call(page, "shows")).map((s) => s.id);
  const always = { mode: "always" } as const;

  it("re-evaluates URL rules after pushState, popstate (back) and a hash change", async () => {
    const page = await open();
    await call(
      page,
      "start",
      [
        survey("pricing", { url: [{ match: "exact", value: "/app/pricing" }] }, always),
        survey("billing", { url: [{ match: "glob", value: "/app/home#/billing/*" }] }, always),
      ],
      { prefix: prefix(), cooldownDays: 0 },
    );
    await page.evaluate(() => history.pushState(null, "", "/app/pricing"));
    await expect.poll(() => ids(page)).toEqual(["pricing"]);
    await page.evaluate(() => history.pushState(null, "", "/app/docs"));
    await page.evaluate(() => history.back());
    await expect.poll(() => ids(page)).toEqual(["pricing", "pricing"]);
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => location.pathname === "/app/home");
    await page.evaluate(() => {
      location.hash = "#/billing/invoices";
    });
    await expect.poll(() => ids(page)).toEqual(["pricing", "pricing", "billing"]);
    const shows = await call(page, "shows");
    expect(shows.map((s) => s.path)).toEqual([
      "/app/pricing",
      "/app/pricing",
      "/app/home#/billing/invoices",
    ]);
    await page.close();
  });

  it("shows on a click inside the selector's element, and reports a bad selector once", async () => {
    const page = await open();
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        "beforeend",
        '<button data-feedback><span id="inner">Give feedback</span></button><p id="other">text</p>',
      );
    });
    await call(
      page,
      "start",
      [
        survey("broken", { selector: "##not a selector" }, always),
        survey("button", { selector: "[data-feedback]" }, always),
      ],
      { prefix: prefix(), cooldownDays: 0 },
    );
    await page.click("#other");
    await page.click("#other");
    await new Promise((r) => setTimeout(r, 50));
    expect(await ids(page)).toEqual([]);
    await page.click("#inner");
    await expect
      .poll(() => call(page, "shows"))
      .toMatchObject([{ id: "button", trigger: "click" }]);
    const errors = await call(page, "errors");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^targeting_invalid: Survey "broken": targeting.selector ignored, .*'##not a selector'/,
    );
    await page.close();
  });

  it("waits delayMs after the trigger, and drops the survey if the page was left", async () => {
    const page = await open();
    const delayed = survey("delayed", {
      url: [{ match: "prefix", value: "/app/pricing" }],
      events: [
        { name: "upgrade", where: [{ property: "plan", op: "in", value: ["pro", "team"] }] },
      ],
      delayMs: 400,
    });
    await call(page, "start", [delayed], { prefix: prefix() });
    await page.evaluate(() => history.pushState(null, "", "/app/pricing"));
    await call(page, "track", "upgrade", { plan: "pro" });
    await page.evaluate(() => history.pushState(null, "", "/app/home"));
    await new Promise((r) => setTimeout(r, 600));
    expect(await ids(page)).toEqual([]);
    await page.evaluate(() => history.pushState(null, "", "/app/pricing"));
    const trackedAt = await call(page, "track", "upgrade", { plan: "team" });
    await expect.poll(() => ids(page), { timeout: 3000 }).toEqual(["delayed"]);
    const [shown] = await call(page, "shows");
    expect(shown?.trigger).toBe("event");
    expect(shown?.at ?? 0).toBeGreaterThanOrEqual(trackedAt + 399);
    await page.close();
  });

  it("keeps `once` and the cooldown across a reload and in another tab of the profile", async () => {
    const p = prefix();
    const welcome = survey("welcome", { url: [{ match: "prefix", value: "/app" }] });
    const exportSurvey = survey("export", { events: [{ name: "export", where: [] }] }, always);
    const page = await open();
    await call(page, "start", [welcome, exportSurvey], { prefix: p });
    await expect.poll(() => ids(page)).toEqual(["welcome"]);

    await page.reload();
    await call(page, "start", [welcome, exportSurvey], { prefix: p });
    await call(page, "track", "export");
    const tab = await open("/app/other");
    await call(tab, "start", [welcome, exportSurvey], { prefix: p });
    await call(tab, "track", "export");
    await new Promise((r) => setTimeout(r, 200));
    expect(await ids(page)).toEqual([]);
    expect(await ids(tab)).toEqual([]);

    // Without the cooldown, `always` shows again, `once` still does not.
    await tab.reload();
    await call(tab, "start", [welcome, exportSurvey], { prefix: p, cooldownDays: 0 });
    await call(tab, "track", "export");
    await expect.poll(() => ids(tab)).toEqual(["export"]);
    const stored = await tab.evaluate((key) => localStorage.getItem(key), `${p}shown:welcome`);
    expect(Number(stored)).toBeGreaterThan(0);
    await page.close();
    await tab.close();
  });

  it("keeps working, in memory, where localStorage throws (blocked storage)", async () => {
    const page = await open("/app/home", () => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    const s = survey("once", {
      events: [{ name: "go", where: [{ property: "n", op: "gt", value: 0 }] }],
    });
    await call(page, "start", [s], { prefix: prefix(), cooldownDays: 0 });
    await call(page, "track", "go", { n: 1 });
    await expect.poll(() => ids(page)).toEqual(["once"]);
    for (let n = 2; n <= 5; n++) await call(page, "track", "go", { n });
    await new Promise((r) => setTimeout(r, 200));
    // `once` held in memory for the rest of the page.
    expect(await ids(page)).toEqual(["once"]);
    expect(await call(page, "errors")).toEqual([]);
    await page.close();
  });

  it("stop() removes every listener and timer it added and restores the history methods", async () => {
    const page = await open();
    const before = await call(page, "listeners");
    await call(
      page,
      "start",
      // A delay long enough that the calls before stop() finish first on a loaded machine.
      [survey("late", { url: [{ match: "prefix", value: "/app" }], delayMs: 1_500 })],
      { prefix: prefix() },
    );
    expect(await call(page, "historyIsPristine")).toBe(false);
    expect((await call(page, "listeners")).sort()).toEqual(
      [...before, "window:popstate/false", "window:hashchange/false", "document:click/true"].sort(),
    );
    await call(page, "stop");
    expect(await call(page, "listeners")).toEqual(before);
    expect(await call(page, "historyIsPristine")).toBe(true);
    await page.evaluate(() => history.pushState(null, "", "/app/again"));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await ids(page)).toEqual([]);
    await page.close();
  });

  it("leaves a history wrapper added after it working when it stops", async () => {
    const page = await open();
    await call(page, "start", [survey("x", { url: [{ match: "exact", value: "/app/x" }] })], {
      prefix: prefix(),
    });
    const seen = await page.evaluate(() => {
      const seen: string[] = [];
      const ours = history.pushState;
      history.pushState = function (this: History, ...args: Parameters<History["pushState"]>) {
        seen.push(String(args[2]));
        return ours.apply(this, args);
      };
      (globalThis as unknown as { seen: string[] }).seen = seen;
      return seen.length;
    });
    expect(seen).toBe(0);
    await call(page, "stop");
    await page.evaluate(() => history.pushState(null, "", "/app/x"));
    expect(
      await page.evaluate(() => [
        location.pathname,
        (globalThis as unknown as { seen: string[] }).seen,
      ]),
    ).toEqual(["/app/x", ["/app/x"]]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await ids(page)).toEqual([]);
    await page.close();
  });
});
