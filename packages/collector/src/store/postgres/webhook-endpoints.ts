// Webhook endpoints on PostgreSQL: registration, secret rotation and deletion. A deletion takes
// the endpoint's row lock first, so a concurrent enqueue (which reads the endpoint) either queued
// before it, and its rows go too, or finds no endpoint.

import type { Pool } from "pg";
import { ms } from "../columns.js";
import type { EndpointRow } from "../row-readers.js";
import type { WebhookEndpointMethods } from "../webhook-types.js";
import { postgresRows, toTimestamp } from "./dialect.js";
import { run } from "./queries.js";
import { inTransaction } from "./transaction.js";

const COLUMNS =
  "env_id, name, url, events, created_at, updated_at, disabled_at, previous_secret_until";

const endpointSql = {
  get: `SELECT ${COLUMNS} FROM webhook_endpoints WHERE env_id = $1 AND name = $2`,
  // xmax = 0 only for a row this statement inserted.
  put: `INSERT INTO webhook_endpoints (env_id, name, url, events, secret, created_at,
      updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, ${toTimestamp("$6")}, ${toTimestamp("$6")})
    ON CONFLICT (env_id, name) DO UPDATE SET url = EXCLUDED.url, events = EXCLUDED.events,
      updated_at = EXCLUDED.updated_at, disabled_at = NULL
    RETURNING ${COLUMNS}, (xmax = 0) AS created`,
  // The replaced secret moves aside (a NULL deadline drops it); an older one is forgotten.
  rotate: `UPDATE webhook_endpoints SET
      previous_secret = CASE WHEN $4::float8 IS NULL THEN NULL ELSE secret END,
      previous_secret_until = CASE WHEN $4::float8 IS NULL THEN NULL ELSE ${toTimestamp("$4")} END,
      secret = $3, updated_at = ${toTimestamp("$5")}
    WHERE env_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
  lock: "SELECT 1 FROM webhook_endpoints WHERE env_id = $1 AND name = $2 FOR UPDATE",
  // The log goes with the endpoint: it is reachable only through the endpoint's name.
  deleteDeliveries: "DELETE FROM webhook_deliveries WHERE env_id = $1 AND endpoint = $2",
  delete: "DELETE FROM webhook_endpoints WHERE env_id = $1 AND name = $2",
} as const;

/** An endpoint row as the driver answers it: events as parsed jsonb, instants as Dates. */
type Row = EndpointRow<unknown, Date>;

/** The endpoint methods of the PostgreSQL webhook store. */
export function postgresWebhookEndpoints(pool: Pool): WebhookEndpointMethods {
  return {
    async putEndpoint(envId, name, input, secret, at) {
      const events = input.events === undefined ? null : JSON.stringify(input.events);
      const { rows } = await run<Row & { created: boolean }>(pool, endpointSql.put, [
        envId,
        name,
        input.url,
        events,
        secret,
        ms(at),
      ]);
      const row = rows[0] as Row & { created: boolean };
      return { endpoint: postgresRows.endpoint(row), created: row.created };
    },
    async getEndpoint(envId, name) {
      const { rows } = await run<Row>(pool, endpointSql.get, [envId, name]);
      return rows[0] && postgresRows.endpoint(rows[0]);
    },
    async rotateSecret(envId, name, secret, previousUntil, at) {
      const until = previousUntil === undefined ? null : ms(previousUntil);
      const { rows } = await run<Row>(pool, endpointSql.rotate, [
        envId,
        name,
        secret,
        until,
        ms(at),
      ]);
      return rows[0] && postgresRows.endpoint(rows[0]);
    },
    async deleteEndpoint(envId, name) {
      return inTransaction(pool, async (client) => {
        const found = (await run(client, endpointSql.lock, [envId, name])).rowCount === 1;
        if (found) {
          await run(client, endpointSql.deleteDeliveries, [envId, name]);
          await run(client, endpointSql.delete, [envId, name]);
        }
        return found;
      });
    },
  };
}
