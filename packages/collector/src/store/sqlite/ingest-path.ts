// Which way a SQLite `transaction(fn)` runs, decided by its first call on `tx`: a batch of new
// responses and feedback (`prefetchBatch` first, and `takes` agrees) runs against the reader with
// its writes sent to the writer thread; everything else runs as before, inside a group-commit
// member on the writer connection, entered at that first call (docs/stores.md, Ingest on a writer
// thread).
import type { StoreTx } from "../types.js";
import { optimisticTx, RunAgain } from "./optimistic-tx.js";
import type { Prepared } from "./statements.js";
import type { WriterThread } from "./writer-thread.js";

/** Runs `fn` the usual way: in a group-commit member with the writer's `tx`. */
export type Locked = <T>(fn: (tx: StoreTx) => Promise<T>) => Promise<T>;

/**
 * `transaction(fn)` with the writer thread's path for batches of new responses and feedback.
 * `methods` are the names of `tx`'s methods (own properties: callers spread `tx`); `thread()`
 * answers the writer thread, started on first use, or `undefined` when there is none.
 */
export function transactionWithWriterThread(
  methods: readonly string[],
  read: Prepared,
  thread: () => WriterThread | undefined,
  locked: Locked,
): <T>(fn: (tx: StoreTx) => Promise<T>) => Promise<T> {
  return async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
    const writer = thread();
    if (writer === undefined) return locked(fn);
    const overlay = optimisticTx(read);
    type Mode = "undecided" | "thread" | "locked";
    let mode = "undecided" as Mode;
    // The locked way, entered at fn's first call: its member hands fn the writer's tx and holds
    // the transaction open until fn settles.
    let member: Promise<T> | undefined;
    let lockedTx: Promise<StoreTx> | undefined;
    let settle: { done: (v: T) => void; fail: (e: unknown) => void } | undefined;
    const enterLocked = () => {
      mode = "locked";
      const fnSettled = new Promise<T>((done, fail) => {
        settle = { done, fail };
      });
      lockedTx = new Promise<StoreTx>((hand, refuse) => {
        member = locked((tx) => {
          hand(tx);
          return fnSettled;
        });
        // A transaction that could not start (BEGIN failed): fn's calls reject with its error.
        member.catch(refuse);
      });
      lockedTx.catch(() => {});
    };
    let over = false;
    const call = (name: string, args: unknown[]): unknown => {
      if (over) {
        return Promise.reject(
          new Error("closeloop sqlite store: transaction already ended; use tx only inside its fn"),
        );
      }
      if (mode === "undecided") {
        const batch = args[1] as Parameters<NonNullable<StoreTx["prefetchBatch"]>>[1];
        if (name === "prefetchBatch" && overlay.takes(args[0] as string, batch)) {
          mode = "thread";
        } else {
          enterLocked();
        }
      }
      if (mode === "thread") {
        const method = (overlay.tx as unknown as Record<string, (...a: unknown[]) => unknown>)[
          name
        ];
        return (method as (...a: unknown[]) => unknown)(...args);
      }
      return (lockedTx as Promise<StoreTx>).then((real) => {
        const method = (real as unknown as Record<string, unknown>)[name];
        // prefetchBatch is optional: the writer's tx reads item by item.
        if (typeof method !== "function") return undefined;
        return (method as (...a: unknown[]) => unknown).apply(real, args);
      });
    };
    const tx = Object.fromEntries(
      methods.map((name) => [name, (...args: unknown[]) => call(name, args)]),
    ) as unknown as StoreTx;

    let value: T;
    try {
      value = await fn(tx);
    } catch (error) {
      over = true;
      overlay.end();
      if (mode === "locked") {
        settle?.fail(error);
        return member as Promise<T>;
      }
      if (mode === "thread" && (error instanceof RunAgain || overlay.ranAgain())) {
        return locked(fn);
      }
      throw error;
    }
    over = true;
    overlay.end();
    if (mode === "locked") {
      settle?.done(value);
      return member as Promise<T>;
    }
    if (mode === "undecided") return value;
    if (overlay.ranAgain()) return locked(fn);
    if (overlay.ops.length === 0) return value;
    const outcome = await writer.write(overlay.ops);
    if (outcome.written) return value;
    // Another writer took a key or a response between the batch's read and its write.
    if (outcome.race) return locked(fn);
    throw outcome.error;
  };
}
