import { CloseloopError } from "@closeloop/core";

/**
 * A store refused an item because its storage is full (a browser quota). The item was **not**
 * stored: `append` rejects with this so that the caller can tell the user instead of losing it.
 */
export class QueueFullError extends CloseloopError {
  /** The kind of store that is full: `indexeddb` or `localstorage`. */
  readonly store: string;
  constructor(store: string, cause?: unknown) {
    super("queue_full", `The ${store} queue is full: the item was not stored`);
    this.store = store;
    this.cause = cause;
  }
}

/** Whether a storage error means "out of quota" (Firefox used to name it differently). */
export const isQuotaError = (e: unknown): boolean =>
  /quota/i.test((e as { name?: unknown } | null)?.name as string);
