import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Marks the async context of a `transaction(fn)` so that the store can refuse, inside `fn`, calls
 * that would wait for `fn` itself: on SQLite every write queues behind the open transaction; on
 * PostgreSQL a nested transaction touching a row the outer one locked waits for a COMMIT that
 * never comes (the wait is in JavaScript, so the server's deadlock detector cannot see it). Both
 * stores refuse the same calls, so code that works on one works on the other.
 */
export function reentryGuard(store: string) {
  const inside = new AsyncLocalStorage<boolean>();
  return {
    /** Runs `fn` marked as inside a transaction. */
    run<T>(fn: () => Promise<T>): Promise<T> {
      return inside.run(true, fn);
    },
    /** Throws when called from inside a transaction's `fn`. */
    refuse(what: string): void {
      if (inside.getStore()) {
        throw new Error(
          `closeloop ${store} store: ${what} called inside transaction(fn) would wait for fn forever; use the tx argument`,
        );
      }
    },
  };
}
