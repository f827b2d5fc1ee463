// Screenshots of every screen of the widget in light, dark, right to left and at 360 px wide,
// written to test/artifacts/ to be looked at (docs/browser.md). They assert only that each
// screen shows; their point is the pictures.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipChromium, type TestBrowser, useBrowser } from "./chromium.js";
import { everyType, notice } from "./widget-fixtures.js";
import { type MountOptions, press, shot, WIDGET_PAGE, w } from "./widget-harness.js";

/** The answers that lead to each question (in order, none branching), and a key press that answers it. */
const STEPS: [id: string, answer: unknown, keys: string[]][] = [
  ["score", 3, ["ArrowRight", "ArrowRight", "ArrowRight"]],
  ["csat", 4, ["End", "ArrowLeft"]],
  ["ces", 6, ["End"]],
  ["rnum", 2, ["ArrowRight"]],
  ["rstar", 4, ["End", "ArrowLeft"]],
  ["remoji", 3, ["End"]],
  ["pick", "b", ["ArrowDown"]],
  ["many", ["x"], ["Space"]],
  ["why", "Too slow", []],
  ["ok", true, ["Space"]],
];

/** Each look: its mount options and viewport; "zoom200" is a 1280×720 screen at 200% zoom. */
const LOOKS: [name: string, options: MountOptions, width: number, height: number][] = [
  ["light", { mode: "light" }, 1024, 720],
  ["dark", { mode: "dark" }, 1024, 720],
  ["rtl", { mode: "light", locale: "he" }, 1024, 720],
  ["rtl-dark", { mode: "dark", locale: "ar", modal: false }, 1024, 720],
  ["360", { mode: "light" }, 360, 720],
  ["zoom200", { mode: "light" }, 640, 360],
];

/** The dialog lies within the viewport and nothing in it overflows sideways. */
async function fits(p: Page): Promise<void> {
  const box = await p.locator("closeloop-widget dialog").evaluate((d) => {
    const r = d.getBoundingClientRect();
    return {
      inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
      sideways: d.scrollWidth - d.clientWidth,
    };
  });
  expect(box).toEqual({ inside: true, sideways: 0 });
}

describe.skipIf(skipChromium)("widget screenshots", { timeout: 120_000 }, () => {
  let b: TestBrowser;
  useBrowser((opened) => {
    b = opened;
  });
  const page = async (width: number, height: number): Promise<Page> => {
    const p = await b.page(WIDGET_PAGE);
    await p.setViewportSize({ width, height });
    await w(p, "content");
    return p;
  };

  for (const [look, options, width, height] of LOOKS) {
    it(`shows every screen, ${look}`, async () => {
      const p = await page(width, height);
      for (let i = 0; i < STEPS.length; i++) {
        const [id, , keys] = STEPS[i] as (typeof STEPS)[number];
        const given = STEPS.slice(0, i).map(([q, a]) => [q, a]);
        await w(p, "survey", everyType(), options, given);
        await press(p, ...keys);
        if (id === "why") await p.keyboard.type("Exports are slow");
        expect(await w(p, "current")).toBe(id);
        await fits(p);
        await shot(p, `survey-${String(i + 1).padStart(2, "0")}-${id}-${look}`);
        await w(p, "close");
      }

      const all = STEPS.map(([q, a]) => [q, a]);
      await w(p, "survey", everyType(), options, all.slice(0, -1));
      await press(p, "Space", "Enter");
      expect(await p.locator("closeloop-widget [role=status]").count()).toBe(1);
      await fits(p);
      await shot(p, `survey-thanks-${look}`);
      await w(p, "close");

      await w(p, "feedback", options);
      await p.keyboard.type("The export button is hard to find");
      await fits(p);
      await shot(p, `feedback-${look}`);
      await w(p, "close");

      await w(p, "closure", notice(), options);
      await fits(p);
      await shot(p, `closure-${look}`);
      await w(p, "close");
      await p.close();
    });
  }
});
