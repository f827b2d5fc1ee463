// How a store writes the few things its SQL spells differently: placeholders, instants and the
// arithmetic on them. The shared statements (`loop-query.ts`, `metrics-query.ts`) are written
// against this one type, so SQLite and PostgreSQL run the same text but for these pieces
// (see docs/stores.md).

/** One store's spelling of values, instants and arithmetic on them, for one statement. */
export interface SqlDialect {
  /** A placeholder bound to `value` (never the value spliced into the text). */
  param(value: string | number): string;
  /** An instant from epoch ms, comparable with the time columns. */
  time(epochMs: number): string;
  /** `later − earlier` of two time columns, in whole ms as a double. */
  durationMs(later: string, earlier: string): string;
  /** The largest integer ≤ a non-negative double expression. */
  floor(expr: string): string;
  /** A double literal, so rank arithmetic runs in IEEE doubles exactly as in JavaScript. */
  double(literal: number): string;
  /**
   * The aggregate `percentile_cont` of `expr` at `q`: the value at (n − 1)·q of the sorted
   * non-null values, interpolated linearly between the two around it, in doubles — core's
   * `quantileOfSorted` (docs/metrics.md); `NULL` over no values.
   */
  percentile(expr: string, q: number): string;
}
