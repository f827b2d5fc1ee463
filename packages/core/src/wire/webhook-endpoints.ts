import type { WebhookEventType } from "./webhook-events.js";

// The HTTP contract of `/v1/webhooks`: endpoints and their delivery log, shared by the collector
// and the node client (docs/webhooks.md).

/** A registered endpoint, as the API shows it (never with its secret). */
export interface WebhookEndpoint {
  envId: string;
  name: string;
  url: string;
  /** The event types it receives; absent: all of them. */
  events?: WebhookEventType[];
  createdAt: string;
  updatedAt: string;
  /** Set when the endpoint answered 410 Gone: nothing more is sent to it until it is PUT again. */
  disabledAt?: string;
  /**
   * Set after a rotation: until then deliveries are also signed with the secret it replaced, so
   * receivers can switch without losing one.
   */
  previousSecretExpiresAt?: string;
}

/** What `PUT /v1/webhooks/:name` changes. */
export interface WebhookEndpointInput {
  url: string;
  events?: WebhookEventType[];
}

/** The fate of a delivery. */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "disabled";

/** One attempt of a delivery: an HTTP status, or the error when no answer came. */
export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

/** A delivery as the log shows it. */
export interface DeliveryRecord {
  /** The `webhook-id`: the same for every attempt. */
  id: string;
  endpoint: string;
  type: WebhookEventType;
  status: DeliveryStatus;
  createdAt: string;
  /** When it is next attempted (pending only). */
  nextAttemptAt?: string;
  attempts: DeliveryAttempt[];
  /** The exact body sent (and signed) at every attempt: the JSON payload, serialized once. */
  body: string;
}
