import { createRequire } from "node:module";

// The drivers load when a store is opened, not when @closeloop/collector is imported: a collector
// on PostgreSQL never loads SQLite's native addon, nor one on SQLite pg.
const load = createRequire(import.meta.url);

/** better-sqlite3's `Database` class. */
export const betterSqlite3 = (): typeof import("better-sqlite3") => load("better-sqlite3");

/** The `pg` module. */
export const pg = (): typeof import("pg") => load("pg");
