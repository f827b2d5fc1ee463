import type { StoredItem } from "@closeloop/core";
import type { QueueBackend } from "./queue-backend.js";

/**
 * The queue's last fallback: entries in a `Map`, in the order added. Nothing in it survives
 * the page, and it never refuses an entry.
 */
export function memoryBackend(): QueueBackend {
  const items = new Map<number, StoredItem>();
  let last = 0;
  return {
    head_: (n) => [...items.values()].slice(0, n),
    count_: () => items.size,
    add_: (entry) => items.set(++last, { ...entry, seq: last }),
    delete_(seqs) {
      for (const seq of seqs) items.delete(seq);
    },
  };
}
