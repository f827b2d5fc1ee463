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
  };
}
