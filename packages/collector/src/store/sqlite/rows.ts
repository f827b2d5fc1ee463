// Reading rows back: every table keeps the document as JSON text in `data` (or `definition`,
// `meta`), so a read is a parse, and what comes back is what was written.
import type Database from "better-sqlite3";
import { sqliteRows } from "./dialect.js";

/** The parsed `column` of the first row, or `undefined` when there is none. */
export function one<T>(
  statement: Database.Statement,
  args: unknown[],
  column = "data",
): T | undefined {
  const row = statement.get(...args) as Record<string, string> | undefined;
  return row === undefined ? undefined : sqliteRows.document<T>(row, column);
}

/** The parsed `column` of every row, in the statement's order. */
export function all<T>(statement: Database.Statement, args: unknown[], column = "data"): T[] {
  return (statement.all(...args) as Record<string, string>[]).map((row) =>
    sqliteRows.document<T>(row, column),
  );
}
