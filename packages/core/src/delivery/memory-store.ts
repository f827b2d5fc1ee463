import type { BatchItem } from "../schemas/batch.js";
import type { PeekLimit, QueueStore, StoredItem } from "./queue-store.js";
import { utf8Length } from "./utf8.js";

/**
 * A `QueueStore` in memory: nothing survives the process or the page. The fallback when no
 * durable storage is available, and the store for tests.
 *
 * @example const outbox = createOutbox({ store: memoryQueueStore(), transport });
 */
export function memoryQueueStore(): QueueStore {
  let items: StoredItem[] = [];
  let head = 0;
  let nextSeq = 1;
  // Every append answers with this one settled promise: an outbox groups the appends that share
  // a promise, so a burst costs no promise per item (docs/delivery.md).
  const stored = Promise.resolve();
  return {
    kind: "memory",
    append(item: BatchItem, enqueuedAt: number) {
      try {
        const bytes = utf8Length(JSON.stringify(item));
        items.push({ seq: nextSeq++, item, enqueuedAt, bytes });
      } catch (e) {
        return Promise.reject(e);
      }
      return stored;
    },
    async peek({ maxItems, maxBytes }: PeekLimit) {
      const out: StoredItem[] = [];
      let bytes = 0;
      for (let i = head; i < items.length && out.length < maxItems; i++) {
        const s = items[i] as StoredItem;
        if (out.length > 0 && bytes + s.bytes > maxBytes) break;
        out.push(s);
        bytes += s.bytes;
      }
      return out;
    },
    async remove(seqs: readonly number[]) {
      const gone = new Set(seqs);
      // Deliveries remove a prefix: skip it cheaply, and copy the queue only when something
      // beyond it goes too, or when the skipped part has grown larger than the rest.
      while (head < items.length && gone.delete((items[head] as StoredItem).seq)) head++;
      if (gone.size > 0 || (head > 1024 && head * 2 > items.length)) {
        items = items.slice(head).filter((s) => !gone.has(s.seq));
        head = 0;
      }
    },
    async count() {
      return items.length - head;
    },
    async close() {},
  };
}
