import { type Issue, ValidationError } from "../errors.js";

/** Throws a `ValidationError` naming every score that is not an integer in `[min, max]`. */
export function checkScores(
  scores: readonly number[],
  min: number,
  max: number,
  what: string,
): void {
  const issues: Issue[] = [];
  scores.forEach((s, i) => {
    if (!Number.isInteger(s) || s < min || s > max) {
      issues.push({
        path: `scores.${i}`,
        code: "out_of_range",
        message: `${what} scores are integers from ${min} to ${max}; got ${s}`,
      });
    }
  });
  if (issues.length > 0) throw new ValidationError(`${what} scores`, issues);
}

/**
 * Rounds to one decimal, the precision every score is reported in: halves away from zero, so
 * −0.25 and 0.25 round alike, and never `-0`.
 */
export function round1(x: number): number {
  const r = (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
  return r === 0 ? 0 : r;
}
