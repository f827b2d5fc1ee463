/**
 * `@closeloop/node` — Closeloop on Node.js.
 *
 * It re-exports the core domain (survey definitions and the no-partial-loop gate, feedback
 * policies, the loop state machine, metrics, the outbox) for backends, and adds the durable
 * outbox store `fileQueueStore`. The client, the collector with its SQLite and PostgreSQL
 * stores, webhooks and the `closeloop` CLI build on it.
 *
 * @packageDocumentation
 */

export * from "@closeloop/core";
export type { DrainOnSignalOptions } from "./outbox/drain-on-signal.js";
export { drainOnSignal } from "./outbox/drain-on-signal.js";
export { QueueLockedError } from "./outbox/errors.js";
export type { FileQueueStore } from "./outbox/file-store.js";
export { fileQueueStore } from "./outbox/file-store.js";
export type { FileQueueStoreOptions, FsyncPolicy } from "./outbox/options.js";
export * from "./webhooks/index.js";

/** The version of this package. */
export const VERSION = "0.1.0";
