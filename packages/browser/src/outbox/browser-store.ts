import type { QueueStore } from "@closeloop/core";
import { idbBackend } from "./idb-backend.js";
import { localStorageBackend } from "./local-storage-backend.js";
import { memoryBackend } from "./memory-backend.js";
import { backendQueue } from "./queue-backend.js";

/** What backs a browser queue, from the most to the least durable. */
export type BrowserStoreKind = "indexeddb" | "localstorage" | "memory";

/** A store could not be used and the next one down was taken instead. */
export interface StoreFallback {
  from: Exclude<BrowserStoreKind, "memory">;
  to: Exclude<BrowserStoreKind, "indexeddb">;
  /** Why the `from` store failed, e.g. `InvalidStateError: …` in Firefox's private mode. */
  reason: string;
}

/** Options of {@link browserQueueStore}. */
export interface BrowserQueueStoreOptions {
  /** Names the queue, so that several SDK instances on one origin keep apart. Default `default`. */
  name?: string;
  /** Told of every fallback. Without it, fallbacks are written to `console.warn`. */
  onFallback?: (fallback: StoreFallback) => void;
}

/** A `QueueStore` whose `kind` says which browser storage holds the queue. */
export interface BrowserQueueStore extends QueueStore {
  readonly kind: BrowserStoreKind;
}

/**
 * Opens the browser's durable queue: IndexedDB, else localStorage, else memory. Each step down
 * is reported, never silent, because items in memory do not survive the page. Tabs of one
 * origin share the queue (use `flushLock` so that only one of them sends it).
 *
 * @example
 * const store = await browserQueueStore({
 *   onFallback: ({ from, to, reason }) => console.warn(`${from} → ${to}: ${reason}`),
 * });
 * store.kind; // "indexeddb" in most browsers
 */
export function browserQueueStore(
  options: BrowserQueueStoreOptions = {},
): Promise<BrowserQueueStore> {
  return openBrowserStore(
    options.name ?? "default",
    options.onFallback ??
      (({ from, to, reason }) =>
        console.warn(`closeloop: ${from} unavailable (${reason}); queueing in ${to}`)),
  );
}

/**
 * `browserQueueStore` for `createBrowserOutbox`, which always listens: apart, so that its
 * bundle does not carry the console message (docs/size.md).
 */
export async function openBrowserStore(
  name: string,
  onFallback: (fallback: StoreFallback) => void,
): Promise<BrowserQueueStore> {
  const db = `closeloop-outbox-${name}`;
  const report = (from: StoreFallback["from"], to: StoreFallback["to"], e: unknown) =>
    onFallback({ from, to, reason: String(e) });
  try {
    return backendQueue("indexeddb", await idbBackend(db));
  } catch (e) {
    report("indexeddb", "localstorage", e);
  }
  try {
    return backendQueue("localstorage", localStorageBackend(db));
  } catch (e) {
    report("localstorage", "memory", e);
  }
  return backendQueue("memory", memoryBackend());
}
