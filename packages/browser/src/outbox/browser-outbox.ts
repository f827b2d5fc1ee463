import {
  type CloseloopBus,
  createHttpTransportUnchecked,
  createOutboxUnchecked,
  type Outbox,
  type OutboxOptions,
} from "@closeloop/core";
import { type BrowserStoreKind, openBrowserStore } from "./browser-store.js";
import { webLock } from "./flush-lock.js";
import { onPageHide } from "./page-hide.js";

/** Options of {@link createBrowserOutbox}; its own names end in `_` (internal, see BaseOptions). */
export interface BrowserOutboxOptions extends Pick<OutboxOptions, "batch" | "retry"> {
  /** Base URL of the collector, e.g. `https://feedback.example.com`. */
  endpoint_: string;
  /** The environment's public key (`pk_…`): it can only ingest. */
  publicKey_: string;
  /** Names the queue, so that several SDK instances on one origin keep apart. */
  name_: string;
  /** The bus to report on, `store:fallback` included while the store opens. */
  bus_: CloseloopBus;
}

/** The browser's outbox: which storage holds it, and `close()` also stops watching the page. */
export interface BrowserOutbox extends Omit<Outbox, "accept"> {
  /** `indexeddb`, or what it fell back to (each fallback was reported as `store:fallback`). */
  readonly storeKind_: BrowserStoreKind;
}

/**
 * The outbox as the client runs it: items kept in IndexedDB (falling back to localStorage, then
 * memory, each step reported on the bus as `store:fallback`), one tab of the origin flushing at
 * a time, and a `keepalive` flush when the page is hidden or left, so answers given just
 * before a tab closes still arrive — or, failing that, wait in storage for the next visit.
 *
 * Internal: the client checked its options at `init` and builds every item itself, so this
 * takes core's unchecked constructors and the bundles carry one copy of the checks
 * (docs/size.md). Pages reach the outbox through `init`.
 */
export async function createBrowserOutbox(options: BrowserOutboxOptions): Promise<BrowserOutbox> {
  const { bus_: bus, name_: name } = options;
  const transport = createHttpTransportUnchecked({
    endpoint: options.endpoint_,
    key: options.publicKey_,
  });
  const store = await openBrowserStore(name, (f) => bus.emit("store:fallback", f));
  const outbox = createOutboxUnchecked({
    ...options,
    store,
    transport,
    bus,
    lock: webLock(`closeloop-flush-${name}`),
  });
  const unwatch = onPageHide(() => {
    void outbox.flush({ keepalive: true });
  });
  return {
    ...outbox,
    storeKind_: store.kind,
    close(closeOptions) {
      unwatch();
      return outbox.close(closeOptions);
    },
  };
}
