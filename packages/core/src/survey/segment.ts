import { SCORING_TYPES } from "../patterns.js";
import type { Answers, Question, ScoringQuestion } from "../schemas/question.js";
import type { Survey } from "../schemas/survey.js";
import { canFinishWithout, logicGraph } from "./graph.js";

/** Segments of each scoring type, from the least to the most satisfied. */
export const SEGMENTS = {
  nps: ["detractor", "passive", "promoter"],
  csat: ["unsatisfied", "neutral", "satisfied"],
  ces: ["high-effort", "neutral", "low-effort"],
  rating: ["low", "mid", "high"],
} as const;

/** The segment of a survey with no scoring question. */
export const SEGMENT_ALL = "all";
/** The segment of a finished response whose scoring question was left unanswered. */
export const SEGMENT_UNSCORED = "unscored";
/**
 * Segments that call for recovery: the least satisfied segment of each scoring type. Built in a
 * pure call: a module-level `new Set` is kept by bundlers even where it is unused (browser SDK).
 */
export const NEGATIVE_SEGMENTS: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(Object.values(SEGMENTS).map((s) => s[0])))();

/** The survey's scoring question: its first nps, csat, ces or rating question. */
export function scoringQuestionOf(questions: readonly Question[]): ScoringQuestion | undefined {
  return questions.find((q): q is ScoringQuestion =>
    (SCORING_TYPES as readonly string[]).includes(q.type),
  );
}

/**
 * The segment a score falls in. Ratings split their scale in thirds by position
 * (`3·(v−1)` against `n−1`), so a 2-point scale has only `low` and `high`.
 */
export function segmentForScore(
  question: { type: ScoringQuestion["type"]; scale?: number },
  score: number,
): string {
  switch (question.type) {
    case "nps":
      return score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter";
    case "csat":
      return score <= 2 ? "unsatisfied" : score === 3 ? "neutral" : "satisfied";
    case "ces":
      return score <= 3 ? "high-effort" : score === 4 ? "neutral" : "low-effort";
    case "rating": {
      const span = (question.scale ?? 5) - 1;
      const pos = 3 * (score - 1);
      return pos < span ? "low" : pos > 2 * span ? "high" : "mid";
    }
  }
}

/** Segments a scoring question can produce (a rating scale may not reach `mid`). */
export function segmentsForQuestion(question: {
  type: ScoringQuestion["type"];
  scale?: number;
}): string[] {
  if (question.type !== "rating") return [...SEGMENTS[question.type]];
  const seen = new Set<string>();
  for (let v = 1; v <= (question.scale ?? 5); v++) seen.add(segmentForScore(question, v));
  return SEGMENTS.rating.filter((s) => seen.has(s));
}

/**
 * Every segment a survey's finished responses can fall in — the routes its loop policy must
 * have. Includes `unscored` when a respondent can finish without answering the scoring question
 * (it is optional, or logic can jump past it).
 */
export function segmentsOf(survey: Pick<Survey, "questions" | "logic">): string[] {
  const scoring = scoringQuestionOf(survey.questions);
  if (!scoring) return [SEGMENT_ALL];
  const segments = segmentsForQuestion(scoring);
  const skippable =
    !scoring.required ||
    canFinishWithout(logicGraph(survey.questions, survey.logic), survey.questions, scoring.id);
  if (skippable) segments.push(SEGMENT_UNSCORED);
  return segments;
}

/**
 * The segment a set of answers falls in: by the scoring question's answer, `unscored` when it
 * was not answered, or `all` for a survey with no scoring question.
 *
 * @example segmentOf(survey, { score: 3 }) // "detractor"
 */
export function segmentOf(survey: Pick<Survey, "questions">, answers: Answers): string {
  const scoring = scoringQuestionOf(survey.questions);
  if (!scoring) return SEGMENT_ALL;
  const score = answers[scoring.id];
  return typeof score === "number" ? segmentForScore(scoring, score) : SEGMENT_UNSCORED;
}
