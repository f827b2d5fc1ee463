/**
 * `@closeloop/collector` — the Closeloop collector: the HTTP API (`createCollector`, a
 * web-standard `Request → Response` handler with a Node listener), its SQLite and PostgreSQL
 * stores, the signed-webhook delivery worker, the SLA sweeper and the `closeloop` CLI
 * (`closeloop serve`, `closeloop keys`). Clients send to it with `@closeloop/browser` or
 * `@closeloop/node`; see docs/collector.md.
 *
 * @packageDocumentation
 * @module @closeloop/collector
 */

export type { GroupMetrics, MetricsQuery, MetricsReport } from "@closeloop/core";
export type { Collector, CollectorOptions, ListeningCollector } from "./collector.js";
export { createCollector } from "./collector.js";
export { hashPassword } from "./desk/password.js";
export type { DeskRole } from "./desk/roles.js";
export type { Provisioned } from "./provision.js";
export { provision } from "./provision.js";
export type { RateLimit } from "./rate-limit.js";
export type {
  DeskLoop,
  DeskSession,
  DeskStore,
  DeskUser,
  InboxQuery,
  InboxRow,
} from "./store/desk-types.js";
export { DeskUserExistsError } from "./store/desk-types.js";
export type {
  CollectorStore,
  Environment,
  IdempotencyRecord,
  KeyKind,
  KeyRecord,
  LoopFilter,
  LoopMeta,
  LoopScore,
  PostgresStoreOptions,
  RespondentRef,
  SqliteStoreOptions,
  StoredFeedback,
  StoredResponse,
  StoredRiskSignal,
  StoreTx,
} from "./store/index.js";
export { postgresStore, StoreFullError, sqliteStore } from "./store/index.js";
export type {
  AttemptOutcome,
  ClaimedDelivery,
  DueLoop,
  WebhookStore,
  WebhookTx,
} from "./store/webhook-types.js";
export type { Sweeper, SweeperOptions } from "./sweeper.js";
export { startSweeper, sweepBreaches } from "./sweeper.js";
export { VERSION } from "./version.js";
export type { WebhookWorker, WebhookWorkerOptions } from "./webhook-delivery/worker.js";
export { DEFAULT_RETRY_SCHEDULE_MS, startWebhookWorker } from "./webhook-delivery/worker.js";
