// The webhook delivery queue and fired breaches on SQLite (endpoints: webhook-endpoints.ts).
// Every write runs on the writer connection under the file's write lock (`BEGIN IMMEDIATE`),
// which is the only claim a single-writer store needs: two workers on one file cannot take one
// delivery twice.
import { randomUUID } from "node:crypto";
import { ms } from "../columns.js";
import type { ClaimRow, DeliveryRow, DueLoopRow } from "../row-readers.js";
import { claimedDelivery } from "../row-readers.js";
import { webhookEnqueue } from "../webhook-enqueue.js";
import type { WebhookStore, WebhookTx } from "../webhook-types.js";
import { sqliteRows } from "./dialect.js";
import type { Prepared } from "./statements.js";
import { sqliteWebhookEndpoints } from "./webhook-endpoints.js";

export const webhookSql = {
  subscribed: `SELECT name FROM webhook_endpoints WHERE env_id = ? AND disabled_at IS NULL
    AND (events IS NULL OR EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?))
    ORDER BY name`,
  insertDelivery: `INSERT INTO webhook_deliveries (id, env_id, endpoint, type, body, status,
      next_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
  // Reads `loops_breach_due` from its start: only loops with a deadline due and unfired.
  dueBreaches: `SELECT env_id, data FROM loops WHERE breach_due < @now
    ORDER BY breach_due LIMIT @limit`,
  setBreachDue: "UPDATE loops SET breach_due = ? WHERE env_id = ? AND id = ?",
  markBreach: `INSERT INTO loop_breaches (env_id, loop_id, deadline, due, fired_at)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  deliveries: `SELECT id, endpoint, type, status, created_at, next_at, attempts, body
    FROM webhook_deliveries WHERE env_id = ? AND endpoint = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  // The replaced secret comes along only while its grace lasts.
  // A rotated-out secret is a credential: once its grace has passed it is erased, not kept.
  forgetExpiredSecrets: `UPDATE webhook_endpoints SET previous_secret = NULL,
    previous_secret_until = NULL WHERE previous_secret_until <= ?`,
  due: `SELECT d.id, d.env_id, d.endpoint, d.body, d.attempt_count, e.url, e.secret,
      CASE WHEN e.previous_secret_until > @now THEN e.previous_secret END AS previous_secret
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.env_id = d.env_id AND e.name = d.endpoint
    WHERE d.status = 'pending' AND d.next_at <= @now AND e.disabled_at IS NULL
    ORDER BY d.next_at, d.id LIMIT @limit`,
  lease: "UPDATE webhook_deliveries SET next_at = ?, lease = ? WHERE id = ?",
  record: `UPDATE webhook_deliveries SET attempts = json_insert(attempts, '$[#]', json(@attempt)),
      attempt_count = attempt_count + 1, status = @status, next_at = @nextAt, lease = NULL
    WHERE id = @id AND lease = @lease`,
  disableEndpoint: `UPDATE webhook_endpoints SET disabled_at = ?
    WHERE env_id = ? AND name = ? AND disabled_at IS NULL`,
  disablePending: `UPDATE webhook_deliveries SET status = 'disabled', next_at = NULL, lease = NULL
    WHERE env_id = ? AND endpoint = ? AND status = 'pending'`,
} as const;

/** The webhook part of a transaction, on the writer connection (already inside BEGIN IMMEDIATE). */
export function sqliteWebhookTx(use: () => Prepared): WebhookTx {
  return {
    // Endpoints change only outside transactions (under the same write lock), so what one
    // transaction read about them holds until it ends.
    enqueueWebhook: webhookEnqueue(use, {
      subscribed: (s, envId, type) =>
        (s(webhookSql.subscribed).all(envId, type) as { name: string }[]).map((r) => r.name),
      insert: (s, d) =>
        s(webhookSql.insertDelivery).run(d.id, d.envId, d.endpoint, d.type, d.body, d.at, d.at),
    }),
    async dueBreaches(now, limit) {
      const rows = use()(webhookSql.dueBreaches).all({ now: ms(now), limit });
      return (rows as DueLoopRow<string>[]).map(sqliteRows.dueLoop);
    },
    async markBreach(envId, loopId, deadline, due, at) {
      return (
        use()(webhookSql.markBreach).run(envId, loopId, deadline, ms(due), ms(at)).changes === 1
      );
    },
    async setBreachDue(envId, loopId, due) {
      use()(webhookSql.setBreachDue).run(due === null ? null : ms(due), envId, loopId);
    },
  };
}

/** The webhook queue outside other transactions: `write` runs under the writer's lock. */
export function sqliteWebhooks(
  w: Prepared,
  r: Prepared,
  write: <T>(body: () => T) => Promise<T>,
): WebhookStore {
  return {
    ...sqliteWebhookEndpoints(w, r, write),
    async deliveries(envId, name, page) {
      // Ids are `msg_` + UUIDv7: byte order is creation order, and "~" sorts after all of them.
      const rows = r(webhookSql.deliveries).all(
        envId,
        name,
        page.before ?? "msg_~",
        page.limit,
      ) as DeliveryRow<string, number>[];
      return rows.map(sqliteRows.delivery);
    },
    claimDeliveries: (now, limit, leaseMs) =>
      write(() => {
        const t = ms(now);
        w(webhookSql.forgetExpiredSecrets).run(t);
        const rows = w(webhookSql.due).all({ now: t, limit }) as ClaimRow[];
        return rows.map((row) => {
          const lease = randomUUID();
          w(webhookSql.lease).run(t + leaseMs, lease, row.id);
          return claimedDelivery(row, lease);
        });
      }),
    recordAttempt: (delivery, attempt, outcome) =>
      write(() => {
        const nextAt = outcome.status === "pending" ? ms(outcome.nextAttemptAt) : null;
        const changed = w(webhookSql.record).run({
          id: delivery.id,
          lease: delivery.lease,
          attempt: JSON.stringify(attempt),
          status: outcome.status,
          nextAt,
        }).changes;
        if (changed !== 1) return false;
        if (outcome.status === "disabled") {
          w(webhookSql.disableEndpoint).run(ms(attempt.at), delivery.envId, delivery.endpoint);
          w(webhookSql.disablePending).run(delivery.envId, delivery.endpoint);
        }
        return true;
      }),
  };
}
