// The PostgreSQL store's connection pool: how it connects, how long anything may take, and what
// happens to a connection that breaks (docs/stores.md, Outages and timeouts).
import type { Pool } from "pg";
import { pg } from "../native.js";

/** How long the pool may take to hand out a connection, new or pooled; default 5 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long one statement may run on the server before it is cancelled; default 30 s. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** The pool's settings, as `postgresStore` takes them. */
export interface PoolSettings {
  schema: string;
  max: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * A pool on `url` whose connections search `schema` first, give up on a hung database within
 * the timeouts, and never take the process down when they break.
 */
export function openPool(url: string, settings: PoolSettings): Pool {
  for (const name of ["connectTimeoutMs", "statementTimeoutMs"] as const) {
    const value = settings[name];
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`${name} must be a positive integer (ms), got ${value}`);
    }
  }
  // Set on each new connection before the pool hands it out: `onConnect` is awaited first, so no
  // query is ever issued while the SET still runs (pg deprecates overlapping queries on one
  // client). A startup `options` parameter would be overridden by any `?options=` in the URL.
  const setPath = `SET search_path TO ${pg().escapeIdentifier(settings.schema)}`;
  const pool = new (pg().Pool)({
    connectionString: url,
    max: settings.max,
    // Bounds both opening a connection and waiting for a free one: a pool stuck on a database
    // that accepts connections but never answers fails the request (503) instead of queueing it.
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // The server cancels a statement past this; `query_timeout` is the client's own bound for a
    // server that cannot even answer (a partition), a little later so the server's comes first.
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + settings.connectTimeoutMs,
    // A collector that vanishes mid-transaction (a partition, not a crash: the kernel closes a
    // dead process's sockets) would otherwise hold its row locks until TCP gives up.
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
    keepAlive: true,
    onConnect: async (client) => {
      await client.query(setPath);
    },
  });
  // pg emits 'error' on a client whose connection breaks (a database restart, a failover, an
  // administrator's pg_terminate_backend). The pool listens on idle clients and re-emits on
  // itself; a client checked out for a transaction has no listener at all, and an unheard
  // 'error' ends the process. Every client gets one for its whole life: the query in flight
  // rejects with the same error (the request answers 503), and the broken client is destroyed
  // when it is released (`inTransaction`) or by the pool (`pool.query`).
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  pool.on("error", () => undefined);
  return pool;
}
