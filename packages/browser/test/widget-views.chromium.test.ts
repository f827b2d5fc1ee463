// The feedback form and the closure notice in real Chromium, by keyboard.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { HOSTILE, notice } from "./widget-fixtures.js";
import { log, press, tabTo, WIDGET_PAGE, w } from "./widget-harness.js";

describe.skipIf(skipChromium)(
  "mountFeedback and mountClosureNotice in Chromium",
  { timeout: 30_000 },
  () => {
    let b: TestBrowser;
    beforeAll(async () => {
      b = await openBrowser();
    });
    afterAll(async () => {
      expect(b?.pageErrors ?? []).toEqual([]);
      await b?.close();
    });

    it("feedback: refuses empty text, sends category and text, then thanks", async () => {
      const page = await b.page(WIDGET_PAGE);
      await w(page, "content");
      await w(page, "feedback");
      expect(await w(page, "focused")).toBe("textarea");
      await page.keyboard.type("   ");
      await tabTo(page, "button Submit");
      const area = page.locator("closeloop-widget textarea");
      expect(await area.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("closeloop-widget [role=alert]").textContent()).toBe("Required");
      expect(await w(page, "focused")).toBe("textarea");
      await page.keyboard.type("Export button is hidden");
      await press(page, "Shift+Tab", "ArrowDown"); // the category: Bug → Idea
      await tabTo(page, "button Submit");
      await page.locator("closeloop-widget [role=status]").waitFor();
      expect(await log(page)).toEqual([
        ["submit", { category: "idea", text: "   Export button is hidden" }],
      ]);
      expect(await page.locator("closeloop-widget h2").textContent()).toBe("Thank you!");
      expect(await w(page, "focused")).toBe("button Close");
      await press(page, "Enter");
      expect(await page.locator("closeloop-widget").count()).toBe(0);
      expect(await w(page, "focused")).toBe("button Open");
      expect((await log(page)).at(-1)).toEqual(["dismiss"]);
      await page.close();
    });

    it("feedback: keeps the text when sending fails, and takes the page's categories", async () => {
      const page = await b.page(WIDGET_PAGE);
      await w(page, "feedback", {
        fail: true,
        categories: [{ id: "pay", label: HOSTILE[0] }],
        locale: "fr",
      });
      expect(await page.locator("closeloop-widget option").textContent()).toBe(HOSTILE[0]);
      await page.keyboard.type("Paiement refusé");
      await tabTo(page, "button Envoyer");
      await expect
        .poll(() => page.locator("closeloop-widget [role=alert]").textContent())
        .toBe("Vérifiez votre réponse");
      expect(await page.locator("closeloop-widget textarea").inputValue()).toBe("Paiement refusé");
      expect(await page.locator("closeloop-widget button.p").isEnabled()).toBe(true);
      expect(await log(page)).toEqual([["submit", { category: "pay", text: "Paiement refusé" }]]);
      await tabTo(page, "button Annuler");
      expect(await page.locator("closeloop-widget").count()).toBe(0);
      await page.close();
    });

    it("closure notice: says what the respondent told us and what was done, seen once, not modal", async () => {
      const page = await b.page(WIDGET_PAGE);
      await w(page, "content");
      await w(page, "closure", notice());
      const dialog = page.locator("closeloop-widget dialog");
      expect(await dialog.evaluate((d) => d.matches(":modal"))).toBe(false);
      expect(await page.locator("closeloop-widget h2").allTextContents()).toEqual([
        "You told us",
        "What we did",
      ]);
      expect(await page.locator("closeloop-widget blockquote").textContent()).toBe(
        "Exports to CSV are far too slow.",
      );
      expect(await dialog.textContent()).toContain("a 10,000-row CSV now takes two seconds.");
      expect(await w(page, "focused")).toBe("button Close");
      expect(await log(page)).toEqual([["seen", "n1"]]);
      await page.locator("#search").click(); // the page stays usable
      expect(await w(page, "focused")).toBe("input");
      await page.locator("closeloop-widget button.p").click();
      expect(await page.locator("closeloop-widget").count()).toBe(0);
      expect(await log(page)).toEqual([["seen", "n1"], ["dismiss"]]);

      await w(page, "closure", notice(true, false), { locale: "ar" });
      expect(await page.locator("closeloop-widget h2").allTextContents()).toEqual(["ما فعلناه"]);
      expect(await page.locator("closeloop-widget h2").getAttribute("id")).toBe("t");
      expect(await dialog.textContent()).toContain(HOSTILE.join(" "));
      expect(await page.locator("closeloop-widget img").count()).toBe(0);
      await press(page, "Escape");
      expect(await page.locator("closeloop-widget").count()).toBe(0);
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
      await page.close();
    });
  },
);
