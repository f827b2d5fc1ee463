import type { QueueStore } from "@closeloop/core";

/**
 * A `QueueStore` that could not be opened (say, its directory is locked by a live process):
 * every call rejects with the open's error, so `createClient` still returns and every capture
 * rejects — nothing is silently accepted.
 */
export function failedStore(error: unknown, kind: string): QueueStore {
  const fail = () => Promise.reject(error);
  return { kind, append: fail, peek: fail, remove: fail, count: fail, close: fail };
}
