import type { Pool, PoolClient } from "pg";

/**
 * Runs `body` on one pooled client between `begin` (default `BEGIN`) and COMMIT; any rejection
 * rolls back and is rethrown. The only place the PostgreSQL store opens a transaction, so every
 * one gives its client back the same way: to the pool after COMMIT or a clean ROLLBACK, and
 * destroyed when even ROLLBACK fails (its state is unknown, e.g. the connection dropped).
 */
export async function inTransaction<T>(
  pool: Pool,
  body: (client: PoolClient) => Promise<T>,
  begin = "BEGIN",
): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query(begin);
    result = await body(client);
    await client.query("COMMIT");
  } catch (error) {
    const broken = await client.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    client.release(broken);
    throw error;
  }
  client.release();
  return result;
}
