import type { Issue } from "./errors.js";
import type { Breach } from "./loop/deadlines.js";
import type { BatchItem } from "./schemas/batch.js";
import type { Loop, LoopEvent } from "./schemas/loop.js";

/** The server's answer for an item that will never be accepted. */
export interface DeliveryError {
  /** HTTP status of the batch, when the whole batch was refused. */
  status?: number;
  code: string;
  message: string;
  /** The item's problems, when the server named them (else absent or `undefined`). */
  issues?: Issue[] | undefined;
}

/**
 * Every event on the Closeloop bus with its payload. Listeners get one typed argument.
 *
 * @example
 * bus.on("loop:closed", ({ loop }) => console.log(`loop ${loop.id} closed`));
 */
export interface CloseloopEvents {
  "loop:transition": (e: { loop: Loop; event: LoopEvent }) => void;
  "loop:breached": (e: { loop: Loop; breach: Breach }) => void;
  "loop:closed": (e: { loop: Loop }) => void;
  /** The store holds the item; told for items enqueued while this event had a listener. */
  "response:queued": (e: { item: BatchItem }) => void;
  "response:delivered": (e: { item: BatchItem; id: string; duplicate: boolean }) => void;
  "delivery:failed": (e: {
    items: number;
    error: DeliveryError;
    attempt: number;
    retryInMs: number;
  }) => void;
  "delivery:dropped": (e: { item: BatchItem; error: DeliveryError }) => void;
  /** The durable queue was unavailable and a less durable one is used (e.g. IndexedDB → memory). */
  "store:fallback": (e: { from: string; to: string; reason: string }) => void;
}

/** Names of the bus's events. */
export type CloseloopEventName = keyof CloseloopEvents;

/** The payload a listener of `K` receives. */
type Payload<K extends CloseloopEventName> = Parameters<CloseloopEvents[K]>[0];

/**
 * The typed event bus shared by clients, the outbox and the collector: the methods of an
 * eventemitter3 emitter that they use, in a few hundred bytes (the browser's capture entry has 6 KB in all, see
 * docs/size.md). Listeners run in the order they were added, each with the one payload; a
 * listener added or removed during an `emit` takes effect from the next `emit`.
 */
export interface CloseloopBus {
  /** Adds a listener; returns the bus, so calls chain. */
  on<K extends CloseloopEventName>(name: K, fn: CloseloopEvents[K]): CloseloopBus;
  /** Adds a listener that is removed before its first call. */
  once<K extends CloseloopEventName>(name: K, fn: CloseloopEvents[K]): CloseloopBus;
  /** Removes `fn` (also when added with `once`), or every listener of `name` without `fn`. */
  off<K extends CloseloopEventName>(name: K, fn?: CloseloopEvents[K]): CloseloopBus;
  /** Calls the listeners of `name` with `payload`; `false` when it has none. */
  emit<K extends CloseloopEventName>(name: K, payload: Payload<K>): boolean;
  /** Removes the listeners of `name`, or of every event without it. */
  removeAllListeners(name?: CloseloopEventName): CloseloopBus;
  /** How many listeners `name` has. */
  listenerCount(name: CloseloopEventName): number;
}

/** A listener as the bus keeps it (names ending in `_` are shortened by the build). */
interface Listener {
  fn_: (payload: never) => void;
  once_: boolean;
}

/**
 * Creates a typed bus; each bus has its own listeners.
 *
 * @example
 * const bus = createEventBus();
 * bus.on("delivery:dropped", ({ item, error }) => console.warn(item.idempotencyKey, error.message));
 */
export function createEventBus(): CloseloopBus {
  // Lists are replaced, never changed in place, so an emit walks the list it started with.
  const lists = new Map<CloseloopEventName, Listener[]>();
  const get = (name: CloseloopEventName) => lists.get(name) ?? [];
  const set = (name: CloseloopEventName, list: Listener[]) => {
    lists.set(name, list);
    return bus;
  };
  const add = (name: CloseloopEventName, fn: Listener["fn_"], once: boolean) =>
    set(name, [...get(name), { fn_: fn, once_: once }]);
  const bus: CloseloopBus = {
    on: (name, fn) => add(name, fn, false),
    once: (name, fn) => add(name, fn, true),
    off: (name, fn) => set(name, fn ? get(name).filter((l) => l.fn_ !== fn) : []),
    emit(name, payload) {
      const list = get(name);
      for (const l of list) {
        if (l.once_)
          set(
            name,
            get(name).filter((m) => m !== l),
          );
        (l.fn_ as (p: typeof payload) => void)(payload);
      }
      return list.length > 0;
    },
    removeAllListeners(name) {
      if (name) lists.delete(name);
      else lists.clear();
      return bus;
    },
    listenerCount: (name) => get(name).length,
  };
  return bus;
}
