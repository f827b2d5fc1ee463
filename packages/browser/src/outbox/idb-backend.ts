import type { QueueBackend } from "./queue-backend.js";

const ITEMS = "items";
// Some Safari versions never settle `indexedDB.open`; past this, localStorage takes over.
const OPEN_TIMEOUT_MS = 5_000;

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const idb = globalThis.indexedDB;
    if (!idb) throw new Error("IndexedDB is not available");
    let failed = false;
    const fail = (e: unknown) => {
      failed = true;
      reject(e);
    };
    // May throw (e.g. SecurityError in a sandboxed frame): the executor turns it into a rejection.
    const req = idb.open(name, 1);
    const timer = setTimeout(
      () => fail(new Error("IndexedDB did not open in time")),
      OPEN_TIMEOUT_MS,
    );
    // The key generator makes `seq`: increasing, shared by every tab, never reused.
    req.onupgradeneeded = () => req.result.createObjectStore(ITEMS, { autoIncrement: true });
    req.onsuccess = () => {
      clearTimeout(timer);
      // A connection that arrives after we gave up must not linger and block upgrades.
      if (failed) req.result.close();
      else resolve(req.result);
    };
    req.onerror = () => fail(req.error);
    req.onblocked = () => fail(new Error("IndexedDB open is blocked by another tab"));
  });
}

/**
 * The queue's entries in one IndexedDB database (`name`), shared by every tab of the origin.
 * Rejects when IndexedDB is missing or cannot be opened, so the caller can fall back.
 */
export async function idbBackend(name: string): Promise<QueueBackend> {
  let db: Promise<IDBDatabase> | undefined;
  const connect = () =>
    (db ??= open(name).then(
      (d) => {
        // Another tab upgrading, or the user clearing site data: let go, reconnect on next use.
        d.onversionchange = d.onclose = () => {
          d.close();
          db = undefined;
        };
        return d;
      },
      (e: unknown) => {
        db = undefined; // the next call tries again
        throw e;
      },
    ));

  // Requests are issued synchronously in `fn`, while the transaction is active; the answer is
  // the result of the request `fn` returns, once the transaction has committed.
  async function run<T>(
    mode: IDBTransactionMode,
    // biome-ignore lint/suspicious/noConfusingVoidType: a removal issues requests and answers none
    fn: (items: IDBObjectStore) => IDBRequest<T> | void,
    durability: IDBTransactionDurability = "default",
  ): Promise<T> {
    const tx = (await connect()).transaction(ITEMS, mode, { durability });
    const req = fn(tx.objectStore(ITEMS));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
    return req?.result as T;
  }

  await connect();
  return {
    // Strict: an accepted item is on disk, not only in the browser's write buffer.
    add: (entry) => run("readwrite", (s) => s.add(entry), "strict"),
    keys: () => run("readonly", (s) => s.getAllKeys() as IDBRequest<number[]>),
    get: (key) => run("readonly", (s) => s.get(key)),
    // Relaxed is enough: a removal lost to a crash means one resend, deduplicated by its key.
    delete: (keys) =>
      run("readwrite", (s) => {
        for (const key of keys) s.delete(key);
      }),
    async close() {
      const d = db;
      db = undefined;
      (await d?.catch(() => undefined))?.close();
    },
  };
}
