import { ValidationError } from "../errors.js";
import { checkScores, round1 } from "./scores.js";

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
  const scale = options.scale ?? 7;
  if (scale !== 5 && scale !== 7) {
    throw new ValidationError("CES options", [
      { path: "scale", code: "invalid_value", message: `must be 5 or 7, got ${String(scale)}` },
    ]);
  }
  checkScores(scores, 1, scale, `CES (${scale}-point)`);
  const threshold = scale === 7 ? 5 : 4;
  const lowEffort = scores.filter((s) => s >= threshold).length;
  const n = scores.length;
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    score: n === 0 ? null : round1((lowEffort / n) * 100),
    mean: n === 0 ? null : Math.round((sum / n) * 100) / 100,
    n,
    lowEffort,
    scale,
  };
}
