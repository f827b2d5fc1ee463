// The survey view in real Chromium, answered by keyboard only: every question type, branching,
// Back, required and invalid answers, Escape and focus, right-to-left arrows.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipChromium, type TestBrowser, useBrowser } from "./chromium.js";
import { everyType, HOSTILE } from "./widget-fixtures.js";
import { log, press, tabTo, WIDGET_PAGE, w } from "./widget-harness.js";

describe.skipIf(skipChromium)("mountSurvey in Chromium", { timeout: 30_000 }, () => {
  let b: TestBrowser;
  useBrowser((opened) => {
    b = opened;
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

  it("follows the logic: a promoter jumps to the reason, and Back returns with the score kept", async () => {
    const page = await open();
    await press(page, "End"); // 10
    await tabTo(page, "button Next");
    expect(await w(page, "current")).toBe("why");
    expect(await page.locator("closeloop-widget .m").first().textContent()).toBe("9 of 10");
    await tabTo(page, "button Back");
    expect(await w(page, "current")).toBe("score");
    expect(await w(page, "focused")).toBe("input=10"); // the checked score has focus
    await press(page, "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft"); // 6
    await tabTo(page, "button Next");
    expect(await w(page, "current")).toBe("csat");
    expect(await w(page, "answers")).toEqual({ score: 6 });
    expect((await log(page)).map((e) => e.join(" "))).toEqual([
      "progress why",
      "progress score",
      "progress csat",
    ]);
    await page.close();
  });

  it("announces a required answer and stays on the question", async () => {
    const page = await open();
    await tabTo(page, "button Next");
    expect(await w(page, "current")).toBe("score");
    const group = page.locator("closeloop-widget [role=radiogroup]");
    expect(await group.getAttribute("aria-invalid")).toBe("true");
    expect(await group.getAttribute("aria-describedby")).toContain("e");
    expect(await page.locator("closeloop-widget #e").getAttribute("role")).toBe("alert");
    expect(await alert(page)).toBe("Required");
    expect(await w(page, "focused")).toBe("input=0"); // back on the question
    expect(await log(page)).toEqual([]);
    await page.close();
  });

  for (const modal of [true, false]) {
    it(`${modal ? "modal" : "non-modal"}: focus moves in, Escape dismisses and focus returns`, async () => {
      const page = await b.page(WIDGET_PAGE);
      await w(page, "content"); // focuses the page's "Open" button
      await w(page, "survey", everyType(), { modal });
      expect(await w(page, "focused")).toBe("input=0");
      const dialog = page.locator("closeloop-widget dialog");
      expect(await dialog.evaluate((d) => d.matches(":modal"))).toBe(modal);
      expect(await dialog.getAttribute("aria-labelledby")).toBe("t");
      if (modal) {
        // Tab stays in the dialog; past its end Chromium passes through the document itself
        // (the browser's own UI), never the page's controls, which are inert.
        const seen = new Set<string>();
        for (let i = 0; i < 16; i++) {
          await press(page, "Tab");
          seen.add(await page.evaluate(() => document.activeElement?.tagName ?? ""));
        }
        expect([...seen].sort()).toEqual(["BODY", "CLOSELOOP-WIDGET"]);
        expect(await w(page, "focused")).not.toBe("button Open");
      }
      await press(page, "Escape");
      expect(await page.locator("closeloop-widget").count()).toBe(0);
      expect(await w(page, "focused")).toBe("button Open");
      expect(await log(page)).toEqual([["dismiss", false]]);
      await page.close();
    });
  }

  it("mirrors the arrow keys right to left, and names the dialog in Hebrew", async () => {
    const page = await open({ locale: "he" });
    const dialog = page.locator("closeloop-widget dialog");
    expect(await dialog.getAttribute("dir")).toBe("rtl");
    expect(await dialog.getAttribute("lang")).toBe("he");
    await press(page, "ArrowLeft", "ArrowLeft"); // leftwards is onwards: 2
    await press(page, "ArrowRight"); // 1
    await tabTo(page, "button הבא");
    expect(await w(page, "answers")).toEqual({ score: 1 });
    await tabTo(page, "button הקודם");
    await press(page, "Home");
    expect(await w(page, "focused")).toBe("input=0");
    await press(page, "End");
    expect(await w(page, "focused")).toBe("input=10");
    const x = (n: number) =>
      page
        .locator(`closeloop-widget [value="${n}"] + span`)
        .evaluate((e) => e.getBoundingClientRect().x);
    expect(await x(10)).toBeLessThan(await x(0)); // 0 is on the right
    await page.close();
  });

  it("shows a survey's text, options and acknowledgement as text: nothing runs, nothing breaks", async () => {
    const page = await b.page(WIDGET_PAGE);
    await w(page, "survey", everyType(true), {}, [["score", 8]]);
    await press(page, "Escape");
    await w(page, "survey", everyType(true), {}, [
      ["score", 3],
      ["csat", 3],
      ["ces", 3],
      ["rnum", 3],
      ["rstar", 3],
      ["remoji", 3],
    ]);
    const text = await page.locator("closeloop-widget label").first().textContent();
    expect(text).toBe(`A search engine ${HOSTILE.join(" ")}`);
    await tabTo(page, "button Next"); // optional: on to multi choice
    for (let i = 0; i < 2; i++) await tabTo(page, "button Next");
    await press(page, "Space");
    await tabTo(page, "button Submit");
    const root = page.locator("closeloop-widget dialog");
    expect(await root.textContent()).toContain(
      `We are sorry. Someone from our team will contact you within two days. ${HOSTILE.join(" ")}`,
    );
    expect(await page.locator("closeloop-widget img, closeloop-widget script").count()).toBe(0);
    expect(
      await page.evaluate(() => document.querySelectorAll("img, style, script:not([src])").length),
    ).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(
      await root.evaluate((d) => getComputedStyle(d.querySelector("button.p") as Element).display),
    ).not.toBe("none");
    await page.close();
  });

  it("resumes a restored session where it was; a finished one opens on its thank-you", async () => {
    const page = await open();
    await press(page, "ArrowRight", "ArrowRight"); // 2
    await tabTo(page, "button Next");
    const state = await w(page, "state");
    await page.reload();
    await w(page, "survey", everyType(), { restore: state });
    expect(await w(page, "current")).toBe("csat");
    expect(await page.locator("closeloop-widget .m").first().textContent()).toBe("2 of 10");
    await tabTo(page, "button Back");
    expect(await w(page, "focused")).toBe("input=2");
    await page.reload();
    const finished: [string, unknown][] = [
      ["score", 9],
      ["why", "Fast"],
      ["ok", true],
    ];
    await w(page, "survey", everyType(), {}, finished); // finished before the view opened
    expect(await page.locator("closeloop-widget [role=status]").textContent()).toBe(
      "Thank you! Glad we got it right.",
    );
    expect((await log(page)).map((e) => e[0])).toEqual(["finish", "ack"]);
    await page.close();
  });
});
