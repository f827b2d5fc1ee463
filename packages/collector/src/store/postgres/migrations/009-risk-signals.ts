// Schema step 9 (same step as the SQLite store's): each risk signal is kept when the answer that
// raises it arrives, with that answer's loop, so a period's customers at risk are read from the
// period's signals instead of every respondent's whole history (docs/metrics.md). The answers
// already stored get their signals here, judged as the metrics judged them until now.
import { riskSignalsBackfillSql } from "../../risk-signals.js";

export const riskSignals = `
CREATE TABLE risk_signals (
  env_id text NOT NULL,
  customer_id text NOT NULL,
  loop_id text NOT NULL,
  at timestamptz NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (env_id, loop_id, reason)
);
CREATE INDEX risk_signals_at ON risk_signals (env_id, at) INCLUDE (customer_id, loop_id);
${riskSignalsBackfillSql({
  // The dialect's duration as it was when this step was released (it has since moved to
  // doubles): a migration's text never changes.
  durationMs: (later, earlier) => `(extract(epoch from (${later} - ${earlier})) * 1000)::float8`,
})}`;
