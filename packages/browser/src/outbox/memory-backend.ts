import type { Entry, QueueBackend } from "./queue-backend.js";

/**
 * The queue's last fallback: entries in a `Map`, in the order added. Nothing in it survives
 * the page, and it never refuses an entry.
 */
export function memoryBackend(): QueueBackend {
  const entries = new Map<number, Entry>();
  let last = 0;
  return {
    keys: () => [...entries.keys()],
    get: (key) => entries.get(key),
    add: (entry) => entries.set(++last, entry),
    delete(keys) {
      for (const key of keys) entries.delete(key);
    },
  };
}
