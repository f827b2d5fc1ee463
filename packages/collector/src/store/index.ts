/**
 * The collector's storage: the `CollectorStore` port and its two implementations, which pass one
 * conformance suite (`test/store-conformance.ts`). See `docs/stores.md`.
 *
 * @example
 * import { postgresStore, sqliteStore } from "@closeloop/collector";
 * const store = process.env.DATABASE_URL
 *   ? postgresStore(process.env.DATABASE_URL)
 *   : sqliteStore("closeloop.db");
 * await store.migrate();
 *
 * @packageDocumentation
 */

export type { GroupMetrics, MetricsQuery, MetricsReport } from "@closeloop/core";
export type { PostgresStoreOptions } from "./postgres/store.js";
export { postgresStore } from "./postgres/store.js";
export type { StoredRiskSignal } from "./risk-signals.js";
export type { SqliteStoreOptions } from "./sqlite/store.js";
export { sqliteStore } from "./sqlite/store.js";
export { StoreFullError } from "./store-full.js";
export type {
  CollectorStore,
  Environment,
  IdempotencyRecord,
  KeyKind,
  KeyRecord,
  LoopFilter,
  LoopMeta,
  LoopScore,
  RespondentRef,
  StoredFeedback,
  StoredResponse,
  StoreTx,
} from "./types.js";
