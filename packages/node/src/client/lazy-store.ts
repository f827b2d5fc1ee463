import type { QueueStore } from "@closeloop/core";

/**
 * A `QueueStore` that is still opening: every call waits for it. Lets `createClient` return at
 * once while the file store recovers its log in the background; an open failure rejects every
 * call (so `capture` calls reject: nothing is silently accepted).
 */
export function lazyStore(opening: Promise<QueueStore>, kind: string): QueueStore {
  opening.catch(() => {}); // surfaced by the calls, not as an unhandled rejection
  return {
    kind,
    append: (item, at) => opening.then((s) => s.append(item, at)),
    peek: (limit) => opening.then((s) => s.peek(limit)),
    remove: (seqs) => opening.then((s) => s.remove(seqs)),
    count: () => opening.then((s) => s.count()),
    close: () => opening.then((s) => s.close()),
  };
}
