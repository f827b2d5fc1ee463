import type { BatchItem } from "../schemas/batch.js";

/** Browsers cap the bodies of keepalive requests in flight at 64 KiB; this leaves room for headers. */
export const KEEPALIVE_BYTES = 60_000;

/**
 * The newest items this context enqueued and has not yet seen settled, up to `KEEPALIVE_BYTES`.
 * A page being left can send them at once: a browser lets a keepalive request started in the
 * `pagehide` handler (or a microtask of it) outlive the page, but not one started after an
 * IndexedDB read, which needs another task. They stay in the store too; the keys of those the
 * collector answered are remembered so the store's copies are removed without a second send.
 * Its names end in `_`: internal, shortened by the build (docs/size.md).
 */
export interface PageExitBuffer {
  add_(item: BatchItem, bytes: number): void;
  /** Takes what waits, to send now with keepalive. */
  take_(): BatchItem[];
  /** The keepalive answer for `key` came: true when the outbox should report it (the store pass has not). */
  answer_(key: string): boolean;
  /** The keepalive request failed: its items wait here again (they never left the store). */
  giveBack_(items: readonly BatchItem[]): void;
  /** The store pass settled `key`: forget it everywhere. */
  settled_(key: string): void;
  /** Whether a keepalive answer already settled `key`; forgets it, as its store copy is being removed. */
  consumeAnswered_(key: string): boolean;
}

interface Waiting {
  item_: BatchItem;
  bytes_: number;
}

/** Creates an empty {@link PageExitBuffer}. */
export function pageExitBuffer(): PageExitBuffer {
  const waiting = new Map<string, Waiting>();
  let bytes = 0;
  /** Items sent by a keepalive request whose answer has not come. */
  const inFlight = new Map<string, Waiting>();
  /** Keys the collector answered for a keepalive request, whose store copies remain. */
  const answered = new Set<string>();
  const forget = (key: string) => {
    const w = waiting.get(key);
    if (w && waiting.delete(key)) bytes -= w.bytes_;
  };
  const add = (item: BatchItem, size: number) => {
    forget(item.idempotencyKey); // the same key enqueued again is counted once, as the newest
    waiting.set(item.idempotencyKey, { item_: item, bytes_: size });
    bytes += size;
    // Oldest first, until the rest fits one keepalive request.
    for (const key of waiting.keys()) {
      if (bytes <= KEEPALIVE_BYTES) break;
      forget(key);
    }
  };
  return {
    add_: add,
    take_() {
      const items: BatchItem[] = [];
      for (const [key, w] of waiting) {
        inFlight.set(key, w);
        items.push(w.item_);
      }
      waiting.clear();
      bytes = 0;
      return items;
    },
    answer_: (key) => inFlight.delete(key) && answered.add(key).has(key),
    giveBack_(items) {
      for (const { idempotencyKey: key } of items) {
        const w = inFlight.get(key);
        if (w && inFlight.delete(key)) add(w.item_, w.bytes_);
      }
    },
    settled_(key) {
      forget(key);
      inFlight.delete(key);
    },
    consumeAnswered_: (key) => answered.delete(key),
  };
}
