/**
 * `@closeloop/node` — the Closeloop client for Node.js backends.
 *
 * It re-exports the core domain (survey definitions and the no-partial-loop gate, feedback
 * policies, the loop state machine, metrics, the outbox) for backends, and adds the node client
 * (`createClient`) with its durable file outbox (`fileQueueStore`), Standard Webhooks signing
 * and verification, and respondent tokens. Nothing server-side and no native addon: the
 * collector is `@closeloop/collector`.
 *
 * @packageDocumentation
 */

export * from "@closeloop/core";
export type {
  AllowedOriginsApi,
  FeedbackPolicyApi,
  SurveysApi,
  WebhookEndpointInfo,
  WebhooksApi,
} from "./client/admin-api.js";
export type { Client, ClientEvents, ClientOptions, MetricsRequest } from "./client/client.js";
export { createClient } from "./client/client.js";
export { CollectorError } from "./client/http.js";
export type { LoopQuery, LoopsApi, Move } from "./client/loops-api.js";
export type { DrainOnSignalOptions } from "./outbox/drain-on-signal.js";
export { drainOnSignal } from "./outbox/drain-on-signal.js";
export { QueueLockedError } from "./outbox/errors.js";
export type { FileQueueStore } from "./outbox/file-store.js";
export { fileQueueStore } from "./outbox/file-store.js";
export type { FileQueueStoreOptions, FsyncPolicy } from "./outbox/options.js";
export { respondentToken } from "./respondent-token.js";
export * from "./webhook-signing/index.js";

/** The version of this package. */
export const VERSION = "0.1.0";
