// The survey view in real Chromium, answered by keyboard only: every question type, branching,
// Back, required and invalid answers, Escape and focus, right-to-left arrows.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { everyType } from "./widget-fixtures.js";
import { log, press, tabTo, WIDGET_PAGE, w } from "./widget-harness.js";

describe.skipIf(skipChromium)("mountSurvey in Chromium", { timeout: 30_000 }, () => {
  let b: TestBrowser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    expect(b?.pageErrors ?? []).toEqual([]);
    await b?.close();
  });
  const open = async (options = {}): Promise<Page> => {
    const page = await b.page(WIDGET_PAGE);
    await w(page, "survey", everyType(), options);
    return page;
  };
  const alert = (page: Page) => page.locator("closeloop-widget [role=alert]").textContent();

  it("takes an answer of every question type from the keyboard alone", async () => {
    const page = await open();
    await press(page, ...Array(5).fill("ArrowRight")); // nps: 0 → 5
    await tabTo(page, "button Next");
    await press(page, "ArrowRight", "ArrowRight", "ArrowRight"); // csat: 1 → 4
    await tabTo(page, "button Next");
    await press(page, "End"); // ces: 7
    await tabTo(page, "button Next");
    await press(page, "ArrowRight", "ArrowRight"); // rating 1–4: 3
    await tabTo(page, "button Next");
    await press(page, "End", "ArrowLeft"); // stars 1–5: 4
    await tabTo(page, "button Next");
    await press(page, "Space"); // faces 1–3: 1
    await tabTo(page, "button Next");
    await press(page, "ArrowDown", "ArrowDown", "ArrowDown"); // single choice: a → other
    await press(page, "Tab");
    await page.keyboard.type("Word of mouth");
    await tabTo(page, "button Next");
    await press(page, "Space", "Tab", "Tab", "Space"); // multi choice: x and z
    await press(page, "Tab", "Tab");
    await page.keyboard.type("Billing"); // typing checks "Other"
    await tabTo(page, "button Next");
    await page.keyboard.type("ok");
    await tabTo(page, "button Next"); // too short (min 3)
    expect(await alert(page)).toBe("Check your answer");
    expect(await w(page, "current")).toBe("why");
    await page.keyboard.type("!"); // focus went back to the text
    await tabTo(page, "button Next");
    await tabTo(page, "button Submit"); // consent is required
    expect(await alert(page)).toBe("Required");
    await press(page, "Space");
    await tabTo(page, "button Submit");
    expect(await w(page, "answers")).toEqual({
      score: 5,
      csat: 4,
      ces: 7,
      rnum: 3,
      rstar: 4,
      remoji: 1,
      pick: { other: "Word of mouth" },
      many: ["x", "z", { other: "Billing" }],
      why: "ok!",
      ok: true,
    });
    const text = await page.locator("closeloop-widget dialog").textContent();
    expect(text).toContain("Someone from our team will contact you");
    expect(await w(page, "focused")).toBe("button Close");
    const events = await log(page);
    expect(events.filter((e) => e[0] === "progress")).toHaveLength(10);
    expect(events.slice(-2)).toEqual([
      [
        "finish",
        "detractor",
        "We are sorry. Someone from our team will contact you within two days.",
      ],
      ["ack"],
    ]);
    await press(page, "Enter");
    expect(await page.locator("closeloop-widget").count()).toBe(0);
    expect((await log(page)).at(-1)).toEqual(["dismiss", true]);
    await page.close();
  });
});
