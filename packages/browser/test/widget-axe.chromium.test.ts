// axe-core on every screen of the widget, in light and dark: no serious or critical violation.
// Every violation found, of any impact, is printed so the report can quote them.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipChromium, type TestBrowser, useBrowser } from "./chromium.js";
import { everyType, notice } from "./widget-fixtures.js";
import { type MountOptions, press, tabTo, WIDGET_PAGE, w } from "./widget-harness.js";

const axe = createRequire(import.meta.url)("axe-core") as { source: string };

interface Violation {
  id: string;
  impact: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe on the widget's host (its shadow tree included) and returns its violations. */
async function audit(page: Page): Promise<Violation[]> {
  return page.evaluate(async () => {
    // Contrast is judged on the settled dialog, not halfway through its fade-in.
    const dialog = document.querySelector("closeloop-widget")?.shadowRoot?.querySelector("dialog");
    await Promise.all((dialog?.getAnimations() ?? []).map((a) => a.finished));
    const run = (
      window as unknown as {
        axe: {
          run(c: unknown, o: unknown): Promise<{ violations: Violation[]; passes: unknown[] }>;
        };
      }
    ).axe.run;
    const result = await run({ include: [["closeloop-widget"]] }, { resultTypes: ["violations"] });
    if (result.passes.length === 0) throw new Error("axe checked nothing in the widget");
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

const IDS = ["score", "csat", "ces", "rnum", "rstar", "remoji", "pick", "many", "why", "ok"];
const ANSWERS: unknown[] = [3, 4, 6, 2, 4, 3, "b", ["x"], "Too slow", true];

describe.skipIf(skipChromium)("axe-core on the widget", { timeout: 60_000 }, () => {
  let b: TestBrowser;
  useBrowser((opened) => {
    b = opened;
  });

  for (const mode of ["light", "dark"] as const) {
    it(`finds no serious or critical violation on any screen, ${mode}`, async () => {
      const page = await b.page(WIDGET_PAGE);
      await w(page, "content");
      await page.addScriptTag({ content: axe.source });
      const options: MountOptions = { mode };
      const found: string[] = [];
      const check = async (screen: string) => {
        for (const v of await audit(page))
          found.push(`${screen}: ${v.id} (${v.impact}) ${JSON.stringify(v.nodes)}`);
      };
      for (let i = 0; i < IDS.length; i++) {
        const given = IDS.slice(0, i).map((id, k) => [id, ANSWERS[k]]);
        await w(page, "survey", everyType(), options, given);
        await press(page, "Space"); // an answer chosen, so checked states are audited too
        await check(IDS[i] as string);
        await w(page, "close");
      }
      await w(page, "survey", everyType(), options);
      await tabTo(page, "button Next"); // the required error on screen
      await check("required error");
      await w(page, "close");
      await w(
        page,
        "survey",
        everyType(),
        options,
        IDS.slice(0, -1).map((id, k) => [id, ANSWERS[k]]),
      );
      await press(page, "Space", "Enter");
      await check("thank-you");
      await w(page, "close");
      await w(page, "feedback", options);
      await check("feedback");
      await tabTo(page, "button Submit");
      await check("feedback error");
      await w(page, "close");
      await w(page, "closure", notice(), options);
      await check("closure notice");
      await w(page, "close");
      console.log(
        `axe, ${mode}: ${found.length} violation(s)${found.map((f) => `\n  ${f}`).join("")}`,
      );
      expect(found.filter((f) => / \((serious|critical)\) /.test(f))).toEqual([]);
      await page.close();
    });
  }
});
