import { resolve } from "node:path";
import { postgresStore, sqliteStore } from "../collector/store/index.js";
import type { CollectorStore } from "../collector/store/types.js";

/** The store the flags name: `--postgres URL`, else `--db path` (default `closeloop.db`). */
export async function openStore(flags: {
  db?: string;
  postgres?: string;
}): Promise<{ store: CollectorStore; where: string }> {
  if (flags.postgres) {
    const url = new URL(flags.postgres);
    const where = `postgres ${url.host}${url.pathname}`; // never print the password
    return { store: await postgresStore(flags.postgres), where };
  }
  const path = resolve(flags.db ?? "closeloop.db");
  return { store: await sqliteStore(path), where: `sqlite ${path}` };
}
