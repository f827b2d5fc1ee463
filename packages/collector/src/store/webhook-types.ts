import type {
  DeliveryAttempt,
  DeliveryRecord,
  Loop,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookPayload,
} from "@closeloop/core";

// The webhook and SLA part of the storage port: endpoints, the durable delivery queue with its
// log, and the breaches the sweeper has fired. Both stores implement it (see docs/webhooks.md).

/** A due delivery a worker holds a lease on. */
export interface ClaimedDelivery {
  id: string;
  envId: string;
  endpoint: string;
  url: string;
  secret: string;
  /** The secret a rotation replaced, while its grace lasts: attempts are signed with both. */
  previousSecret?: string;
  /** The exact body to send, serialized once when enqueued. */
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  /** The lease token: `recordAttempt` is refused once another worker has taken over. */
  lease: string;
}

/** What an attempt leads to. */
export type AttemptOutcome =
  | { status: "delivered" | "failed" }
  | { status: "pending"; nextAttemptAt: string }
  /** 410 Gone: this delivery, the endpoint and every pending delivery to it are disabled. */
  | { status: "disabled" };

/** A loop with a deadline past and not yet fired, for the sweeper. */
export interface DueLoop {
  envId: string;
  loop: Loop;
}

/** Webhook writes that belong to another change's transaction. */
export interface WebhookTx {
  /**
   * Queues `payload` for every enabled endpoint of the environment subscribed to its type, in
   * this transaction: the event exists if and only if the change that caused it commits.
   * Answers how many deliveries were queued.
   */
  enqueueWebhook(envId: string, payload: WebhookPayload, at: string): Promise<number>;
  /**
   * Loops whose next deadline to look at (`breach_due`) is before `now`, earliest first: still
   * unmet, and not fired yet unless a later write of the loop set it again (then `markBreach`
   * answers false). On PostgreSQL the rows are locked and rows locked by another sweeper are
   * skipped (`FOR UPDATE SKIP LOCKED`).
   */
  dueBreaches(now: string, limit: number): Promise<DueLoop[]>;
  /**
   * Records that `deadline` (due at `due`) of the loop fired; answers false (and writes nothing)
   * when it already had: one cycle's deadline fires once.
   */
  markBreach(
    envId: string,
    loopId: string,
    deadline: "acknowledge" | "close",
    due: string,
    at: string,
  ): Promise<boolean>;
  /**
   * Moves the loop's next deadline to look at to `due` (`null`: none left), once the sweeper has
   * fired what was due: `dueBreaches` then finds the loop again only when `due` passes.
   */
  setBreachDue(envId: string, loopId: string, due: string | null): Promise<void>;
}

/** The store's webhook queue, outside any other transaction. */
export interface WebhookStore {
  /**
   * Creates the endpoint with `secret`, or updates its url and events (and enables it again)
   * keeping its secret. `created` says which happened.
   */
  putEndpoint(
    envId: string,
    name: string,
    input: WebhookEndpointInput,
    secret: string,
    at: string,
  ): Promise<{ endpoint: WebhookEndpoint; created: boolean }>;
  getEndpoint(envId: string, name: string): Promise<WebhookEndpoint | undefined>;
  /**
   * Gives the endpoint `secret`; the one it had stays valid for signing until `previousUntil`
   * (absent: dropped at once), replacing any older previous secret. Undefined: no such endpoint.
   */
  rotateSecret(
    envId: string,
    name: string,
    secret: string,
    previousUntil: string | undefined,
    at: string,
  ): Promise<WebhookEndpoint | undefined>;
  /**
   * Deletes the endpoint with its whole delivery log (pending deliveries included), in one
   * transaction; answers false when there was no such endpoint.
   */
  deleteEndpoint(envId: string, name: string): Promise<boolean>;
  /** The endpoint's deliveries, newest first; `before` is a delivery id (the cursor). */
  deliveries(
    envId: string,
    name: string,
    page: { before?: string; limit: number },
  ): Promise<DeliveryRecord[]>;
  /**
   * Takes up to `limit` pending deliveries due at `now` (to enabled endpoints) and leases them
   * until `now + leaseMs`: no other worker takes them meanwhile (`FOR UPDATE SKIP LOCKED` on
   * PostgreSQL, the write lock on SQLite). A worker that dies leaves them due again at lease end.
   */
  claimDeliveries(now: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /**
   * Appends the attempt to the delivery's log and applies its outcome; answers false (writing
   * nothing) when the lease was lost to another worker.
   */
  recordAttempt(
    delivery: ClaimedDelivery,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
  ): Promise<boolean>;
}

/** The endpoint half of `WebhookStore`, which each store keeps apart from its queue. */
export type WebhookEndpointMethods = Pick<
  WebhookStore,
  "putEndpoint" | "getEndpoint" | "rotateSecret" | "deleteEndpoint"
>;
