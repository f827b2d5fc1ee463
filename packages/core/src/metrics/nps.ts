import { checkScores, round1 } from "./scores.js";

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
  let promoters = 0;
  let detractors = 0;
  for (const s of scores) {
    if (s >= 9) promoters++;
    else if (s <= 6) detractors++;
  }
  const n = scores.length;
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
