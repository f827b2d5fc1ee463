/**
 * A write the store refused because its database is full: the disk, or the `maxBytes` given to
 * `sqliteStore`. Reads still work. The collector answers the request 503 `store_full` with a
 * `Retry-After`, and writes succeed again once space returns (docs/stores.md, A full disk).
 *
 * Not a `CloseloopError` on purpose: ingest turns those into the rejection of one item, which a
 * client drops for good. A full store fails the whole batch instead, and the client keeps it and
 * sends it again later.
 */
export class StoreFullError extends Error {
  readonly code = "store_full";
  constructor(cause: unknown) {
    super("The collector's database is full: writes are refused until space is freed", { cause });
    this.name = "StoreFullError";
  }
}

/** `error` as a {@link StoreFullError} when SQLite answered SQLITE_FULL; otherwise as it is. */
export function fullAsStoreFull(error: unknown): unknown {
  return (error as { code?: unknown })?.code === "SQLITE_FULL" ? new StoreFullError(error) : error;
}
