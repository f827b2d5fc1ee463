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

/**
 * The `scoreHistory` queries' order (`ORDER BY opened_at, id`) for rows merged in memory: opening
 * time, then loop id by code unit (loop ids are UUIDs, which both stores' orders agree on).
 */
export const byOpening = (a: HistoryRow, b: HistoryRow): number =>
  a.t - b.t || (a.loopId < b.loopId ? -1 : a.loopId > b.loopId ? 1 : 0);
