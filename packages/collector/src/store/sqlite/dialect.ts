// SQLite's spelling of the shared statements' dialect pieces, and how its rows come back
// (docs/stores.md): instants are INTEGER epoch ms, so an instant is a plain parameter and a
// duration a subtraction; documents are JSON text.
import type { SqlDialect } from "../dialect.js";
import { type ColumnReader, rowReaders } from "../row-readers.js";

/** JSON columns are text; instants epoch ms. */
export const sqliteColumns: ColumnReader<string, number> = {
  json: <T>(text: string) => JSON.parse(text) as T,
  iso: (t) => new Date(t).toISOString(),
};

/** Rows → records on SQLite (`row-readers.ts`). */
export const sqliteRows = rowReaders(sqliteColumns);

const sqliteDouble = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/** The dialect for one statement, whose values `param` collects. */
export function sqliteDialect(param: (value: string | number) => string): SqlDialect {
  return {
    param,
    time: param,
    durationMs: (later, earlier) => `(${later} - ${earlier})`,
    floor: (expr) => `CAST(${expr} AS INTEGER)`,
    double: sqliteDouble,
    // Built into the SQLite that better-sqlite3 bundles (SQLITE_ENABLE_PERCENTILE).
    percentile: (expr, q) => `percentile_cont(${expr}, ${sqliteDouble(q)})`,
    // `x IN (a, b, c)` of constants is a lookup in an ephemeral b-tree per row; a `CASE` of
    // comparisons cost a week's open count 8 million instructions instead of 13 (callgrind,
    // docs/benchmarks.md).
    oneOf: (expr, values) =>
      `(CASE ${expr} ${[...values].map((v) => `WHEN '${v}' THEN 1`).join(" ")} ELSE 0 END = 1)`,
    // One text key, every part but the last followed by U+001F and NULL spelled '' (which the
    // parts are never otherwise): its sort compares one text per pair of rows. With three keys
    // SQLite decoded both rows at every tie of the first, most of a week's counts statement
    // (77 million instructions against 55; docs/benchmarks.md). The keys themselves are selected
    // as bare columns beside it, the same in every row of a group.
    groupBy: (keys) =>
      ` GROUP BY ${keys.map((k, i) => (i < keys.length - 1 ? `coalesce(${k}, '') || char(31) || ` : k)).join("")}`,
  };
}
