import type { CollectorStore } from "./types.js";

/**
 * The connection a `tx` uses, for as long as its transaction lasts: a `tx` that escapes its
 * `transaction(fn)` rejects on both stores rather than writing outside any transaction
 * (docs/stores.md, Transactions and locking).
 */
export function whileLive<H>(
  kind: CollectorStore["kind"],
  handle: H,
  live: () => boolean,
): () => H {
  return () => {
    if (live()) return handle;
    throw new Error(
      `closeloop ${kind} store: transaction already ended; use tx only inside its fn`,
    );
  };
}
