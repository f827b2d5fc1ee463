// Webhook endpoints on SQLite: registration, secret rotation and deletion. Each write runs under
// the file's write lock, so a rotation or a deletion never interleaves with a worker's claim.
import { ms } from "../columns.js";
import type { EndpointRow } from "../row-readers.js";
import type { WebhookEndpointMethods } from "../webhook-types.js";
import { sqliteRows } from "./dialect.js";
import type { Prepared } from "./statements.js";

const endpointSql = {
  get: `SELECT env_id, name, url, events, created_at, updated_at, disabled_at,
      previous_secret_until FROM webhook_endpoints WHERE env_id = ? AND name = ?`,
  insert: `INSERT INTO webhook_endpoints (env_id, name, url, events, secret, created_at,
      updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  update: `UPDATE webhook_endpoints SET url = ?, events = ?, updated_at = ?,
      disabled_at = NULL WHERE env_id = ? AND name = ?`,
  // The replaced secret moves aside (a NULL deadline drops it); an older one is forgotten.
  rotate: `UPDATE webhook_endpoints SET
      previous_secret = CASE WHEN @until IS NULL THEN NULL ELSE secret END,
      previous_secret_until = @until, secret = @secret, updated_at = @at
    WHERE env_id = @envId AND name = @name`,
  // The log goes with the endpoint: it is reachable only through the endpoint's name.
  deleteDeliveries: "DELETE FROM webhook_deliveries WHERE env_id = ? AND endpoint = ?",
  delete: "DELETE FROM webhook_endpoints WHERE env_id = ? AND name = ?",
} as const;

/** An endpoint row as the driver answers it: events as JSON text, instants as epoch ms. */
type Row = EndpointRow<string, number>;

/** The endpoint methods of the SQLite webhook store; `write` runs under the writer's lock. */
export function sqliteWebhookEndpoints(
  w: Prepared,
  r: Prepared,
  write: <T>(body: () => T) => Promise<T>,
): WebhookEndpointMethods {
  return {
    putEndpoint: (envId, name, input, secret, at) =>
      write(() => {
        const events = input.events === undefined ? null : JSON.stringify(input.events);
        const existing = w(endpointSql.get).get(envId, name) as Row | undefined;
        if (existing) w(endpointSql.update).run(input.url, events, ms(at), envId, name);
        else w(endpointSql.insert).run(envId, name, input.url, events, secret, ms(at), ms(at));
        const row = w(endpointSql.get).get(envId, name) as Row;
        return { endpoint: sqliteRows.endpoint(row), created: !existing };
      }),
    async getEndpoint(envId, name) {
      const row = r(endpointSql.get).get(envId, name) as Row | undefined;
      return row && sqliteRows.endpoint(row);
    },
    rotateSecret: (envId, name, secret, previousUntil, at) =>
      write(() => {
        const until = previousUntil === undefined ? null : ms(previousUntil);
        const changed = w(endpointSql.rotate).run({
          envId,
          name,
          secret,
          until,
          at: ms(at),
        }).changes;
        if (changed !== 1) return undefined;
        return sqliteRows.endpoint(w(endpointSql.get).get(envId, name) as Row);
      }),
    deleteEndpoint: (envId, name) =>
      write(() => {
        w(endpointSql.deleteDeliveries).run(envId, name);
        return w(endpointSql.delete).run(envId, name).changes === 1;
      }),
  };
}
