// Schema step 9: each risk signal is kept when the answer that raises it arrives, with that
// answer's loop, so a period's customers at risk are read from the period's signals (an index
// range) instead of every respondent's whole history (docs/metrics.md). The answers already
// stored get their signals here, judged as the metrics judged them until now.
import { riskSignalsBackfillSql } from "../../risk-signals.js";
import { sqliteDialect } from "../dialect.js";

export const riskSignals = `
CREATE TABLE risk_signals (
  env_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  loop_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (env_id, loop_id, reason)
);
CREATE INDEX risk_signals_at ON risk_signals (env_id, at, customer_id, loop_id);
${riskSignalsBackfillSql(
  sqliteDialect(() => {
    throw new Error("a migration binds no values");
  }),
)}`;
