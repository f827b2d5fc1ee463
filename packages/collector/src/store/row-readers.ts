// Table row → domain record, shared by both stores (the reverse of `records.ts`). The rows have
// the same columns on SQLite and PostgreSQL; only how the driver hands back a JSON column and an
// instant differs, and that is passed in (docs/stores.md, Tables).
import type {
  DeliveryRecord,
  DeliveryStatus,
  Loop,
  WebhookEndpoint,
  WebhookEventType,
} from "@closeloop/core";
import type { IdempotencyRecord } from "./types.js";
import type { ClaimedDelivery, DueLoop } from "./webhook-types.js";

/** How a store's driver answers the columns whose type differs between the dialects. */
export interface ColumnReader<Json, Instant> {
  /** A JSON column: text to parse on SQLite, jsonb already parsed on PostgreSQL. */
  json<T>(value: Json): T;
  /** A time column as ISO-8601: epoch ms on SQLite, a `Date` (timestamptz) on PostgreSQL. */
  iso(value: Instant): string;
}

/** A row of the `idempotency` table as read (`record_id AS id`). */
export const idempotencyRecord = (
  row: Omit<IdempotencyRecord, "digest"> & { digest?: string | null },
): IdempotencyRecord => ({
  type: row.type,
  id: row.id,
  ...(row.digest ? { digest: row.digest } : {}),
});

/** A `webhook_endpoints` row without its secrets. */
export interface EndpointRow<Json, Instant> {
  env_id: string;
  name: string;
  url: string;
  events: Json | null;
  created_at: Instant;
  updated_at: Instant;
  disabled_at: Instant | null;
  previous_secret_until: Instant | null;
}

/** A `webhook_deliveries` row as the endpoint's log lists it. */
export interface DeliveryRow<Json, Instant> {
  id: string;
  endpoint: string;
  type: string;
  status: DeliveryStatus;
  created_at: Instant;
  next_at: Instant | null;
  attempts: Json;
  body: string;
}

/** A due delivery joined with its endpoint, as a claim reads it. */
export interface ClaimRow {
  id: string;
  env_id: string;
  endpoint: string;
  body: string;
  attempt_count: number;
  url: string;
  secret: string;
  /** Only while the rotated-out secret's grace lasts. */
  previous_secret: string | null;
}

export function claimedDelivery(row: ClaimRow, lease: string): ClaimedDelivery {
  const claimed: ClaimedDelivery = {
    id: row.id,
    envId: row.env_id,
    endpoint: row.endpoint,
    url: row.url,
    secret: row.secret,
    body: row.body,
    attempts: row.attempt_count,
    lease,
  };
  if (row.previous_secret !== null) claimed.previousSecret = row.previous_secret;
  return claimed;
}

/** A loop with a deadline due, as the sweeper's query reads it. */
export interface DueLoopRow<Json> {
  env_id: string;
  data: Json;
}

/** The mappers whose rows differ by dialect, for one store's driver. */
export function rowReaders<J, I>(read: ColumnReader<J, I>) {
  return {
    /** The document kept in `column` (`data`, `definition`, `meta`) of a row. */
    document: <T>(row: Record<string, J>, column: string): T => read.json<T>(row[column] as J),

    endpoint(row: EndpointRow<J, I>): WebhookEndpoint {
      const e: WebhookEndpoint = {
        envId: row.env_id,
        name: row.name,
        url: row.url,
        createdAt: read.iso(row.created_at),
        updatedAt: read.iso(row.updated_at),
      };
      if (row.events !== null) e.events = read.json<WebhookEventType[]>(row.events);
      if (row.disabled_at !== null) e.disabledAt = read.iso(row.disabled_at);
      if (row.previous_secret_until !== null) {
        e.previousSecretExpiresAt = read.iso(row.previous_secret_until);
      }
      return e;
    },

    delivery(row: DeliveryRow<J, I>): DeliveryRecord {
      const d: DeliveryRecord = {
        id: row.id,
        endpoint: row.endpoint,
        type: row.type as WebhookEventType,
        status: row.status,
        createdAt: read.iso(row.created_at),
        attempts: read.json<DeliveryRecord["attempts"]>(row.attempts),
        body: row.body,
      };
      if (row.status === "pending" && row.next_at !== null) d.nextAttemptAt = read.iso(row.next_at);
      return d;
    },

    dueLoop: (row: DueLoopRow<J>): DueLoop => ({
      envId: row.env_id,
      loop: read.json<Loop>(row.data),
    }),
  };
}
