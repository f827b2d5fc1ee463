import {
  type CloseloopBus,
  createEventBus,
  createHttpTransport,
  createOutbox,
  type Outbox,
  type OutboxOptions,
} from "@closeloop/core";
import { type BrowserStoreKind, openBrowserStore } from "./browser-store.js";
import { flushLock } from "./flush-lock.js";
import { onPageHide } from "./page-hide.js";

/** Options of {@link createBrowserOutbox}. */
export interface BrowserOutboxOptions {
  /** Base URL of the collector, e.g. `https://feedback.example.com`. */
  endpoint: string;
  /** The environment's public key (`pk_…`): it can only ingest. */
  publicKey: string;
  /** Names the queue, so that several SDK instances on one origin keep apart. Default `default`. */
  name?: string;
  /** The bus to report on; pass yours to hear `store:fallback` while the store opens. */
  bus?: CloseloopBus;
  batch?: OutboxOptions["batch"];
  retry?: OutboxOptions["retry"];
}

/** The browser's outbox: which storage holds it, and `close()` also stops watching the page. */
export interface BrowserOutbox extends Outbox {
  /** `indexeddb`, or what it fell back to (each fallback was reported as `store:fallback`). */
  readonly storeKind: BrowserStoreKind;
}

/**
 * The outbox as a browser runs it: items kept in IndexedDB (falling back to localStorage, then
 * memory, each step reported on the bus as `store:fallback`), one tab of the origin flushing at
 * a time, and a `keepalive` flush when the page is hidden or left, so answers given just
 * before a tab closes still arrive — or, failing that, wait in storage for the next visit.
 *
 * @example
 * const bus = createEventBus();
 * bus.on("store:fallback", ({ to, reason }) => console.warn(`queueing in ${to}: ${reason}`));
 * const outbox = await createBrowserOutbox({ endpoint: "https://feedback.example.com", publicKey: "pk_…", bus });
 * await outbox.enqueue({ type: "feedback", data: { channel: "in-app", text: "Love the new editor" } });
 */
export async function createBrowserOutbox(options: BrowserOutboxOptions): Promise<BrowserOutbox> {
  const bus = options.bus ?? createEventBus();
  const name = options.name ?? "default";
  // Checked before any storage is opened, so a bad endpoint or key fails fast with its field.
  const transport = createHttpTransport({ endpoint: options.endpoint, key: options.publicKey });
  const store = await openBrowserStore(name, (f) => bus.emit("store:fallback", f));
  const outbox = createOutbox({
    store,
    transport,
    bus,
    lock: flushLock(`closeloop-flush-${name}`),
    ...(options.batch ? { batch: options.batch } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const unwatch = onPageHide(() => {
    void outbox.flush({ keepalive: true });
  });
  return {
    ...outbox,
    bus,
    storeKind: store.kind,
    close(closeOptions) {
      unwatch();
      return outbox.close(closeOptions);
    },
  };
}
