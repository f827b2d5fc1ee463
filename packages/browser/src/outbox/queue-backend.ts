import type { BatchItem, PeekLimit, StoredItem } from "@closeloop/core";
import { QueueFullError, utf8Length } from "@closeloop/core";
import type { BrowserQueueStore, BrowserStoreKind } from "./browser-store.js";

/** What the queue keeps per item; the backend assigns its `seq`. */
export type Entry = Omit<StoredItem, "seq">;

/**
 * Where a browser queue keeps its entries: the little that IndexedDB, localStorage and memory
 * each fill, under the one queue of {@link backendQueue}. Nothing is held open between calls,
 * so `close` has nothing to release. Its names end in `_`: internal, shortened by the build
 * (docs/size.md); the entries it keeps are stored as they are, with their names.
 */
export interface QueueBackend {
  /** Keeps `entry` under a new `seq`, above every seq any tab used before; never reused. */
  add_(entry: Entry): unknown;
  /** The oldest `n` entries (fewer when fewer wait), in order, each with its `seq`. */
  head_(n: number): StoredItem[] | Promise<StoredItem[]>;
  count_(): number | Promise<number>;
  /** Forgets the entries under `seqs`; unknown seqs are ignored. */
  delete_(seqs: readonly number[]): unknown;
}

/** The browser's `QueueStore` over a backend: the queue logic every browser storage shares. */
export function backendQueue(kind: BrowserStoreKind, backend: QueueBackend): BrowserQueueStore {
  return {
    kind,
    async append(item: BatchItem, enqueuedAt: number) {
      try {
        // Measured once here, so batching by bytes never re-serializes what it peeks.
        await backend.add_({ item, enqueuedAt, bytes: utf8Length(JSON.stringify(item)) });
      } catch (e) {
        // Out of quota, whatever the browser names it (Firefox: NS_ERROR_DOM_QUOTA_REACHED).
        throw /quota/i.test((e as { name?: unknown } | null)?.name as string)
          ? new QueueFullError(kind, `The ${kind} queue is full: the item was not stored`, e)
          : e;
      }
    },
    async peek({ maxItems, maxBytes }: PeekLimit) {
      // At most `maxItems` are read; the batch ends before the first entry past `maxBytes`,
      // but never before the first entry.
      const items = await backend.head_(maxItems);
      let bytes = 0;
      for (const [i, s] of items.entries()) {
        bytes += s.bytes;
        if (i > 0 && bytes > maxBytes) return items.slice(0, i);
      }
      return items;
    },
    async remove(seqs: readonly number[]) {
      await backend.delete_(seqs);
    },
    count: async () => backend.count_(),
    async close() {},
  };
}
