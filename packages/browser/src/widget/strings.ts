// The widget's own words, per language. Each language is one "|"-separated line in the order of
// `S`: that keeps four languages within the widget's size budget (docs/size.md).
/**
 * The widget's strings by name: `s[S.next]`. An enum, because a bundler writes its members as
 * numbers, so no name reaches the bundle.
 */
export enum S {
  next,
  back,
  submit,
  close,
  thanks,
  required,
  invalid,
  other,
  of,
  npsLow,
  npsHigh,
  csatLow,
  csatHigh,
  cesLow,
  cesHigh,
  agree,
  feedback,
  category,
  bug,
  idea,
  cancel,
  told,
  did,
}

/** The widget's UI strings in one language, indexed by `S`. */
export type Strings = Record<S, string>;

const LINES: Record<string, string> = {
  en: "Next|Back|Submit|Close|Thank you!|Required|Check your answer|Other|of|Not likely|Very likely|Very unsatisfied|Very satisfied|Very difficult|Very easy|I agree|Your feedback|Category|Bug|Idea|Cancel|You told us|What we did",
  fr: "Suivant|Retour|Envoyer|Fermer|Merci\u00a0!|Obligatoire|Vérifiez votre réponse|Autre|sur|Peu probable|Très probable|Très insatisfait|Très satisfait|Très difficile|Très facile|J’accepte|Votre avis|Catégorie|Bug|Idée|Annuler|Vous nous avez dit|Ce que nous avons fait",
  ar: "التالي|السابق|إرسال|إغلاق|شكرًا!|مطلوب|تحقق من إجابتك|أخرى|من|غير محتمل|محتمل جدًا|غير راضٍ|راضٍ جدًا|صعب جدًا|سهل جدًا|أوافق|ملاحظاتك|الفئة|خلل|فكرة|إلغاء|أخبرتنا|ما فعلناه",
  he: "הבא|הקודם|שליחה|סגירה|תודה!|חובה|בדקו את התשובה|אחר|מתוך|לא סביר|סביר מאוד|לא מרוצה|מרוצה מאוד|קשה מאוד|קל מאוד|מסכים/ה|המשוב שלך|קטגוריה|תקלה|רעיון|ביטול|אמרת לנו|מה עשינו",
};

/**
 * The UI strings for a locale such as `fr-CA`: its language's, else English.
 *
 * @example
 * stringsFor("he-IL")[S.next] // "הבא"
 */
export function stringsFor(locale: string): Strings {
  return (LINES[locale.slice(0, 2).toLowerCase()] ?? (LINES.en as string)).split(
    "|",
  ) as unknown as Strings;
}

/** Whether a locale is written right to left (Arabic, Hebrew, Persian, Urdu). */
export const isRtl = (locale: string): boolean => /^(ar|he|fa|ur)\b/i.test(locale);
