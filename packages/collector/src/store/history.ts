import type { ScoredLoop } from "./types.js";

/** A row of either store's `scoreHistory` query: the opening time in epoch ms. */
export interface HistoryRow {
  loopId: string;
  t: number;
  score: number;
  segment: string;
}

/** The row as the port answers it. */
export const scoredLoop = (r: HistoryRow): ScoredLoop => ({
  loopId: r.loopId,
  at: new Date(Number(r.t)).toISOString(),
  score: Number(r.score),
  segment: r.segment,
});
