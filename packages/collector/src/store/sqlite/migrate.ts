// `migrate()` on SQLite: each step in its own `BEGIN IMMEDIATE` transaction that first re-reads
// `schema_migrations`, because another process on the same file may have applied it meanwhile
// (the write lock makes that check and the step one atomic unit).
import type Database from "better-sqlite3";
import { applySteps } from "../migration.js";
import { MIGRATIONS } from "./migrations/index.js";

/** Applies the steps this file lacks; `at` stamps each step's record. */
export async function applyMigrations(db: Database.Database, at: () => string): Promise<void> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  await applySteps(MIGRATIONS, {
    async atomically(body) {
      db.exec("BEGIN IMMEDIATE");
      try {
        await body();
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    applied: (version) => applied.get(version) !== undefined,
    apply(step) {
      db.exec(step.sql);
      record.run(step.version, step.name, at());
    },
  });
}
