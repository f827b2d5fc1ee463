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
  /**
   * `expr` is one of `values` (fixed text literals, spliced in: never a caller's value). SQLite
   * tests a list of more than two values by a lookup in a b-tree it builds for the statement, a
   * few times a plain comparison's cost per row; it is spelled there as a `CASE` instead.
   */
  oneOf(expr: string, values: Iterable<string>): string;
  /**
   * A `GROUP BY` of `keys`, each of one type: the last any text but `NULL`, the others each
   * `NULL` or a value whose text is never `''` and never holds U+001F. PostgreSQL groups by the
   * keys themselves; SQLite by one text made of them all, so its sort compares one key per pair
   * of rows (where several cost it a decode of both rows at every tie of the first). A key may
   * be a result column's alias; the statement selects each key as a column (bare on SQLite: the
   * same in every row of a group).
   */
  groupBy(keys: readonly string[]): string;
}
