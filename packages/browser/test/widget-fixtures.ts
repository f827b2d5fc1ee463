// Surveys, notices and hostile text the widget tests show, shared by the test files and the page
// that runs in Chromium.
import type { ClosureNotice, SurveyInput } from "@closeloop/core";

/** Text in English and Hebrew (the survey's two locales). */
const t = (en: string, he: string) => ({ en, he });

/** Text that must stay text: markup, a style breaker and a right-to-left override (U+202E). */
export const HOSTILE = [
  "<img src=x onerror=window.pwned=1>",
  "</style><style>*{display:none}</style>",
  "\u202Eevil\u202C <script>window.pwned=2</script>",
] as const;

/** Every question type, in this order; a score of 9 or more jumps straight to "why". */
export function everyType(hostile = false): SurveyInput {
  const x = (s: string) => (hostile ? `${s} ${HOSTILE.join(" ")}` : s);
  const ack = (en: string) => ({ acknowledge: { message: t(x(en), "תודה רבה") } });
  return {
    id: "every-type",
    version: 1,
    name: "Every type",
    locales: ["en", "he"],
    questions: [
      {
        id: "score",
        type: "nps",
        required: true,
        text: t(x("How likely are you to recommend us to a friend?"), "עד כמה סביר שתמליצו עלינו?"),
      },
      {
        id: "csat",
        type: "csat",
        text: t("How satisfied are you with checkout?", "עד כמה אתם מרוצים מהתשלום?"),
      },
      { id: "ces", type: "ces", text: t("How easy was it to export?", "כמה קל היה לייצא?") },
      {
        id: "rnum",
        type: "rating",
        scale: 4,
        display: "number",
        text: t("Rate the docs", "דרגו את התיעוד"),
      },
      {
        id: "rstar",
        type: "rating",
        scale: 5,
        display: "stars",
        text: t("Rate the dashboard", "דרגו את לוח הבקרה"),
      },
      {
        id: "remoji",
        type: "rating",
        scale: 3,
        display: "emoji",
        text: t("How do you feel today?", "איך אתם מרגישים היום?"),
      },
      {
        id: "pick",
        type: "single_choice",
        text: t("What brought you here?", "מה הביא אתכם לכאן?"),
        options: [
          { id: "a", text: t(x("A search engine"), "מנוע חיפוש") },
          { id: "b", text: t("A friend", "חבר") },
          { id: "c", text: t("An advert with a rather long label that wraps", "פרסומת") },
        ],
        other: { text: t("Something else", "משהו אחר") },
      },
      {
        id: "many",
        type: "multi_choice",
        text: t("Which features do you use?", "באילו תכונות אתם משתמשים?"),
        options: [
          { id: "x", text: t("Exports", "ייצוא") },
          { id: "y", text: t("Alerts", "התראות") },
          { id: "z", text: t("Reports", "דוחות") },
        ],
        other: { text: t("Other", "אחר") },
      },
      {
        id: "why",
        type: "open_text",
        minLength: 3,
        maxLength: 200,
        text: t("What is the main reason for your score?", "מה הסיבה העיקרית לציון?"),
      },
      {
        id: "ok",
        type: "consent",
        required: true,
        text: t("May we contact you about your answers?", "האם נוכל ליצור איתכם קשר?"),
      },
    ],
    logic: [
      {
        question: "score",
        rules: [{ if: { question: "score", op: "gte", value: 9 }, then: { jump: "why" } }],
      },
    ],
    loop: {
      routes: {
        detractor: {
          action: "follow-up",
          owner: "support",
          acknowledgeWithin: "4h",
          closeWithin: "48h",
          ...ack("We are sorry. Someone from our team will contact you within two days."),
        },
        passive: { action: "none", ...ack("Thank you, we read every answer.") },
        promoter: { action: "none", ...ack("Thank you! Glad we got it right.") },
      },
    },
  };
}

/** A closure notice, quoting the respondent unless `youSaid` is left out. */
export function notice(hostile = false, youSaid = true): ClosureNotice {
  const x = (s: string) => (hostile ? `${s} ${HOSTILE.join(" ")}` : s);
  return {
    id: "n1",
    loopId: "loop-1",
    ...(youSaid ? { youSaid: x("Exports to CSV are far too slow.") } : {}),
    message: x("We rebuilt the exporter: a 10,000-row CSV now takes two seconds."),
    createdAt: "2026-12-01T10:00:00.000Z",
  };
}
