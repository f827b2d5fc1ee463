import { createRequire } from "node:module";

// The drivers load when a store is opened, not when @closeloop/node is imported: a backend that
// only uses the client never loads SQLite's native addon or pg.
const load = createRequire(import.meta.url);

/** better-sqlite3's `Database` class. */
export const betterSqlite3 = (): typeof import("better-sqlite3") => load("better-sqlite3");

/** The `pg` module. */
export const pg = (): typeof import("pg") => load("pg");
