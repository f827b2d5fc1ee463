import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { postgresStore, sqliteStore } from "../store/index.js";
import type { CollectorStore } from "../store/types.js";

/**
 * The store the flags name: `--postgres URL`, else `--db path` (default `closeloop.db`). With
 * `existing`, a SQLite file that is not there is an error rather than a new empty database:
 * commands that read one (`keys`) would otherwise answer from a database nobody uses.
 */
export async function openStore(
  flags: { db?: string; postgres?: string },
  existing = false,
): Promise<{ store: CollectorStore; where: string }> {
  if (flags.postgres) {
    const url = new URL(flags.postgres);
    const where = `postgres ${url.host}${url.pathname}`; // never print the password
    return { store: await postgresStore(flags.postgres), where };
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
  flags: { db?: string; postgres?: string },
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
