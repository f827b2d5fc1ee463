import type { BatchItem, PeekLimit, StoredItem } from "@closeloop/core";
import { utf8Length } from "@closeloop/core";
import type { BrowserQueueStore, BrowserStoreKind } from "./browser-store.js";
import { isQuotaError, queueFull } from "./queue-full-error.js";

/** What the queue keeps per item; the backend's key is its `seq`. */
export type Entry = Omit<StoredItem, "seq">;

/**
 * Where a browser queue keeps its entries: a small key-value interface that IndexedDB,
 * localStorage and memory each fill, under the one queue of {@link backendQueue}.
 */
export interface QueueBackend {
  /** Keeps `entry` under a new key, above every key used before by any tab; never reused. */
  add(entry: Entry): unknown;
  /** The keys held now, ascending. */
  keys(): number[] | Promise<number[]>;
  /** The entry under `key`, or undefined once removed (or unreadable). */
  get(key: number): Entry | undefined | Promise<Entry | undefined>;
  /** Forgets the entries under `keys`; unknown keys are ignored. */
  delete(keys: readonly number[]): unknown;
  close?(): Promise<void>;
}

/** The browser's `QueueStore` over a backend: the queue logic every browser storage shares. */
export function backendQueue(kind: BrowserStoreKind, backend: QueueBackend): BrowserQueueStore {
  return {
    kind,
    async append(item: BatchItem, enqueuedAt: number) {
      try {
        // Measured once here, so batching by bytes never re-serializes what it peeks.
        await backend.add({ item, enqueuedAt, bytes: utf8Length(JSON.stringify(item)) });
      } catch (e) {
        throw isQuotaError(e) ? queueFull(kind, e) : e;
      }
    },
    async peek({ maxItems, maxBytes }: PeekLimit) {
      const items: StoredItem[] = [];
      let bytes = 0;
      // One entry at a time: only what the batch can hold is read into memory.
      for (const seq of await backend.keys()) {
        const entry = await backend.get(seq);
        if (!entry) continue;
        if (items.length >= maxItems || (items.length > 0 && bytes + entry.bytes > maxBytes)) break;
        items.push({ ...entry, seq });
        bytes += entry.bytes;
      }
      return items;
    },
    async remove(seqs: readonly number[]) {
      await backend.delete(seqs);
    },
    async count() {
      return (await backend.keys()).length;
    },
    async close() {
      await backend.close?.();
    },
  };
}
