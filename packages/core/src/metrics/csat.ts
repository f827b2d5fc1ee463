import {
  checkCounts,
  checkScores,
  countScores,
  countWhere,
  round1,
  type ScoreCounts,
} from "./scores.js";

/** CSAT: the share of satisfied answers (4–5 on the 5-point scale). */
export interface CsatResult {
  /** % of answers that are 4 or 5, one decimal; `null` with no scores. */
  score: number | null;
  n: number;
  satisfied: number;
  scale: 5;
}

/**
 * CSAT = % of answers that are 4 or 5 on a 1–5 scale.
 *
 * @throws ValidationError when a score is not an integer 1–5.
 * @example csat([5, 4, 2, 3]) // { score: 50, n: 4, satisfied: 2, scale: 5 }
 */
export function csat(scores: readonly number[]): CsatResult {
  checkScores(scores, 1, 5, "CSAT");
  return fromCounts(countScores(scores));
}

/**
 * {@link csat} from how many answers gave each score (score → count).
 *
 * @throws ValidationError when a score is not an integer 1–5 or a count is not a count.
 * @example csatFromCounts(new Map([[5, 1], [4, 1], [2, 2]])) // { score: 50, n: 4, satisfied: 2, scale: 5 }
 */
export function csatFromCounts(counts: ScoreCounts): CsatResult {
  checkCounts(counts, 1, 5, "CSAT");
  return fromCounts(counts);
}

function fromCounts(counts: ScoreCounts): CsatResult {
  const satisfied = countWhere(counts, (s) => s >= 4);
  const n = countWhere(counts, () => true);
  return { score: n === 0 ? null : round1((satisfied / n) * 100), n, satisfied, scale: 5 };
}
