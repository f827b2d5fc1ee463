import type { BatchItem } from "../schemas/batch.js";

/** An item as a `QueueStore` keeps it: the wire item plus what the outbox needs to schedule it. */
export interface StoredItem {
  /** Position in the queue, assigned by the store: strictly increasing, never reused. */
  seq: number;
  item: BatchItem;
  /** When `enqueue` accepted it (Unix ms); `retry.maxAgeMs` counts from here. */
  enqueuedAt: number;
  /** Size of `JSON.stringify(item)` in UTF-8 bytes, for batching by bytes. */
  bytes: number;
}

/** How much `QueueStore.peek` may return. */
export interface PeekLimit {
  maxItems: number;
  maxBytes: number;
}

/**
 * The outbox's storage port: a durable FIFO of items waiting for delivery. Core ships
 * `memoryQueueStore()`; `@closeloop/browser` fills it with IndexedDB (then localStorage, then
 * memory) and `@closeloop/node` with an append-only file log.
 *
 * Items wait here, not in the outbox's memory, so memory stays flat however long the queue.
 */
export interface QueueStore {
  /** What backs it: `memory`, `indexeddb`, `localstorage`, `file`, … */
  readonly kind: string;
  /**
   * Adds an item at the tail. Resolves once the item is as durable as the store promises (for
   * the file store, per its fsync policy); rejects with a typed error when it cannot be kept
   * (e.g. the store is full), so the caller knows the item was not accepted. `dataJson`, when
   * given, is `JSON.stringify(item.data)`, which the outbox has already made: a store that
   * writes JSON may use it rather than serialize the item again.
   */
  append(item: BatchItem, enqueuedAt: number, dataJson?: string): Promise<void>;
  /**
   * The oldest items in order, without removing them: at most `maxItems`, and at most
   * `maxBytes` unless the first item alone is larger (it is then returned alone).
   */
  peek(limit: PeekLimit): Promise<StoredItem[]>;
  /** Forgets items once delivered or dropped. Unknown seqs are ignored. */
  remove(seqs: readonly number[]): Promise<void>;
  /** How many items wait. */
  count(): Promise<number>;
  /**
   * Releases files, locks and connections; items stay stored for the next open. The outbox
   * never calls a store after closing it; a store may refuse such calls with `QueueClosedError`.
   */
  close(): Promise<void>;
}
