import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { postgresStore, sqliteStore } from "../store/index.js";
import type { CollectorStore } from "../store/types.js";

/** The flags that name a store and tune it. */
export interface StoreFlags {
  db?: string;
  postgres?: string;
  "connect-timeout"?: string;
  "statement-timeout"?: string;
}

/**
 * The store the flags name: `--postgres URL`, else `--db path` (default `closeloop.db`). With
 * `existing`, a SQLite file that is not there is an error rather than a new empty database:
 * commands that read one (`keys`) would otherwise answer from a database nobody uses.
 * `--connect-timeout` and `--statement-timeout` (seconds) tune PostgreSQL's pool.
 */
export async function openStore(
  flags: StoreFlags,
  existing = false,
): Promise<{ store: CollectorStore; where: string }> {
  const timeouts = {
    connectTimeoutMs: seconds(flags, "connect-timeout"),
    statementTimeoutMs: seconds(flags, "statement-timeout"),
  };
  if (flags.postgres) {
    const url = new URL(flags.postgres);
    const where = `postgres ${url.host}${url.pathname}`; // never print the password
    const options = Object.fromEntries(
      Object.entries(timeouts).filter(([, v]) => v !== undefined),
    ) as { connectTimeoutMs?: number; statementTimeoutMs?: number };
    return { store: await postgresStore(flags.postgres, options), where };
  }
  if (timeouts.connectTimeoutMs !== undefined || timeouts.statementTimeoutMs !== undefined) {
    throw new Error("--connect-timeout and --statement-timeout apply to --postgres only");
  }
  const path = resolve(flags.db ?? "closeloop.db");
  if (existing && !existsSync(path)) {
    throw new Error(
      `no database at ${path}: pass the one your collector serves with --db (or --postgres), or run closeloop serve first`,
    );
  }
  return { store: await sqliteStore(path), where: `sqlite ${path}` };
}

/**
 * Runs an administrative command (`keys`, `users`) on the existing store the flags name,
 * migrated, and closes it whatever happens.
 */
export async function withExistingStore<T>(
  flags: StoreFlags,
  command: (store: CollectorStore) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(flags, true);
  try {
    await store.migrate();
    return await command(store);
  } finally {
    await store.close();
  }
}

/** A flag given in seconds, as whole milliseconds; undefined when absent. */
function seconds(flags: StoreFlags, name: "connect-timeout" | "statement-timeout") {
  const text = flags[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new Error(`--${name} must be seconds above 0, up to 86400, not ${text}`);
  }
  return Math.max(1, Math.round(value * 1000));
}
