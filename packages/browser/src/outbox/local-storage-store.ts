import type { BatchItem, PeekLimit, QueueStore, StoredItem } from "@closeloop/core";
import { batch } from "./batch.js";
import { type Entry, entry } from "./entry.js";
import type { StorageLike } from "./memory-storage.js";
import { isQuotaError, queueFull } from "./queue-full-error.js";

// Tabs do not share localStorage atomically: two can read the same counter at once. Each store
// therefore adds its own random low bits to `seq`, so that racing tabs never write the same key.
const TABS = 2 ** 21;

/**
 * A `QueueStore` in localStorage: one key per item (`<name>:<seq>`) and a persisted counter
 * (`<name>:n`). Every read lists the keys again, so items appended by other tabs are seen.
 * Throws when localStorage is missing or refuses writes (storage disabled, quota of zero).
 *
 * `storage` and `kind` are for the memory fallback, which is this store over `memoryStorage()`.
 */
export function localStorageQueueStore(
  name: string,
  // Reading the property itself throws where storage is forbidden (e.g. cookies blocked).
  storage: StorageLike | undefined = globalThis.localStorage,
  kind: "localstorage" | "memory" = "localstorage",
): QueueStore {
  if (!storage) throw new Error("localStorage is not available");
  const prefix = `${name}:`;
  const counter = `${prefix}n`;
  const tab = Math.floor(Math.random() * TABS);
  const seqs = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      const rest = key?.startsWith(prefix) ? key.slice(prefix.length) : "";
      const seq = Number(rest);
      // Exactly our keys: not the counter, not "<name>: 5" nor "<name>:1e3".
      if (rest === String(seq) && Number.isSafeInteger(seq)) out.push(seq);
    }
    return out.sort((a, b) => a - b);
  };
  const read = (seq: number): StoredItem | undefined => {
    const raw = storage.getItem(prefix + seq);
    try {
      return raw === null ? undefined : { ...(JSON.parse(raw) as Entry), seq };
    } catch {
      // Not written by us: left in place it would stop the queue forever.
      storage.removeItem(prefix + seq);
    }
  };
  // Resume after the last item even if the counter was lost; this write also probes the storage.
  storage.setItem(
    counter,
    String(
      Math.max(Number(storage.getItem(counter)) || 0, Math.floor((seqs().at(-1) ?? 0) / TABS)),
    ),
  );

  return {
    kind,
    async append(item: BatchItem, enqueuedAt: number) {
      const value = JSON.stringify(entry(item, enqueuedAt));
      try {
        // The counter first: if the item then fails to fit, the seq is skipped, never reused.
        const n = (Number(storage.getItem(counter)) || 0) + 1;
        storage.setItem(counter, String(n));
        storage.setItem(prefix + (n * TABS + tab), value);
      } catch (e) {
        throw isQuotaError(e) ? queueFull(kind, e) : e;
      }
    },
    async peek(limit: PeekLimit) {
      const b = batch(limit);
      for (const seq of seqs()) {
        const item = read(seq); // undefined when removed meanwhile, or unreadable
        if (item && !b.add(item)) break;
      }
      return b.items;
    },
    async remove(seqs: readonly number[]) {
      for (const seq of seqs) storage.removeItem(prefix + seq);
    },
    async count() {
      return seqs().length;
    },
    async close() {},
  };
}
