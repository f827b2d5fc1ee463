// How an outbox takes items in: the part of `enqueue` between checking an item and scheduling
// its delivery. Two intakes share the rest of the outbox (outbox.ts): one item at a time for a
// page's few items, and this file's grouped one for a server's bursts (docs/delivery.md).
import type { CloseloopBus } from "../events.js";
import type { BatchItem } from "../schemas/batch.js";
import type { OutboxItemInput, PreparedItem, withDefaults } from "./outbox-input.js";
import type { PageExitBuffer } from "./page-exit.js";

/**
 * An outbox's `enqueue` and `accept`, given by the outbox it feeds: its page-exit buffer, its
 * guarded `emit`, `open` (throws `QueueClosedError` once the outbox is closing) and `stored`
 * (`count` items are in the store: schedule their delivery). The outbox's options and how it
 * prepares an item are given when the intake is made (`groupedIntake(o, prepare, pageExit)`),
 * by the one caller that has both. Positional, not an object, and as few as can be: the call
 * sits in the one outbox every bundle carries, and an object's keys cannot be minified away
 * (docs/size.md).
 */
export type Intake = (
  exit: PageExitBuffer,
  emit: CloseloopBus["emit"],
  open: () => void,
  stored: (count: number) => void,
) => {
  enqueue(input: OutboxItemInput): Promise<BatchItem>;
  accept(input: OutboxItemInput): Promise<void>;
};

const noop = () => {};

/** Items whose store appends returned the same promise: their bookkeeping is done once. */
interface Group {
  stored: Promise<void>;
  count: number;
  /** Items to report as `response:queued`: only those enqueued while it had a listener. */
  queued: BatchItem[];
}

/**
 * The intake for outbox options `o` and `prepare`: items grouped by the promise the store gave
 * for them — a store that groups its writes (the file store, one per write and fsync) shares
 * one among them — so a burst of `accept` holds no suspended call and no item per call while
 * the writes are pending: only the newest ~60 KB for the page-exit send when `pageExit`, and
 * the items while `response:queued` has a listener.
 */
export const groupedIntake =
  (
    o: ReturnType<typeof withDefaults>,
    prepare: (input: OutboxItemInput) => PreparedItem,
    pageExit: boolean,
  ): Intake =>
  (exit, emit, open, stored) => {
    /** The group of the latest item, until its store promise settles. */
    let group: Group | undefined;

    /** Checks the item and hands it to the store; throws what `enqueue` rejects with. */
    function hand(input: OutboxItemInput): [BatchItem, Promise<void>] {
      open();
      const { item_: item, bytes_: bytes, json_: json } = prepare(input);
      const appended = o.store_.append(item, o.clock_.now(), json);
      // Offered to the page-exit send at once, its write done or not: a page being left sends
      // what it can; the buffer holds the newest ~60 KB, so nothing else keeps the item here.
      if (pageExit) exit.add_(item, bytes);
      let g = group;
      if (g?.stored !== appended) {
        const fresh: Group = { stored: appended, count: 0, queued: [] };
        group = g = fresh;
        // Registered before the callers' reactions: their items are queued when they resume. A
        // rejection is each caller's to see; nothing was queued.
        appended.then(() => onStored(fresh), noop);
      }
      g.count++;
      if (o.bus_.listenerCount("response:queued")) g.queued.push(item);
      return [item, appended];
    }

    /** The store holds a group's items: report them and schedule their delivery. */
    function onStored(g: Group): void {
      if (group === g) group = undefined;
      for (const item of g.queued) emit("response:queued", { item });
      stored(g.count);
    }

    return {
      async enqueue(input) {
        const [item, appended] = hand(input);
        await appended;
        return item;
      },
      // Not async: a burst must not hold a suspended call per item (docs/delivery.md).
      accept(input) {
        try {
          return hand(input)[1];
        } catch (e) {
          return Promise.reject(e);
        }
      },
    };
  };
