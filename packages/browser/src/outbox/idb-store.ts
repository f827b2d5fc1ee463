import type { BatchItem, PeekLimit, QueueStore, StoredItem } from "@closeloop/core";
import { batch } from "./batch.js";
import { entry } from "./entry.js";
import { isQuotaError, queueFull } from "./queue-full-error.js";

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
    req.onupgradeneeded = () =>
      req.result.createObjectStore(ITEMS, { keyPath: "seq", autoIncrement: true });
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
 * A `QueueStore` in one IndexedDB database (`name`), shared by every tab of the origin.
 * Rejects when IndexedDB is missing or cannot be opened, so the caller can fall back.
 */
export async function idbQueueStore(name: string): Promise<QueueStore> {
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

  // Requests are issued synchronously in `fn`, while the transaction is active.
  async function run<T>(
    mode: IDBTransactionMode,
    fn: (items: IDBObjectStore) => T,
    durability: IDBTransactionDurability = "default",
  ): Promise<T> {
    const tx = (await connect()).transaction(ITEMS, mode, { durability });
    const result = fn(tx.objectStore(ITEMS));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
    return result;
  }

  await connect();
  return {
    kind: "indexeddb",
    async append(item: BatchItem, enqueuedAt: number) {
      try {
        // Strict: an accepted item is on disk, not only in the browser's write buffer.
        await run("readwrite", (s) => s.add(entry(item, enqueuedAt)), "strict");
      } catch (e) {
        throw isQuotaError(e) ? queueFull("indexeddb", e) : e;
      }
    },
    peek(limit: PeekLimit) {
      return run("readonly", (s) => {
        const b = batch(limit);
        // A cursor, not getAll: only what the batch can hold is read into memory.
        const req = s.openCursor();
        req.onsuccess = () => {
          const cursor = req.result;
          if (cursor && b.add(cursor.value as StoredItem)) cursor.continue();
        };
        return b.items;
      });
    },
    async remove(seqs: readonly number[]) {
      // Relaxed is enough: a removal lost to a crash means one resend, deduplicated by its key.
      await run("readwrite", (s) => {
        for (const seq of seqs) s.delete(seq);
      });
    },
    async count() {
      return (await run("readonly", (s) => s.count())).result;
    },
    async close() {
      const d = db;
      db = undefined;
      (await d?.catch(() => undefined))?.close();
    },
  };
}
