import { CloseloopError } from "../errors.js";

/**
 * A `QueueStore` refused an item because it is full (a byte bound, a browser quota): the item
 * was **not** stored, and `append` — so `enqueue` — rejects with this so the caller can act
 * instead of losing it. Deliveries free room.
 *
 * @example
 * try { await outbox.enqueue(item) } catch (e) { if (e instanceof QueueFullError) tellTheUser() }
 */
export class QueueFullError extends CloseloopError {
  /** Which store is full: `file`, `indexeddb`, `localstorage`, … */
  declare readonly store: string;
  constructor(store: string, message: string, cause?: unknown) {
    super("queue_full", message);
    this.name = "QueueFullError";
    this.store = store;
    if (cause !== undefined) this.cause = cause;
  }
}

/** A `QueueStore` was used after `close()`. */
export class QueueClosedError extends CloseloopError {
  /** Which store: `file`, `indexeddb`, `localstorage`, `memory`. */
  declare readonly store: string;
  constructor(store: string, message: string) {
    super("queue_closed", message);
    this.name = "QueueClosedError";
    this.store = store;
  }
}
