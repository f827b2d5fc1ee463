import { ValidationError } from "../errors.js";
import {
  checkCounts,
  checkScores,
  countScores,
  countWhere,
  round1,
  type ScoreCounts,
} from "./scores.js";

/** CES: the share of low-effort answers, and the mean. */
export interface CesResult {
  /** % of low-effort answers (5–7 on the 7-point scale, 4–5 on the 5-point), one decimal; `null` with no scores. */
  score: number | null;
  /** Mean answer, two decimals; `null` with no scores. */
  mean: number | null;
  n: number;
  lowEffort: number;
  scale: 5 | 7;
}

/**
 * Customer Effort Score on a 7-point (default) or 5-point scale, where higher means easier:
 * CES = % of answers in the top part of the scale (5–7 of 7, 4–5 of 5), reported with the mean.
 *
 * @throws ValidationError when a score is outside the scale.
 * @example ces([7, 6, 2], { scale: 7 }) // { score: 66.7, mean: 5, n: 3, lowEffort: 2, scale: 7 }
 */
export function ces(scores: readonly number[], options: { scale?: 5 | 7 } = {}): CesResult {
  const scale = checkScale(options.scale);
  checkScores(scores, 1, scale, `CES (${scale}-point)`);
  return fromCounts(countScores(scores), scale);
}

/**
 * {@link ces} from how many answers gave each score (score → count).
 *
 * @throws ValidationError when a score is outside the scale or a count is not a count.
 * @example cesFromCounts(new Map([[7, 1], [6, 1], [2, 1]])) // { score: 66.7, mean: 5, n: 3, lowEffort: 2, scale: 7 }
 */
export function cesFromCounts(counts: ScoreCounts, options: { scale?: 5 | 7 } = {}): CesResult {
  const scale = checkScale(options.scale);
  checkCounts(counts, 1, scale, `CES (${scale}-point)`);
  return fromCounts(counts, scale);
}

function checkScale(scale: unknown = 7): 5 | 7 {
  if (scale !== 5 && scale !== 7) {
    throw new ValidationError("CES options", [
      { path: "scale", code: "invalid_value", message: `must be 5 or 7, got ${String(scale)}` },
    ]);
  }
  return scale;
}

function fromCounts(counts: ScoreCounts, scale: 5 | 7): CesResult {
  const threshold = scale === 7 ? 5 : 4;
  const lowEffort = countWhere(counts, (s) => s >= threshold);
  const n = countWhere(counts, () => true);
  let sum = 0;
  for (const [score, count] of counts) sum += score * count;
  return {
    score: n === 0 ? null : round1((lowEffort / n) * 100),
    mean: n === 0 ? null : Math.round((sum / n) * 100) / 100,
    n,
    lowEffort,
    scale,
  };
}
