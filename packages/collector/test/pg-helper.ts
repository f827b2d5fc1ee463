// PostgreSQL for tests: one probe, a random schema per test (dropped after the file). Under
// CI=true an unreachable server fails the run; locally the PostgreSQL tests skip with the reason.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { postgresStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";

export const PG_URL =
  process.env.CLOSELOOP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const pgRequired = process.env.CI === "true";

/**
 * Probes PostgreSQL for the cases named `what`: under CI=true an unreachable server fails the
 * file; locally it prints why those cases skip. Answers why it is unreachable, or `undefined`.
 */
export async function postgresFor(what: string): Promise<string | undefined> {
  const unreachable = await probePostgres();
  if (unreachable !== undefined && pgRequired) {
    throw new Error(`CI=true requires PostgreSQL at ${PG_URL}: ${unreachable}`);
  }
  if (unreachable !== undefined) {
    console.warn(`${what} skipped: ${PG_URL} unreachable (${unreachable})`);
  }
  return unreachable;
}

/** Schemas made by `pgStores`, for `dropSchemas`. */
const schemas: string[] = [];

/** A new schema name, dropped by `dropSchemas`. */
export function newPgSchema(): string {
  const schema = `closeloop_test_${randomBytes(6).toString("hex")}`;
  schemas.push(schema);
  return schema;
}

/** `n` stores (each its own pool) on one schema (a new one by default), migrated. */
export async function pgStores(n: number, schema = newPgSchema()): Promise<CollectorStore[]> {
  const stores = Array.from({ length: n }, () => postgresStore(PG_URL, { schema, max: 4 }));
  for (const s of stores) await s.migrate();
  return stores;
}

export async function dropSchemas(): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client(PG_URL);
  await client.connect();
  for (const s of schemas.splice(0))
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`);
  await client.end();
}
