// The widget's UI strings: every language has every string, Arabic and Hebrew decode to the
// text below (they are stored in ASCII to keep the bundle small), unknown languages get English.
import { describe, expect, it } from "vitest";
import { isRtl, S, stringsFor } from "../src/widget/strings.js";

const COUNT = Object.keys(S).length / 2; // a numeric enum maps both ways
/** The strings as the array they are. */
const list = (locale: string) => stringsFor(locale) as unknown as string[];

const READABLE: Record<string, string> = {
  ar: "التالي|السابق|إرسال|إغلاق|شكرًا!|مطلوب|تحقق من إجابتك|أخرى|من|غير محتمل|محتمل جدًا|غير راضٍ|راضٍ جدًا|صعب جدًا|سهل جدًا|أوافق|ملاحظاتك|الفئة|خلل|فكرة|إلغاء|أخبرتنا|ما فعلناه",
  he: "הבא|הקודם|שליחה|סגירה|תודה!|חובה|בדקו את התשובה|אחר|מתוך|לא סביר|סביר מאוד|לא מרוצה|מרוצה מאוד|קשה מאוד|קל מאוד|מסכים/ה|המשוב שלך|קטגוריה|תקלה|רעיון|ביטול|אמרת לנו|מה עשינו",
};

describe("stringsFor", () => {
  it("gives every language every string, none empty", () => {
    for (const lang of ["en", "fr", "ar", "he"]) {
      const s = list(lang);
      expect(s, lang).toHaveLength(COUNT);
      expect(
        s.every((w) => w.trim() !== ""),
        lang,
      ).toBe(true);
    }
  });

  it("decodes Arabic and Hebrew to their letters", () => {
    expect(list("ar").join("|")).toBe(READABLE.ar);
    expect(list("he-IL").join("|")).toBe(READABLE.he);
    expect(stringsFor("he")[S.next]).toBe("הבא");
  });

  it("picks by language and falls back to English", () => {
    expect(stringsFor("fr-CA")[S.next]).toBe("Suivant");
    expect(stringsFor("de")[S.next]).toBe("Next");
    expect(stringsFor("en")[S.did]).toBe("What we did");
  });

  it("knows which languages run right to left", () => {
    expect(["ar", "he-IL", "fa", "ur-PK"].map(isRtl)).toEqual([true, true, true, true]);
    expect(["en", "fr", "arn", "hr"].map(isRtl)).toEqual([false, false, false, false]);
  });
});
