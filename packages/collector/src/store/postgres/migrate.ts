// `migrate()` on PostgreSQL: creates the schema if missing and applies the steps it lacks, all in
// one transaction under a transaction-scoped advisory lock keyed by the schema. Collectors
// starting together queue on the lock, and each one after the first finds every step recorded
// and applies nothing. DDL is transactional in PostgreSQL, so a failed step leaves no half-made
// table behind.
import type { Pool, PoolClient, QueryConfig } from "pg";
import { applySteps } from "../migration.js";
import { pg } from "../native.js";
import { MIGRATIONS } from "./migrations/index.js";
import { inTransaction } from "./transaction.js";

/** How long one migration statement (the lock wait included) may take, in ms: 10 minutes. */
const MIGRATION_STATEMENT_MS = 600_000;

/** A statement of the migration, with the client's own bound widened to {@link MIGRATION_STATEMENT_MS}. */
function migrationQuery(client: PoolClient, text: string, values?: unknown[]) {
  // Without values a step goes by the simple protocol, which runs several statements in one text.
  // pg reads `query_timeout` from a query's config, though its types leave it out.
  const config: QueryConfig & { query_timeout: number } = {
    text,
    ...(values ? { values } : {}),
    query_timeout: MIGRATION_STATEMENT_MS,
  };
  return client.query(config);
}

/** Applies the steps `schema` lacks. */
export async function applyMigrations(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${MIGRATION_STATEMENT_MS}`);
    await migrationQuery(
      client,
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
        await migrationQuery(client, step.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
          step.version,
          step.name,
        ]);
      },
    });
  });
}
