import type { CesResult } from "../metrics/ces.js";
import type { CsatResult } from "../metrics/csat.js";
import type { AssetGrowth } from "../metrics/customers.js";
import type { Dimension } from "../metrics/group.js";
import type { LoopHealth } from "../metrics/loop-health.js";
import type { NpsResult } from "../metrics/nps.js";

// The HTTP contract of `GET /v1/metrics`, shared by the collector and the node client
// (docs/collector.md).

/** What `GET /v1/metrics` asks for: a period, and optionally a dimension to group by. */
export interface MetricsQuery {
  /** Start of the period, inclusive (ISO-8601). */
  from: string;
  /** End of the period, exclusive (ISO-8601). */
  to: string;
  groupBy?: Dimension;
  /** The instant loops are judged breached at (the earlier of `to` and the current time). */
  asOf: string;
}

/** Every metric for one group of loops (or for all loops of the period). */
export interface GroupMetrics {
  /** Over the scoring answers of NPS surveys. */
  nps: NpsResult;
  /** Over the scoring answers of CSAT surveys. */
  csat: CsatResult;
  /** Over the scoring answers of CES surveys (7-point). */
  ces: CesResult;
  /** Health of the loops opened in the period; `breached` as of `asOf`. */
  loops: LoopHealth;
  /** Summed value of customers with an open loop in a negative segment (each customer once). */
  valueAtRisk: { value: number; customers: number };
  /** Customers with a risk signal (score drop of 3 or more, or a second detractor answer within 90 days) in the period. */
  atRisk: { customers: number };
}

/** The answer of `GET /v1/metrics`. */
export interface MetricsReport {
  from: string;
  to: string;
  groupBy: Dimension | null;
  asOf: string;
  /** Every loop of the period. */
  total: GroupMetrics;
  /** By the value of `groupBy` (`"(none)"` for loops without one); present when grouped. */
  groups?: Record<string, GroupMetrics>;
  /** Customers gained and lost in the period (`trackCustomer`); customer events carry no dimension. */
  customers: AssetGrowth;
}
