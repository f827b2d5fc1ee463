// The SQL of `metrics()`, shared by both stores: loops are aggregated where they lie, and only
// counts and a few quantiles per group come back. Every value goes through the dialect's
// `param`; the only text spliced in is fixed (column names chosen from a closed map, the core's
// state and segment names).
import { type Dimension, NEGATIVE_SEGMENTS, NONE, OPEN_STATES } from "@closeloop/core";
import type { SqlDialect } from "./dialect.js";
import { breachedSql } from "./loop-query.js";

const COLUMN: Record<Dimension, string> = {
  survey: "survey_id",
  journey: "journey",
  touchpoint: "touchpoint",
  region: "region",
  segment: "segment",
};

/** The open states, `captured` (which exists only on the client) tested last. */
const OPEN = [...OPEN_STATES].sort((a, b) => Number(a === "captured") - Number(b === "captured"));
/** The scoring types the metrics report (ratings have no standard metric: their scales differ). */
export const SCORED_TYPES: ReadonlySet<string> = new Set(["nps", "csat", "ces"]);

/** The quantiles loop health reports (p50, p90). */
export const QUANTILES = [0.5, 0.9] as const;

/** The statements of one metrics pass, by name; each binds its own values through the dialect given. */
export type MetricsStatements = Record<
  "counts" | "durations" | "valueAtRisk" | "atRisk",
  (d: SqlDialect) => string
>;

/**
 * The statements for one environment and period, in one pass. Without a dimension every row is
 * the whole period's (`g` is `''`). With one, `counts` answers rows per group (the whole
 * period is their sum), and the other statements, whose figures do not add up across
 * groups (quantiles, distinct customers), answer both: rows with
 * `whole = 1` for the period, `whole = 0` per group. Each statement is built with a fresh
 * dialect, so its values are exactly the ones it uses. `groupDurations: false` leaves the
 * groups' quantiles out (`MetricsOptions.groupDurations`).
 */
export function metricsSql(
  envId: string,
  period: { from: number; to: number; asOf: number },
  dimension: Dimension | undefined,
  groupDurations = true,
): MetricsStatements {
  /** The period's row from `x`, and with a dimension the groups' rows too. */
  const both = (whole: string, perGroup: string) =>
    dimension ? `${whole}\n      UNION ALL\n      ${perGroup}` : whole;
  const common = (d: SqlDialect) => {
    const env = d.param(envId);
    const from = d.time(period.from);
    const to = d.time(period.to);
    return {
      env,
      from,
      to,
      inPeriod: `env_id = ${env} AND opened_at >= ${from} AND opened_at < ${to}`,
    };
  };
  /** A row's group; its placeholder is made only for a statement that uses it (PostgreSQL
   * refuses a value bound to no placeholder). */
  const groupOf = (d: SqlDialect) =>
    dimension ? `coalesce(${COLUMN[dimension]}, ${d.param(NONE)})` : "''";

  // Time to acknowledge (`a`) and to close (`c`), each quantile as the database's
  // `percentile_cont` (`SqlDialect.percentile`, core's definition), of the period
  // (`whole = 1`) and per group; columns `a50`, `a90`, `c50`, `c90`. An aggregate sorts each
  // group's values once, where ranking them with window functions cost a sort and two passes
  // (docs/benchmarks.md).
  const durations = (d: SqlDialect) => {
    const { inPeriod } = common(d);
    const measures = {
      a: d.durationMs("first_acknowledged_at", "opened_at"),
      c: d.durationMs("first_closed_at", "opened_at"),
    };
    const columns = Object.entries(measures)
      .flatMap(([k, v]) => QUANTILES.map((q) => `${d.percentile(v, q)} AS ${k}${q * 100}`))
      .join(", ");
    const rows = `FROM loops WHERE ${inPeriod}
        AND (first_acknowledged_at IS NOT NULL OR first_closed_at IS NOT NULL)`;
    const whole = `SELECT 1 AS whole, '' AS g, ${columns} ${rows}`;
    if (!dimension || !groupDurations) return whole;
    return `${whole}
      UNION ALL
      SELECT 0 AS whole, ${groupOf(d)} AS g, ${columns} ${rows} GROUP BY g`;
  };

  return {
    // One scan for the scores and the loop counts: a row per group and score (`score_type`
    // null for loops without one), with how many of its loops are open and breached.
    // The group comes last among the keys, also without a dimension (`''`): it is the only one
    // that may be any text, and never null (`SqlDialect.groupBy`); score_type is a scoring type
    // or null, score an integer (the column is) or null.
    counts: (d) => {
      const { inPeriod } = common(d);
      const g = groupOf(d);
      const asOf = d.time(period.asOf);
      return `SELECT score_type, score, ${g} AS g, count(*) AS n,
        sum(CASE WHEN ${d.oneOf("state", OPEN)} THEN 1 ELSE 0 END) AS open,
        sum(CASE WHEN ${breachedSql(() => asOf)} THEN 1 ELSE 0 END) AS breached
      FROM loops WHERE ${inPeriod}${d.groupBy(["score_type", "score", "g"])}`;
    },
    durations,
    // A loop's customer is its feedback customer, else its respondent; their value is the
    // loop's `customer.value`, else the last `gained` value `trackCustomer` recorded for them.
    // Negative: the least satisfied segment of a survey, or feedback that someone must follow up.
    // Each customer counts once, at their highest value: per group, and again over the period.
    // The last `gained` value is looked up once per customer (and group), not once per loop.
    // Without a dimension the rows are grouped by customer alone, once: a constant group key
    // made SQLite's sort decode both rows at every comparison, and grouping the customers again
    // for the period sorted them twice (docs/benchmarks.md).
    valueAtRisk: (d) => {
      const { env, inPeriod } = common(d);
      const g = dimension ? "g, " : "";
      // Read twice with a dimension, so computed once; without, read once where it is made.
      // A customer with a loop of no value is worth the larger of their loops' largest value and
      // their last `gained` value (0 without one), compared inside the lookup so that it is
      // written, and run, once per customer: a lookup named twice in the CASE ran twice.
      const x = `x AS ${dimension ? "MATERIALIZED " : ""}(
        SELECT ${g}c, CASE WHEN missing = 0 THEN cv ELSE coalesce(
            (SELECT CASE WHEN y.cv >= ce.value THEN y.cv ELSE ce.value END
              FROM customer_events AS ce WHERE ce.env_id = ${env}
              AND ce.customer_id = y.c AND ce.event = 'gained' AND ce.value IS NOT NULL
              ORDER BY ce.at DESC, ce.id DESC LIMIT 1),
            CASE WHEN cv >= 0 THEN cv ELSE 0 END) END AS v
        FROM y)`;
      return `WITH y AS (
        SELECT ${dimension ? `${groupOf(d)} AS g, ` : ""}coalesce(customer_id, respondent_id) AS c,
          max(customer_value) AS cv,
          sum(CASE WHEN customer_value IS NULL THEN 1 ELSE 0 END) AS missing
        FROM loops WHERE ${inPeriod}
          AND (${d.oneOf("segment", NEGATIVE_SEGMENTS)} OR (source_kind = 'feedback' AND action = 'follow-up'))
          AND ${d.oneOf("state", OPEN)}
          AND coalesce(customer_id, respondent_id) IS NOT NULL
        GROUP BY ${dimension ? "1, 2" : "1"}),
      ${x}
      ${
        dimension
          ? both(
              `SELECT 1 AS whole, '' AS g, count(*) AS customers, sum(v) AS value
          FROM (SELECT c, max(v) AS v FROM x GROUP BY c) t`,
              "SELECT 0 AS whole, g, count(*) AS customers, sum(v) AS value FROM x GROUP BY g",
            )
          : "SELECT 1 AS whole, '' AS g, count(*) AS customers, sum(v) AS value FROM x"
      }`;
    },
    // The signals raised in the period (kept when each answer arrived: `risk-signals.ts`),
    // grouped by the loop whose answer raised them. Without a dimension the signals are read
    // where they lie, not copied first, and their customers counted by a `GROUP BY` (a sort on
    // SQLite, a hash on PostgreSQL) rather than `count(DISTINCT)` (a b-tree insert per signal
    // on SQLite, a sort on PostgreSQL).
    atRisk: (d) => {
      const { env, from, to } = common(d);
      const inPeriod = `rs.env_id = ${env} AND rs.at >= ${from} AND rs.at < ${to}`;
      if (!dimension) {
        return `SELECT 1 AS whole, '' AS g, count(*) AS customers FROM (SELECT rs.customer_id
          FROM risk_signals AS rs WHERE ${inPeriod} GROUP BY rs.customer_id) t`;
      }
      return `WITH x AS MATERIALIZED (
        SELECT ${groupOf(d)} AS g, rs.customer_id AS c FROM risk_signals AS rs
          JOIN loops ON loops.env_id = rs.env_id AND loops.id = rs.loop_id
        WHERE ${inPeriod})
      ${both(
        "SELECT 1 AS whole, '' AS g, count(DISTINCT c) AS customers FROM x",
        "SELECT 0 AS whole, g, count(DISTINCT c) AS customers FROM x GROUP BY g",
      )}`;
    },
  };
}

/** Customer events of the period by kind; not grouped (events carry no dimension). */
export function customerGrowthSql(
  envId: string,
  period: { from: number; to: number },
  d: SqlDialect,
): string {
  return `SELECT event, count(*) AS n, sum(coalesce(value, 0)) AS value FROM customer_events
    WHERE env_id = ${d.param(envId)} AND at >= ${d.time(period.from)} AND at < ${d.time(period.to)}
    GROUP BY event`;
}
