import { QueueFullError } from "@closeloop/core";

/** Whether a storage error means "out of quota" (Firefox used to name it differently). */
export const isQuotaError = (e: unknown): boolean =>
  /quota/i.test((e as { name?: unknown } | null)?.name as string);

/** The error a full browser store rejects `append` with. */
export const queueFull = (store: string, cause: unknown): QueueFullError =>
  new QueueFullError(store, `The ${store} queue is full: the item was not stored`, cause);
