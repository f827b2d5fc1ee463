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
 * How many answers gave each score: score → count. The form a database hands back from
 * `GROUP BY score`, so every score metric can be computed without loading each answer.
 */
export type ScoreCounts = ReadonlyMap<number, number>;

/** Counts each score of `scores` (already checked). */
export function countScores(scores: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

/**
 * Throws a `ValidationError` naming every score that is not an integer in `[min, max]` and every
 * count that is not a non-negative integer.
 */
export function checkCounts(counts: ScoreCounts, min: number, max: number, what: string): void {
  const issues: Issue[] = [];
  for (const [score, count] of counts) {
    if (!Number.isInteger(score) || score < min || score > max) {
      issues.push({
        path: `counts.${score}`,
        code: "out_of_range",
        message: `${what} scores are integers from ${min} to ${max}; got ${score}`,
      });
    }
    if (!Number.isInteger(count) || count < 0) {
      issues.push({
        path: `counts.${score}`,
        code: "invalid_count",
        message: `a count is a non-negative integer; got ${count}`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(`${what} score counts`, issues);
}

/** Sums the counts of the scores for which `pick` holds. */
export function countWhere(counts: ScoreCounts, pick: (score: number) => boolean): number {
  let n = 0;
  for (const [score, count] of counts) if (pick(score)) n += count;
  return n;
}

/**
 * Rounds to one decimal, the precision every score is reported in: halves away from zero, so
 * −0.25 and 0.25 round alike, and never `-0`.
 */
export function round1(x: number): number {
  const r = (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
  return r === 0 ? 0 : r;
}
