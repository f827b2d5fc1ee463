import { type BatchItem, type StoredItem, utf8Length } from "@closeloop/core";

/** What a browser store keeps per item; the store supplies `seq`. */
export type Entry = Omit<StoredItem, "seq">;

// Measured once at append, so batching by bytes never re-serializes what it peeks.
export const entry = (item: BatchItem, enqueuedAt: number): Entry => ({
  item,
  enqueuedAt,
  bytes: utf8Length(JSON.stringify(item)),
});
