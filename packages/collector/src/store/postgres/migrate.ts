// `migrate()` on PostgreSQL: creates the schema if missing and applies the steps it lacks, all in
// one transaction under a transaction-scoped advisory lock keyed by the schema. Collectors
// starting together queue on the lock, and each one after the first finds every step recorded
// and applies nothing. DDL is transactional in PostgreSQL, so a failed step leaves no half-made
// table behind.
import type { Pool } from "pg";
import { applySteps } from "../migration.js";
import { pg } from "../native.js";
import { MIGRATIONS } from "./migrations/index.js";
import { inTransaction } from "./transaction.js";

/** Applies the steps `schema` lacks. */
export async function applyMigrations(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtext('closeloop.migrate'), hashtext($1))",
      [schema],
    );
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg().escapeIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      "SELECT version FROM schema_migrations",
    );
    const recorded = new Set(rows.map((r) => r.version));
    await applySteps(MIGRATIONS, {
      // The whole run is already one transaction under the lock.
      atomically: (body) => body(),
      applied: (version) => recorded.has(version),
      async apply(step) {
        await client.query(step.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
          step.version,
          step.name,
        ]);
      },
    });
  });
}
