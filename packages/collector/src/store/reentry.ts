import { AsyncLocalStorage } from "node:async_hooks";
import type { CollectorStore } from "./types.js";
import type { WebhookStore } from "./webhook-types.js";

// Calls that would wait for an open `transaction(fn)` are refused inside `fn`: on SQLite every
// write queues behind the open transaction; on PostgreSQL a nested transaction touching a row the
// outer one locked waits for a COMMIT that never comes (the wait is in JavaScript, so the
// server's deadlock detector cannot see it). Both stores are wrapped here, once, with the same
// list, so code that works on one works on the other (docs/stores.md, Transactions and locking).

/** A method of the store (not `kind` nor `webhooks`). */
export type StoreMethod = Exclude<keyof CollectorStore, "kind" | "webhooks">;

/** What every store refuses inside `fn`: its writes (`transaction` itself is wrapped apart). */
const STORE_WRITES: readonly StoreMethod[] = [
  "migrate",
  "createEnvironment",
  "createFirstEnvironment",
  "addKey",
  "revokeKey",
  "publishSurvey",
  "setFeedbackPolicy",
  "setAllowedOrigins",
  "addDeskUser",
  "removeDeskUser",
  "createDeskSession",
  "deleteDeskSession",
];
const WEBHOOK_WRITES: readonly (keyof WebhookStore)[] = [
  "putEndpoint",
  "rotateSecret",
  "deleteEndpoint",
  "claimDeliveries",
  "recordAttempt",
];

/** `target` with each of `names` rejecting, when called inside `fn`, before it runs. */
function refusing<T extends object>(
  target: T,
  names: readonly (keyof T & string)[],
  refuse: (what: string) => void,
): T {
  const out: T = { ...target };
  for (const name of names) {
    const method = target[name] as (...args: unknown[]) => Promise<unknown>;
    const guarded = async (...args: unknown[]) => {
      refuse(name);
      return method.apply(target, args);
    };
    (out as Record<string, unknown>)[name] = guarded;
  }
  return out;
}

/**
 * The store with its transactions' `fn`s marked, and the writes (plus `alsoRefused`, e.g. reads
 * that queue behind the writer) refused inside them.
 */
export function guardReentry(
  store: CollectorStore,
  alsoRefused: readonly StoreMethod[] = [],
): CollectorStore {
  const inside = new AsyncLocalStorage<boolean>();
  const refuse = (what: string): void => {
    if (inside.getStore()) {
      throw new Error(
        `closeloop ${store.kind} store: ${what} called inside transaction(fn) would wait for fn forever; use the tx argument`,
      );
    }
  };
  return {
    ...refusing(store, [...STORE_WRITES, ...alsoRefused], refuse),
    webhooks: refusing(store.webhooks, WEBHOOK_WRITES, refuse),
    async transaction(fn) {
      refuse("transaction");
      return store.transaction((tx) => inside.run(true, () => fn(tx)));
    },
  };
}
