// The webhook delivery queue and fired breaches on PostgreSQL (endpoints: webhook-endpoints.ts).
// Any number of collectors share the queue: a claim takes due rows with `FOR UPDATE SKIP LOCKED`
// and leases them by moving `next_at` past the lease, and an attempt is recorded only by the
// lease holder.
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { ms } from "../columns.js";
import type { ClaimRow, DeliveryRow, DueLoopRow } from "../row-readers.js";
import { claimedDelivery } from "../row-readers.js";
import { type NewDelivery, webhookEnqueue } from "../webhook-enqueue.js";
import type { WebhookStore, WebhookTx } from "../webhook-types.js";
import { postgresRows, toTimestamp } from "./dialect.js";
import { run } from "./queries.js";
import { inTransaction } from "./transaction.js";
import { postgresWebhookEndpoints } from "./webhook-endpoints.js";

export const webhookSql = {
  // A rotated-out secret is a credential: once its grace has passed it is erased, not kept.
  forgetExpiredSecrets: `UPDATE webhook_endpoints SET previous_secret = NULL,
    previous_secret_until = NULL WHERE previous_secret_until <= ${toTimestamp("$1")}`,
  // KEY SHARE: an endpoint being deleted is waited for, then skipped, so no delivery is queued
  // to an endpoint that is gone (which its foreign key would refuse).
  subscribed: `SELECT name FROM webhook_endpoints WHERE env_id = $1 AND disabled_at IS NULL
    AND (events IS NULL OR events ? $2) ORDER BY name FOR KEY SHARE`,
  insertDelivery: `INSERT INTO webhook_deliveries (id, env_id, endpoint, type, body, status,
      next_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', ${toTimestamp("$6")}, ${toTimestamp("$6")})`,
  // Reads `loops_breach_due` from its start: only loops with a deadline due and unfired. Locks
  // the loops it answers and skips loops another sweeper has locked.
  dueBreaches: `SELECT env_id, data FROM loops WHERE breach_due < ${toTimestamp("$1")}
    ORDER BY breach_due LIMIT $2 FOR UPDATE SKIP LOCKED`,
  setBreachDue: `UPDATE loops SET breach_due = ${toTimestamp("$1")} WHERE env_id = $2 AND id = $3`,
  markBreach: `INSERT INTO loop_breaches (env_id, loop_id, deadline, due, fired_at)
    VALUES ($1, $2, $3, ${toTimestamp("$4")}, ${toTimestamp("$5")}) ON CONFLICT DO NOTHING`,
  deliveries: `SELECT id, endpoint, type, status, created_at, next_at, attempts, body
    FROM webhook_deliveries WHERE env_id = $1 AND endpoint = $2 AND id < $3
    ORDER BY id DESC LIMIT $4`,
  // The replaced secret comes along only while its grace lasts.
  claim: `UPDATE webhook_deliveries d SET next_at = ${toTimestamp("$3")}, lease = $4 || d.id
    FROM webhook_endpoints e
    WHERE d.id IN (SELECT q.id FROM webhook_deliveries q
        WHERE q.status = 'pending' AND q.next_at <= ${toTimestamp("$1")}
        ORDER BY q.next_at, q.id LIMIT $2 FOR UPDATE SKIP LOCKED)
      AND e.env_id = d.env_id AND e.name = d.endpoint AND e.disabled_at IS NULL
    RETURNING d.id, d.env_id, d.endpoint, d.body, d.attempt_count, d.lease, e.url, e.secret,
      CASE WHEN e.previous_secret_until > ${toTimestamp("$1")} THEN e.previous_secret END
        AS previous_secret`,
  record: `UPDATE webhook_deliveries SET attempts = attempts || jsonb_build_array($3::jsonb),
      attempt_count = attempt_count + 1, status = $4,
      next_at = CASE WHEN $5::float8 IS NULL THEN NULL ELSE ${toTimestamp("$5")} END, lease = NULL
    WHERE id = $1 AND lease = $2`,
  disableEndpoint: `UPDATE webhook_endpoints SET disabled_at = ${toTimestamp("$1")}
    WHERE env_id = $2 AND name = $3 AND disabled_at IS NULL`,
  disablePending: `UPDATE webhook_deliveries SET status = 'disabled', next_at = NULL, lease = NULL
    WHERE env_id = $1 AND endpoint = $2 AND status = 'pending'`,
} as const;

/**
 * An enabled endpoint of an environment and the event types it takes (`null`: all), as a
 * transaction read them already, locked `FOR KEY SHARE` as `webhookSql.subscribed` locks them.
 */
export interface EnabledEndpoint {
  name: string;
  events: string[] | null;
}

/**
 * The webhook part of a transaction on its client. `deliver`, when given, takes each queued
 * delivery instead of inserting it at once; `endpointsRead`, when it answers, gives an
 * environment's enabled endpoints (in name order) that the transaction has read already.
 */
export function postgresWebhookTx(
  c: () => PoolClient,
  deliver?: (delivery: NewDelivery) => void,
  endpointsRead?: (envId: string) => readonly EnabledEndpoint[] | undefined,
): WebhookTx {
  return {
    // An endpoint that another collector adds while this transaction runs gets none of its
    // events rather than only the later ones.
    enqueueWebhook: webhookEnqueue(c, {
      async subscribed(db, envId, type) {
        const read = endpointsRead?.(envId);
        if (read !== undefined) {
          return read
            .filter((e) => e.events === null || e.events.includes(type))
            .map((e) => e.name);
        }
        const { rows } = await run<{ name: string }>(db, webhookSql.subscribed, [envId, type]);
        return rows.map((r) => r.name);
      },
      insert: (db, d) =>
        deliver
          ? deliver(d)
          : run(db, webhookSql.insertDelivery, [d.id, d.envId, d.endpoint, d.type, d.body, d.at]),
    }),
    async dueBreaches(now, limit) {
      const { rows } = await run<DueLoopRow<unknown>>(c(), webhookSql.dueBreaches, [
        ms(now),
        limit,
      ]);
      return rows.map(postgresRows.dueLoop);
    },
    async markBreach(envId, loopId, deadline, due, at) {
      const res = await run(c(), webhookSql.markBreach, [envId, loopId, deadline, ms(due), ms(at)]);
      return res.rowCount === 1;
    },
    async setBreachDue(envId, loopId, due) {
      await run(c(), webhookSql.setBreachDue, [due === null ? null : ms(due), envId, loopId]);
    },
  };
}

/** The webhook queue outside other transactions. */
export function postgresWebhooks(pool: Pool): WebhookStore {
  return {
    ...postgresWebhookEndpoints(pool),
    async deliveries(envId, name, page) {
      const { rows } = await run<DeliveryRow<unknown, Date>>(pool, webhookSql.deliveries, [
        envId,
        name,
        page.before ?? "msg_~",
        page.limit,
      ]);
      return rows.map(postgresRows.delivery);
    },
    async claimDeliveries(now, limit, leaseMs) {
      const t = ms(now);
      await run(pool, webhookSql.forgetExpiredSecrets, [t]);
      const { rows } = await run<ClaimRow & { lease: string }>(pool, webhookSql.claim, [
        t,
        limit,
        t + leaseMs,
        `${randomUUID()}:`,
      ]);
      return rows.map((row) => claimedDelivery(row, row.lease));
    },
    async recordAttempt(delivery, attempt, outcome) {
      const nextAt = outcome.status === "pending" ? ms(outcome.nextAttemptAt) : null;
      return inTransaction(pool, async (client) => {
        const res = await run(client, webhookSql.record, [
          delivery.id,
          delivery.lease,
          JSON.stringify(attempt),
          outcome.status,
          nextAt,
        ]);
        const recorded = res.rowCount === 1;
        if (recorded && outcome.status === "disabled") {
          await run(client, webhookSql.disableEndpoint, [
            ms(attempt.at),
            delivery.envId,
            delivery.endpoint,
          ]);
          await run(client, webhookSql.disablePending, [delivery.envId, delivery.endpoint]);
        }
        return recorded;
      });
    },
  };
}
