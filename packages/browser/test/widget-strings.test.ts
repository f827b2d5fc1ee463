// The widget's words: English built in, every translation the collector sends complete, a
// language's words picked by locale with English for whatever is missing.
import { WIDGET_STRINGS_EN, WIDGET_TRANSLATIONS } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import { isRtl, stringsFor } from "../src/widget/strings.js";

describe("the widget's words", () => {
  it("has every word in every language the collector sends, none empty", () => {
    const names = Object.keys(WIDGET_STRINGS_EN).sort();
    for (const [lang, words] of Object.entries(WIDGET_TRANSLATIONS)) {
      expect(Object.keys(words).sort(), lang).toEqual(names);
      expect(
        Object.values(words).every((w) => w.trim() !== ""),
        lang,
      ).toBe(true);
    }
  });

  it("picks the locale's language from the translations, else English", () => {
    expect(stringsFor("fr-CA", WIDGET_TRANSLATIONS).next).toBe("Suivant");
    expect(stringsFor("he", WIDGET_TRANSLATIONS).next).toBe("הבא");
    expect(stringsFor("de", WIDGET_TRANSLATIONS).next).toBe("Next");
    expect(stringsFor("fr").next).toBe("Next");
    expect(stringsFor("en", WIDGET_TRANSLATIONS).did).toBe("What we did");
  });

  it("fills a word a translation lacks in English", () => {
    const s = stringsFor("fr", { fr: { next: "Suivant" } });
    expect([s.next, s.back]).toEqual(["Suivant", "Back"]);
  });

  it("knows which languages run right to left", () => {
    expect(["ar", "he-IL", "fa", "ur-PK"].map(isRtl)).toEqual([true, true, true, true]);
    expect(["en", "fr", "arn", "hr"].map(isRtl)).toEqual([false, false, false, false]);
  });
});
