// What the widget promises the page it lives on, in real Chromium: it runs and is styled under a
// strict Content-Security-Policy, the page's CSS does not reach in nor the widget's out, and
// opening it moves nothing on the page.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipChromium, type TestBrowser, useBrowser } from "./chromium.js";
import { everyType, notice } from "./widget-fixtures.js";
import { WIDGET_PAGE, w } from "./widget-harness.js";

/** Records CSP violations from the start of every load. */
function recordViolations() {
  const seen: string[] = [];
  (window as unknown as { violations: string[] }).violations = seen;
  document.addEventListener("securitypolicyviolation", (e) =>
    seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
  );
}
const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { violations: string[] }).violations);

/** Computed styles of the widget's dialog and primary button. */
const looks = (page: Page) =>
  page.locator("closeloop-widget dialog").evaluate((d) => {
    const dialog = getComputedStyle(d);
    const button = getComputedStyle(d.querySelector(".p") as Element);
    return {
      background: dialog.backgroundColor,
      radius: dialog.borderRadius,
      font: dialog.fontSize,
      button: button.backgroundColor,
    };
  });

/** Page-wide CSS a careless site might have, and a flex body where an in-flow host would add a gap. */
const HOSTILE_CSS =
  "* { color: red !important; font-size: 40px; box-sizing: content-box } button { display: none }" +
  " body { display: flex; flex-direction: column; gap: 24px }";

describe.skipIf(skipChromium)("the widget on its host page", { timeout: 30_000 }, () => {
  let b: TestBrowser;
  useBrowser((opened) => {
    b = opened;
  });

  it("shows and styles every view under Content-Security-Policy: default-src 'self', with no violation", async () => {
    const page = await b.page(WIDGET_PAGE, {
      init: recordViolations,
      headers: { "content-security-policy": "default-src 'self'" },
    });
    await w(page, "survey", everyType(), { vars: { "--closeloop-accent": "#0b6e4f" } });
    expect(await looks(page)).toEqual({
      background: "rgb(255, 255, 255)",
      radius: "12px",
      font: "16px",
      button: "rgb(11, 110, 79)", // the theme's accent, set on the host through the CSSOM
    });
    await w(page, "close");
    await w(page, "feedback", { mode: "dark" });
    expect((await looks(page)).background).toBe("rgb(31, 31, 35)");
    await w(page, "close");
    await w(page, "closure", notice());
    expect((await looks(page)).radius).toBe("12px");
    // A violation is reported asynchronously: give it a moment to arrive.
    await page.waitForTimeout(200);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("follows the system's colour scheme with mode system, and keeps light or dark when told", async () => {
    const page = await b.page(WIDGET_PAGE);
    const background = () => looks(page).then((l) => l.background);
    await page.emulateMedia({ colorScheme: "dark" });
    await w(page, "survey", everyType(), { mode: "system" });
    expect(await background()).toBe("rgb(31, 31, 35)");
    await page.emulateMedia({ colorScheme: "light" }); // switched while open
    expect(await background()).toBe("rgb(255, 255, 255)");
    await w(page, "close");
    await w(page, "survey", everyType(), { mode: "dark" });
    expect(await background()).toBe("rgb(31, 31, 35)");
    await w(page, "close");
    await page.emulateMedia({ colorScheme: "dark" });
    await w(page, "survey", everyType(), { mode: "light" });
    expect(await background()).toBe("rgb(255, 255, 255)");
    await page.close();
  });

  it("falls back to <style nonce> where constructable stylesheets are missing, allowed by the nonce", async () => {
    const page = await b.page(WIDGET_PAGE, {
      init: `(${recordViolations})(); CSSStyleSheet.prototype.replaceSync = undefined;`,
      headers: { "content-security-policy": "default-src 'self'; style-src 'nonce-n0nce'" },
    });
    await w(page, "survey", everyType(), { nonce: "n0nce" });
    expect(
      await page
        .locator("closeloop-widget")
        .evaluate((h) => h.shadowRoot?.querySelectorAll("style").length),
    ).toBe(1);
    expect(await looks(page)).toMatchObject({ background: "rgb(255, 255, 255)", radius: "12px" });
    await page.waitForTimeout(200);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("keeps the page's CSS out and its own in", async () => {
    const page = await b.page(WIDGET_PAGE);
    await w(page, "content");
    await page.addStyleTag({ content: HOSTILE_CSS });
    const pageStyles = () =>
      page.evaluate(() =>
        [...document.body.querySelectorAll("h1, p, input, button")].map((e) => {
          const s = getComputedStyle(e);
          return [
            s.color,
            s.fontSize,
            s.boxSizing,
            s.margin,
            s.padding,
            s.display,
            s.fontFamily,
          ].join();
        }),
      );
    const before = await pageStyles();
    // A theme can set custom properties only: anything else loses to the host's `all: initial`.
    await w(page, "survey", everyType(), { vars: { display: "none", position: "static" } });
    expect(
      await page.locator("closeloop-widget").evaluate((h) => getComputedStyle(h).position),
    ).toBe("fixed");
    expect(await page.locator("closeloop-widget dialog").isVisible()).toBe(true);
    const inside = await page.locator("closeloop-widget h2").evaluate((h) => {
      const s = getComputedStyle(h);
      const next = h.closest("dialog")?.querySelector("button.p") as Element;
      return { color: s.color, font: s.fontSize, next: getComputedStyle(next).display };
    });
    expect(inside).toEqual({ color: "rgb(31, 31, 31)", font: "17.6px", next: "block" });
    expect(await pageStyles()).toEqual(before);
    await page.close();
  });

  it("moves nothing on the page when any view opens", async () => {
    const page = await b.page(WIDGET_PAGE);
    await w(page, "content");
    await page.addStyleTag({
      content: "body { display: flex; flex-direction: column; gap: 24px }",
    });
    const rects = () =>
      page.evaluate(() =>
        [document.documentElement, ...document.body.querySelectorAll("*")]
          .filter((e) => e.tagName !== "CLOSELOOP-WIDGET")
          .map((e) => JSON.stringify(e.getBoundingClientRect()))
          .concat(
            `${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`,
          ),
      );
    const before = await rects();
    for (const [view, ...args] of [
      ["survey", everyType(), { modal: true }],
      ["survey", everyType(), { modal: false }],
      ["feedback"],
      ["closure", notice()],
    ] as const) {
      await w(page, view, ...args);
      expect(await page.locator("closeloop-widget dialog").isVisible()).toBe(true);
      expect(await rects()).toEqual(before);
      await w(page, "close");
    }
    expect(await rects()).toEqual(before);
    await page.close();
  });
});
