// Runs in Chromium: exposes the browser outbox pieces to the test process as `window.closeloop`,
// so that tests drive real IndexedDB, localStorage, Web Locks and page events by page.evaluate.
import type { QueueStore } from "@closeloop/core";
import { browserQueueStore, type StoreFallback } from "../../src/outbox/browser-store.js";
import { flushLock } from "../../src/outbox/flush-lock.js";
import { idbBackend } from "../../src/outbox/idb-backend.js";
import { localStorageBackend } from "../../src/outbox/local-storage-backend.js";
import { onPageHide } from "../../src/outbox/page-hide.js";
import { backendQueue } from "../../src/outbox/queue-backend.js";

/** Results cross page.evaluate as data: an error keeps its name, code and message. */
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: { name: string; code?: string; message: string } };

async function settle<T>(p: Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const err = e as { name?: string; code?: unknown; message?: string };
    return {
      ok: false,
      error: {
        name: String(err.name),
        ...(typeof err.code === "string" ? { code: err.code } : {}),
        message: String(err.message ?? e),
      },
    };
  }
}

export type StoreKind = "indexeddb" | "localstorage" | "browser";
type Method = "append" | "peek" | "remove" | "count" | "close";

const stores = new Map<number, QueueStore>();
const locks = new Map<string, ReturnType<typeof flushLock>>();
const releases = new Map<string, () => void>();
const holds = new Map<string, Promise<unknown>>();
let nextId = 0;
let hides = 0;

const api = {
  /**
   * Opens a store; `browser` goes through browserQueueStore and collects its fallbacks, unless
   * `console` is set: then it gives no onFallback, so fallbacks go to console.warn.
   */
  open(kind: StoreKind, name: string, console = false) {
    const fallbacks: StoreFallback[] = [];
    return settle(
      (async () => {
        const store =
          kind === "indexeddb"
            ? backendQueue("indexeddb", await idbBackend(name))
            : kind === "localstorage"
              ? backendQueue("localstorage", localStorageBackend(name))
              : await browserQueueStore(
                  console ? { name } : { name, onFallback: (f) => fallbacks.push(f) },
                );
        stores.set(++nextId, store);
        return { id: nextId, kind: store.kind, fallbacks };
      })(),
    );
  },
  call(id: number, method: Method, args: unknown[]) {
    const store = stores.get(id);
    if (!store) return settle(Promise.reject(new Error(`no store ${id}`)));
    const fn = store[method] as (...a: unknown[]) => Promise<unknown>;
    return settle(fn.apply(store, args));
  },
  /** Fills localStorage until it refuses even a short value; returns the keys written. */
  fillLocalStorage(): number {
    let n = 0;
    for (let size = 1 << 20; size >= 1; size >>= 2) {
      const chunk = "x".repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`junk-${n}`, chunk);
          n++;
        } catch {
          break;
        }
      }
    }
    return n;
  },
  clearJunk(n: number) {
    for (let i = 0; i < n; i++) localStorage.removeItem(`junk-${i}`);
  },
  /** Takes the lock and holds it until `release`; true when it ran, false when it was busy. */
  async hold(name: string): Promise<boolean> {
    const lock = lockFor(name);
    let started!: () => void;
    const running = new Promise<boolean>((resolve) => {
      started = () => resolve(true);
    });
    const done = lock(
      () =>
        new Promise<string>((resolve) => {
          releases.set(name, () => resolve("released"));
          started();
        }),
    );
    holds.set(name, done);
    return Promise.race([running, done.then(() => false)]);
  },
  /** Lets a `hold` go; resolves with what its lock call resolved with. */
  async release(name: string): Promise<unknown> {
    releases.get(name)?.();
    releases.delete(name);
    return holds.get(name);
  },
  /** Tries the lock once; `ran` says whether fn ran. */
  async tryLock(name: string): Promise<{ ran: boolean; result: unknown }> {
    let ran = false;
    const result = await lockFor(name)(async () => {
      ran = true;
      return "ran";
    });
    return { ran, result: result ?? null };
  },
  /** Runs a lock whose fn throws; resolves with how the lock call settled. */
  failLock(name: string) {
    return settle(
      lockFor(name)(async () => {
        throw new Error("flush failed");
      }),
    );
  },
  hasWebLocks: () => "locks" in navigator && navigator.locks !== undefined,
  /** Subscribes onPageHide: counts calls and reports each to the server with keepalive. */
  watchHide(): void {
    const off = onPageHide(() => {
      hides++;
      void fetch("/hidden", { method: "POST", body: String(hides), keepalive: true });
    });
    Object.assign(api, { unwatchHide: off });
  },
  unwatchHide: (): void => {},
  hides: () => hides,
  /** Makes document.visibilityState report `state` and announces it, as a tab switch would. */
  setVisibility(state: DocumentVisibilityState) {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    document.dispatchEvent(new Event("visibilitychange"));
  },
};

function lockFor(name: string) {
  let lock = locks.get(name);
  if (!lock) {
    lock = flushLock(name);
    locks.set(name, lock);
  }
  return lock;
}

export type PageApi = typeof api;
(globalThis as unknown as { closeloop: PageApi }).closeloop = api;
