// The whole browser SDK in real Chromium against a real collector (fresh SQLite file) on another
// loopback origin: a customer answers, the loop moves, a reload resumes, offline answers wait,
// fatigue holds across reloads, a closure notice seen in the page closes the loop.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { respondentToken } from "../../node/src/respondent-token.js";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import {
  events,
  flush,
  type Running,
  SDK_PAGE,
  sdkInit,
  shopCollector,
  waitForEvent,
} from "./sdk-harness.js";
import { shot } from "./widget-harness.js";

// biome-ignore lint/suspicious/noExplicitAny: loops and responses are read field by field.
type Json = any;

describe.skipIf(skipChromium)("the browser SDK against a collector", { timeout: 60_000 }, () => {
  let b: TestBrowser;
  let c: Running;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterEach(async () => {
    await c?.close();
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
  });

  const dialog = (page: Page) => page.locator("closeloop-widget dialog");
  const loops = async (): Promise<Json[]> => (await c.call("GET", "/v1/loops", c.sk)).body.loops;
  const until = async <T>(fn: () => Promise<T | undefined>, what: string): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  /** The first loop once `ready` holds for it. */
  const firstLoop = (ready: (loop: Json) => boolean, what: string) =>
    until(async () => {
      const [l] = await loops();
      return l && ready(l) ? l : undefined;
    }, what);
  const answerDetractor = async (page: Page, why: string) => {
    await dialog(page).waitFor();
    await page.keyboard.press("ArrowRight"); // 1
    await page.keyboard.press("ArrowRight"); // 2
    await page.keyboard.press("ArrowRight"); // 3
    await page.getByRole("button", { name: "Next" }).click();
    await page.keyboard.type(why);
    await page.getByRole("button", { name: "Submit" }).click();
  };

  it("a detractor answers, sees the acknowledgement, and the loop is acknowledged in-app", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, { init: sdkInit(c) });
    expect(await waitForEvent(page, "survey:shown")).toEqual({
      surveyId: "onboarding-nps",
      resumed: false,
    });
    await answerDetractor(page, "Exports are slow");
    await expect
      .poll(() => dialog(page).textContent())
      .toContain("Someone from our team will contact you within two days");
    const finished = await waitForEvent(page, "survey:finished");
    expect(finished).toMatchObject({ surveyId: "onboarding-nps", segment: "detractor" });
    const loop = await firstLoop((l) => l.state === "acknowledged", "the loop to be acknowledged");
    const full = (await c.call("GET", `/v1/loops/${loop.id}`, c.sk)).body;
    expect(full.events.map((e: Json) => [e.to, e.actor])).toEqual([
      ["received", "system"],
      ["acknowledged", "respondent"],
    ]);
    expect(full.source).toEqual({ kind: "response", id: finished.responseId });
    expect(await events(page)).not.toContainEqual(expect.arrayContaining(["error"]));
  });

  it("resumes a survey after a reload mid-way and merges the answers into one response", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/resume.html" });
    await dialog(page).waitFor();
    for (let i = 0; i < 9; i++) await page.keyboard.press("ArrowRight");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("textbox").waitFor();
    expect(await flush(page)).toBe(true);
    await page.reload();
    expect(await waitForEvent(page, "survey:shown")).toEqual({
      surveyId: "onboarding-nps",
      resumed: true,
    });
    // Back at the second question, with the first answer kept.
    await page.keyboard.type("Fast and clear");
    await page.getByRole("button", { name: "Submit" }).click();
    const finished = await waitForEvent(page, "survey:finished");
    expect(finished).toMatchObject({ segment: "promoter" });
    const loop = await firstLoop((l) => l.state === "closed", "the promoter's loop to close");
    expect(loop.segment).toBe("promoter");
    expect(await loops()).toHaveLength(1);
  });

  it("keeps answers given offline and delivers them when the connection is back", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/offline.html" });
    await dialog(page).waitFor();
    await b.context.setOffline(true);
    try {
      await answerDetractor(page, "Offline on the train");
      await waitForEvent(page, "survey:finished");
      expect(await flush(page)).toBe(false);
      expect(await loops()).toHaveLength(0);
    } finally {
      await b.context.setOffline(false);
    }
    expect(await flush(page)).toBe(true);
    const loop = await firstLoop((l) => l.state === "acknowledged", "the offline answer's loop");
    expect(loop.segment).toBe("detractor");
  });

  it("shows a `once` survey once: not again after a reload", async () => {
    c = await shopCollector({ mode: "once" });
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/once.html" });
    await dialog(page).waitFor();
    await page.keyboard.press("Escape");
    await waitForEvent(page, "survey:dismissed");
    await page.reload();
    // The reloaded page fetched the surveys (a 304 with the kept ETag) and decided.
    await page.waitForFunction(() => performance.getEntriesByType("resource").length > 1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await events(page)).map((e) => e[0])).not.toContain("survey:shown");
    expect(await dialog(page).count()).toBe(0);
  });

  it("shows the closure notice on the respondent's next visit, and seeing it closes the loop", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/closure.html" });
    await answerDetractor(page, "Exports time out");
    const loop = await firstLoop((l) => l.state === "acknowledged", "the loop to be acknowledged");
    const move = (to: string, extra: Record<string, unknown> = {}) =>
      c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, {
        to,
        actor: "agent:ana",
        ...extra,
      });
    expect((await move("assigned", { owner: "support" })).status).toBe(200);
    const message = "We rebuilt exports: a 1 GB export now takes 40 s instead of timing out.";
    expect((await move("resolved", { message })).status).toBe(200);

    await page.reload();
    const shown = await waitForEvent(page, "closure:shown");
    expect(shown).toMatchObject({ loopId: loop.id });
    const text = await dialog(page).textContent();
    expect(text).toContain("Exports time out");
    expect(text).toContain(message);
    const closed = await until(async () => {
      const l = (await c.call("GET", `/v1/loops/${loop.id}`, c.sk)).body;
      return l.state === "closed" ? l : undefined;
    }, "the loop to close");
    expect(closed.events.at(-1)).toMatchObject({ to: "closed", informedVia: "in-app" });
    // Seen once: not shown again on the next visit.
    await page.reload();
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await events(page)).map((e) => e[0])).not.toContain("closure:shown");
  });

  it("sends feedback from the form with the page's URL and the anonymous respondent", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/feedback.html" });
    await waitForEvent(page, "survey:shown");
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => (window as Json).sdk.openFeedback())).toBe(true);
    await page.getByRole("textbox").fill("The invoice page is confusing");
    await page.getByRole("button", { name: "Submit" }).click();
    const { id } = await waitForEvent(page, "feedback:sent");
    expect(await flush(page)).toBe(true);
    const loop = await firstLoop(() => true, "the feedback's loop");
    expect(loop.source).toEqual({ kind: "feedback", id });
  });

  it("shows the widget's words in the page's language as the collector sent them", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, {
      init: sdkInit(c, { locale: "fr-CA" }),
      path: "/french.html",
    });
    await waitForEvent(page, "survey:shown"); // the survey list, and with it the words, arrived
    expect(await dialog(page).getAttribute("lang")).toBe("fr");
    await page.getByRole("button", { name: "Suivant" }).waitFor();
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => (window as Json).sdk.openFeedback())).toBe(true);
    expect(await page.locator("closeloop-widget h2").textContent()).toBe("Votre avis");
    await page.getByRole("button", { name: "Annuler" }).click();
    expect(await page.locator("closeloop-widget").count()).toBe(0);
  });

  it("reports a refused origin once, as an error event naming the origin", async () => {
    c = await shopCollector();
    await c.call("PUT", "/v1/allowed-origins", c.sk, { origins: ["https://shop.example"] });
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/refused.html" });
    const error = await waitForEvent(page, "error");
    expect(error).toMatchObject({ code: "origin_not_allowed" });
    expect(String(error.message)).toContain(b.origin);
    await new Promise((r) => setTimeout(r, 500));
    expect((await events(page)).filter((e) => e[0] === "error")).toHaveLength(1);
  });

  it("runs under `default-src 'self'` with the collector in connect-src, with no CSP violation", async () => {
    c = await shopCollector();
    const csp = `default-src 'self'; connect-src 'self' ${c.url}`;
    const page = await b.page(SDK_PAGE, {
      init: `window.__violations = []; document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI)); ${sdkInit(c)}`,
      path: "/csp.html",
      headers: { "content-security-policy": csp },
    });
    await answerDetractor(page, "Strict pages too");
    await waitForEvent(page, "survey:finished");
    // Styled: the stylesheet reached the shadow root (a dialog without it has no border radius).
    const radius = await dialog(page).evaluate((d) => getComputedStyle(d).borderTopLeftRadius);
    expect(radius).not.toBe("0px");
    expect(await flush(page)).toBe(true);
    await until(async () => ((await loops()).length === 1 ? true : undefined), "the loop");
    expect(await page.evaluate(() => (window as Json).__violations)).toEqual([]);
  });

  it("adds no long task to the page at init (measured with a longtask observer)", async () => {
    c = await shopCollector();
    const page = await b.page(SDK_PAGE, {
      init: `${sdkInit(c)}; window.__closeloop.deferInit = true;`,
      path: "/longtask.html",
    });
    const measured = await page.evaluate(async () => {
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: "longtask" });
      const w = window as Json;
      const t0 = performance.now();
      w.start();
      const initMs = performance.now() - t0;
      while (!w.events.some((e: [string]) => e[0] === "survey:shown"))
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      observer.disconnect();
      return { initMs, longest: Math.max(0, ...tasks) };
    });
    console.log(
      `init: ${measured.initMs.toFixed(1)} ms synchronous; longest task from init to the survey on screen: ${measured.longest.toFixed(0)} ms (0 = none over 50 ms)`,
    );
    expect(measured.initMs).toBeLessThan(50);
  });

  it("shutdown() removes every listener, node and history wrapper it added", async () => {
    c = await shopCollector();
    const count = `
      window.__listeners = new Map();
      const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
      const key = (t, n) => (t === window ? "window" : t === document ? "document" : t.nodeName) + ":" + n;
      EventTarget.prototype.addEventListener = function (n, f, o) { const k = key(this, n); if (this === window || this === document) window.__listeners.set(k, (window.__listeners.get(k) ?? 0) + 1); return add.call(this, n, f, o); };
      EventTarget.prototype.removeEventListener = function (n, f, o) { const k = key(this, n); if (this === window || this === document) window.__listeners.set(k, (window.__listeners.get(k) ?? 0) - 1); return remove.call(this, n, f, o); };
      window.__push = history.pushState;`;
    const page = await b.page(SDK_PAGE, { init: `${count} ${sdkInit(c)}`, path: "/shutdown.html" });
    await dialog(page).waitFor();
    const left = await page.evaluate(async () => {
      const w = window as Json;
      const before = history.pushState !== w.__push;
      await w.sdk.shutdown();
      return {
        wrappedBefore: before,
        restored: history.pushState === w.__push,
        nodes: document.querySelectorAll("closeloop-widget").length,
        listeners: [...w.__listeners].filter(([, n]: [string, number]) => n !== 0),
      };
    });
    expect(left).toEqual({ wrappedBefore: true, restored: true, nodes: 0, listeners: [] });
  });

  it("the floating feedback button opens the form, and the feedback arrives", async () => {
    c = await shopCollector();
    await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, {
      ...(await c.call("GET", "/v1/surveys", c.pk)).body.surveys[0],
      version: 2,
      targeting: { url: [{ match: "exact", value: "/elsewhere" }] },
    });
    const page = await b.page(SDK_PAGE, {
      init: sdkInit(c, { feedbackButton: { label: "Tell us" } }),
      path: "/button.html",
    });
    await page.setViewportSize({ width: 360, height: 640 });
    await shot(page, "sdk-feedback-button-360");
    await page.getByRole("button", { name: "Tell us" }).click();
    await shot(page, "sdk-feedback-form-360");
    await page.getByRole("textbox").fill("Dark mode please");
    await page.getByRole("button", { name: "Submit" }).click();
    const { id } = await waitForEvent(page, "feedback:sent");
    expect(await flush(page)).toBe(true);
    const loop = await firstLoop(() => true, "the feedback's loop");
    expect(loop.source).toEqual({ kind: "feedback", id });
    expect((await events(page)).map((e) => e[0])).not.toContain("survey:shown");
  });

  it("a collector that cannot be reached is an error event, never an exception in the page", async () => {
    c = await shopCollector();
    const down = `http://127.0.0.1:${new URL(c.url).port}`;
    await c.close();
    const page = await b.page(SDK_PAGE, {
      init: sdkInit({ ...c, url: down }, {}),
      path: "/down.html",
    });
    const error = await waitForEvent(page, "error");
    expect(error).toMatchObject({ code: "network" });
    const id = await page.evaluate(async () => {
      const w = window as Json;
      const { id } = await w.sdk.captureFeedback({ text: "Kept while the collector is down" });
      return { id, delivered: await w.sdk.flush() };
    });
    expect(id.delivered).toBe(false);
    expect(b.pageErrors).toEqual([]);
    c = await shopCollector(); // afterEach closes the current one
  });

  it("an identified respondent's closure notice reaches them after identify(), on any device", async () => {
    c = await shopCollector();
    const token = respondentToken(c.sk, "user-42");
    const page = await b.page(SDK_PAGE, { init: sdkInit(c), path: "/identified.html" });
    await page.evaluate((t) => (window as Json).sdk.identify({ id: "user-42", token: t }), token);
    await answerDetractor(page, "Billing is confusing");
    const loop = await firstLoop((l) => l.state === "acknowledged", "the loop");
    for (const [to, extra] of [
      ["assigned", { owner: "support" }],
      ["resolved", { message: "We rewrote the invoice page." }],
    ] as const) {
      const moved = await c.call("POST", `/v1/loops/${loop.id}/transitions`, c.sk, {
        to,
        actor: "agent:ana",
        ...extra,
      });
      expect(moved.status).toBe(200);
    }
    // Another browser profile: no anonymous id in common, only the identity.
    const other = await openBrowser();
    try {
      const second = await other.page(SDK_PAGE, { init: sdkInit(c), path: "/other-device.html" });
      // This device is shown the survey (new to it); a notice never stacks on a survey.
      await waitForEvent(second, "survey:shown");
      await second.keyboard.press("Escape");
      await new Promise((r) => setTimeout(r, 300));
      expect((await events(second)).map((e) => e[0])).not.toContain("closure:shown");
      await second.evaluate(
        (t) => (window as Json).sdk.identify({ id: "user-42", token: t }),
        token,
      );
      expect(await waitForEvent(second, "closure:shown")).toMatchObject({ loopId: loop.id });
      await firstLoop((l) => l.state === "closed", "the loop to close");
    } finally {
      await other.close();
    }
  });
});
