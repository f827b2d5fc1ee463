/**
 * `@closeloop/node` — Closeloop on Node.js.
 *
 * It re-exports the core domain (survey definitions and the no-partial-loop gate, feedback
 * policies, the loop state machine, metrics, the outbox) for backends, and adds the node client
 * (`createClient`) with its durable file outbox (`fileQueueStore`), the collector
 * (`createCollector`) with its SQLite and PostgreSQL stores, Standard Webhooks signing and
 * verification, and the `closeloop` CLI.
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
export type { Collector, CollectorOptions, ListeningCollector } from "./collector/collector.js";
export { createCollector } from "./collector/collector.js";
export type { Provisioned } from "./collector/provision.js";
export { provision } from "./collector/provision.js";
export type { RateLimit } from "./collector/rate-limit.js";
export * from "./collector/store/index.js";
export type * from "./collector/store/webhook-types.js";
export type { Sweeper, SweeperOptions } from "./collector/sweeper.js";
export { startSweeper, sweepBreaches } from "./collector/sweeper.js";
export type { WebhookWorker, WebhookWorkerOptions } from "./collector/webhook-delivery/worker.js";
export {
  DEFAULT_RETRY_SCHEDULE_MS,
  startWebhookWorker,
} from "./collector/webhook-delivery/worker.js";
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
