import {
  checkCounts,
  checkScores,
  countScores,
  countWhere,
  round1,
  type ScoreCounts,
} from "./scores.js";

/** Net Promoter Score with its 95% interval; `score`, `lower` and `upper` are `null` with no scores. */
export interface NpsResult {
  /** %promoters − %detractors, from −100 to 100, one decimal. */
  score: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
}

const Z95 = 1.959964;

/**
 * NPS = %promoters (9–10) − %detractors (0–6), with a 95% confidence interval by the
 * adjusted-Wald method (Rocks 2016; Sauro & Lewis): add 3 to n and ¾ to the promoter and the
 * detractor counts, then `nps' ± z·√((p'+d'−(p'−d')²)/n')`, clamped to [−100, 100].
 *
 * @throws ValidationError when a score is not an integer 0–10.
 * @example nps([10, 9, 3, 8]) // { score: 25, lower: …, upper: …, n: 4, promoters: 2, passives: 1, detractors: 1 }
 */
export function nps(scores: readonly number[]): NpsResult {
  checkScores(scores, 0, 10, "NPS");
  return fromCounts(countScores(scores));
}

/**
 * {@link nps} from how many answers gave each score (score → count), as `GROUP BY score`
 * returns them: the same result as `nps` on the answers themselves.
 *
 * @throws ValidationError when a score is not an integer 0–10 or a count is not a count.
 * @example npsFromCounts(new Map([[10, 2], [3, 1], [8, 1]])) // same as nps([10, 10, 3, 8])
 */
export function npsFromCounts(counts: ScoreCounts): NpsResult {
  checkCounts(counts, 0, 10, "NPS");
  return fromCounts(counts);
}

function fromCounts(counts: ScoreCounts): NpsResult {
  const promoters = countWhere(counts, (s) => s >= 9);
  const detractors = countWhere(counts, (s) => s <= 6);
  const n = countWhere(counts, () => true);
  const passives = n - promoters - detractors;
  if (n === 0) return { score: null, lower: null, upper: null, n, promoters, passives, detractors };
  const nAdj = n + 3;
  const p = (promoters + 0.75) / nAdj;
  const d = (detractors + 0.75) / nAdj;
  const center = p - d;
  const half = Z95 * Math.sqrt((p + d - center * center) / nAdj);
  return {
    score: round1(((promoters - detractors) / n) * 100),
    lower: round1(Math.max(-1, center - half) * 100),
    upper: round1(Math.min(1, center + half) * 100),
    n,
    promoters,
    passives,
    detractors,
  };
}
