import type { StoredItem } from "@closeloop/core";
import type { QueueBackend } from "./queue-backend.js";

// Tabs do not share localStorage atomically: two can read the same counter at once. Each
// backend therefore adds its own random low bits to `seq`, so racing tabs never write the same.
const TABS = 2 ** 21;

/**
 * The queue's entries in localStorage: one key per entry (`<name>:<seq>`) and a persisted
 * counter (`<name>:n`). Every read lists the keys again, so entries added by other tabs are
 * seen. Throws when localStorage is missing or refuses writes (storage disabled, quota of zero).
 */
export function localStorageBackend(
  name: string,
  // Reading the property itself throws where storage is forbidden (e.g. cookies blocked).
  storage: Storage | undefined = globalThis.localStorage,
): QueueBackend {
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
  // Resume after the last entry even if the counter was lost; this write also probes the storage.
  storage.setItem(
    counter,
    String(
      Math.max(Number(storage.getItem(counter)) || 0, Math.floor((seqs().at(-1) ?? 0) / TABS)),
    ),
  );

  return {
    head_(n) {
      const out: StoredItem[] = [];
      for (const seq of seqs()) {
        if (out.length >= n) break;
        const raw = storage.getItem(prefix + seq); // null when removed meanwhile
        try {
          if (raw !== null) out.push({ ...JSON.parse(raw), seq });
        } catch {
          // Not written by us: left in place it would stop the queue forever.
          storage.removeItem(prefix + seq);
        }
      }
      return out;
    },
    count_: () => seqs().length,
    add_(entry) {
      const value = JSON.stringify(entry);
      // The counter first: if the entry then fails to fit, the seq is skipped, never reused.
      const n = (Number(storage.getItem(counter)) || 0) + 1;
      storage.setItem(counter, String(n));
      storage.setItem(prefix + (n * TABS + tab), value);
    },
    delete_(seqs) {
      for (const seq of seqs) storage.removeItem(prefix + seq);
    },
  };
}
