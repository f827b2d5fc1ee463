import type { QueueBackend } from "./queue-backend.js";

// Some Safari versions never settle `indexedDB.open`; past this, localStorage takes over.
const OPEN_TIMEOUT_MS = 5_000;

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const idb = globalThis.indexedDB;
    if (!idb) throw new Error("IndexedDB is not available");
    // May throw (e.g. SecurityError in a sandboxed frame): the executor turns it into a rejection.
    const req = idb.open(name, 1);
    const fail = (e: unknown) => {
      // A connection that arrives after we gave up must not linger and block upgrades.
      req.onsuccess = () => req.result.close();
      reject(e);
    };
    // Left to fire after a success too: it then settles nothing and closes nothing.
    setTimeout(() => fail(new Error("IndexedDB did not open in time")), OPEN_TIMEOUT_MS);
    // One object store, `items` (named at each use, not as a module constant: size.md). The key
    // generator makes `seq`: increasing, shared by every tab, never reused.
    req.onupgradeneeded = () =>
      req.result.createObjectStore("items", { keyPath: "seq", autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => fail(req.error);
  });
}

/**
 * The queue's entries in one IndexedDB database (`name`), shared by every tab of the origin.
 * Each call opens the database, runs one transaction and lets go, so no connection is held
 * between calls: none to lose when the browser closes it, none to block another tab's upgrade
 * or the user clearing site data. Rejects when IndexedDB is missing or cannot be opened, so the
 * caller can fall back.
 */
export async function idbBackend(name: string): Promise<QueueBackend> {
  // Requests are issued synchronously in `fn`, while the transaction is active; the answer is
  // the result of the request `fn` returns, once the transaction has committed.
  async function run<T>(
    mode: IDBTransactionMode,
    // biome-ignore lint/suspicious/noConfusingVoidType: a removal issues requests and answers none
    fn: (items: IDBObjectStore) => IDBRequest<T> | void,
    options?: IDBTransactionOptions,
  ): Promise<T> {
    const db = await open(name);
    const tx = db.transaction("items", mode, options);
    const req = fn(tx.objectStore("items"));
    db.close(); // once the transaction is done
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    return req?.result as T;
  }

  (await open(name)).close(); // rejects here, at open, when IndexedDB is unusable
  return {
    // Strict: an accepted item is on disk, not only in the browser's write buffer.
    add_: (entry) => run("readwrite", (s) => s.add(entry), { durability: "strict" }),
    head_: (n) => run("readonly", (s) => s.getAll(null, n)),
    count_: () => run("readonly", (s) => s.count()),
    // Relaxed is enough: a removal lost to a crash means one resend, deduplicated by its key.
    delete_: (seqs) =>
      run("readwrite", (s) => {
        for (const seq of seqs) s.delete(seq);
      }),
  };
}
