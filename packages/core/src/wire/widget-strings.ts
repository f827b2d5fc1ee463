// The survey widget's own words. English is built into the browser SDK; the translations travel
// with the active surveys (`GET /v1/surveys` answers `{ surveys, strings }`), so that the
// browser bundle carries one language and a language is added by updating the collector
// (docs/browser.md, docs/size.md).

/** The widget's own words (buttons, labels, headings), by name. */
export interface WidgetStrings {
  next: string;
  back: string;
  submit: string;
  close: string;
  thanks: string;
  required: string;
  invalid: string;
  other: string;
  /** Between the question's number and the count: "2 of 5". */
  of: string;
  npsLow: string;
  npsHigh: string;
  csatLow: string;
  csatHigh: string;
  cesLow: string;
  cesHigh: string;
  /** The checkbox of a consent question. */
  agree: string;
  /** The feedback form's title and the floating button's label. */
  feedback: string;
  category: string;
  bug: string;
  idea: string;
  cancel: string;
  /** A closure notice's heading over what the respondent said. */
  told: string;
  /** A closure notice's heading over what was done. */
  did: string;
}

/** Translations of the widget's words by language (lower-case ISO 639-1 code, such as `fr`). */
export type WidgetTranslations = Readonly<Record<string, Partial<WidgetStrings>>>;

/** The widget's words in English: built in, and what a missing translation falls back to. */
export const WIDGET_STRINGS_EN: Readonly<WidgetStrings> = {
  next: "Next",
  back: "Back",
  submit: "Submit",
  close: "Close",
  thanks: "Thank you!",
  required: "Required",
  invalid: "Check your answer",
  other: "Other",
  of: "of",
  npsLow: "Not likely",
  npsHigh: "Very likely",
  csatLow: "Very unsatisfied",
  csatHigh: "Very satisfied",
  cesLow: "Very difficult",
  cesHigh: "Very easy",
  agree: "I agree",
  feedback: "Your feedback",
  category: "Category",
  bug: "Bug",
  idea: "Idea",
  cancel: "Cancel",
  told: "You told us",
  did: "What we did",
};

/**
 * The translations the collector sends with the active surveys (`strings` of `GET /v1/surveys`).
 *
 * @example
 * WIDGET_TRANSLATIONS.fr?.next // "Suivant"
 */
export const WIDGET_TRANSLATIONS: Readonly<Record<string, WidgetStrings>> = {
  fr: {
    next: "Suivant",
    back: "Retour",
    submit: "Envoyer",
    close: "Fermer",
    thanks: "Merci\u00a0!",
    required: "Obligatoire",
    invalid: "Vérifiez votre réponse",
    other: "Autre",
    of: "sur",
    npsLow: "Peu probable",
    npsHigh: "Très probable",
    csatLow: "Très insatisfait",
    csatHigh: "Très satisfait",
    cesLow: "Très difficile",
    cesHigh: "Très facile",
    agree: "J’accepte",
    feedback: "Votre avis",
    category: "Catégorie",
    bug: "Bug",
    idea: "Idée",
    cancel: "Annuler",
    told: "Vous nous avez dit",
    did: "Ce que nous avons fait",
  },
  ar: {
    next: "التالي",
    back: "السابق",
    submit: "إرسال",
    close: "إغلاق",
    thanks: "شكرًا!",
    required: "مطلوب",
    invalid: "تحقق من إجابتك",
    other: "أخرى",
    of: "من",
    npsLow: "غير محتمل",
    npsHigh: "محتمل جدًا",
    csatLow: "غير راضٍ",
    csatHigh: "راضٍ جدًا",
    cesLow: "صعب جدًا",
    cesHigh: "سهل جدًا",
    agree: "أوافق",
    feedback: "ملاحظاتك",
    category: "الفئة",
    bug: "خلل",
    idea: "فكرة",
    cancel: "إلغاء",
    told: "أخبرتنا",
    did: "ما فعلناه",
  },
  he: {
    next: "הבא",
    back: "הקודם",
    submit: "שליחה",
    close: "סגירה",
    thanks: "תודה!",
    required: "חובה",
    invalid: "בדקו את התשובה",
    other: "אחר",
    of: "מתוך",
    npsLow: "לא סביר",
    npsHigh: "סביר מאוד",
    csatLow: "לא מרוצה",
    csatHigh: "מרוצה מאוד",
    cesLow: "קשה מאוד",
    cesHigh: "קל מאוד",
    agree: "מסכים/ה",
    feedback: "המשוב שלך",
    category: "קטגוריה",
    bug: "תקלה",
    idea: "רעיון",
    cancel: "ביטול",
    told: "אמרת לנו",
    did: "מה עשינו",
  },
};
