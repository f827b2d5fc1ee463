// Risk signals are judged when an answer arrives (`ingest/risk.ts`, core's `riskSignals` over
// the respondent's history) and kept in `risk_signals`, one row per signal with the loop whose
// answer raised it, so the metrics count a period's customers at risk from the period's
// signals instead of replaying every respondent's history (docs/metrics.md).
import type { SqlDialect } from "./dialect.js";

const NINETY_DAYS_MS = 90 * 86_400_000;

/** A risk signal as the store keeps it: whose, raised by which answer's loop, when, and why. */
export interface StoredRiskSignal {
  customerId: string;
  loopId: string;
  at: string;
  reason: "score_drop" | "repeat_detractor";
}

/**
 * The signals of every answer already stored, for the schema step that adds `risk_signals`
 * (both dialects). The same judgement as core's `riskSignals` per respondent and scoring type,
 * in answer order (opening time, then loop id): a drop of 3 or more from the previous answer,
 * and the first detractor answer within 90 days of the previous one (once per respondent).
 * Part of schema step 9: like a migration file, never edited once released.
 */
export function riskSignalsBackfillSql(d: Pick<SqlDialect, "durationMs">): string {
  return `
WITH h AS (
  SELECT env_id, respondent_id AS c, id, opened_at AS t, segment, score,
    lag(score) OVER (PARTITION BY env_id, respondent_id, score_type ORDER BY opened_at, id) AS prev
  FROM loops WHERE respondent_id IS NOT NULL AND score_type IN ('nps', 'csat', 'ces')),
dd AS (
  SELECT env_id, c, id, t, lag(t) OVER (PARTITION BY env_id, c ORDER BY t, id) AS prev_t
  FROM h WHERE segment = 'detractor'),
rep AS (
  SELECT env_id, c, id, t, row_number() OVER (PARTITION BY env_id, c ORDER BY t, id) AS k
  FROM dd WHERE prev_t IS NOT NULL AND ${d.durationMs("t", "prev_t")} <= ${NINETY_DAYS_MS})
INSERT INTO risk_signals (env_id, customer_id, loop_id, at, reason)
SELECT env_id, c, id, t, 'score_drop' FROM h WHERE prev IS NOT NULL AND prev - score >= 3
UNION ALL
SELECT env_id, c, id, t, 'repeat_detractor' FROM rep WHERE k = 1;
`;
}
