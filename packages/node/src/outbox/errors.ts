import { CloseloopError } from "@closeloop/core";

/**
 * `append` was refused because the file queue holds `maxBytes` of waiting items already: the
 * item was **not** accepted. Deliveries free room; a larger `maxBytes` gives more.
 *
 * @example
 * try { await store.append(item, Date.now()) } catch (e) { if (e instanceof QueueFullError) shed(item) }
 */
export class QueueFullError extends CloseloopError {
  /** The queue's directory. */
  readonly dir: string;
  /** The configured bound on waiting bytes. */
  readonly maxBytes: number;
  constructor(dir: string, maxBytes: number, recordBytes: number, liveBytes: number) {
    super(
      "queue_full",
      `Queue in "${dir}" is full: ${liveBytes} bytes wait and a ${recordBytes}-byte item would exceed maxBytes (${maxBytes})`,
    );
    this.dir = dir;
    this.maxBytes = maxBytes;
  }
}

/**
 * Another store, in this process or another live one, holds the queue directory. Two writers on
 * one log would corrupt it, so the second open is refused rather than serialised.
 */
export class QueueLockedError extends CloseloopError {
  /** The queue's directory. */
  readonly dir: string;
  /** Process id of the holder, when the lock file names one. */
  readonly pid: number | undefined;
  constructor(dir: string, pid: number | undefined, detail: string) {
    super("queue_locked", `Queue directory "${dir}" is locked ${detail}`);
    this.dir = dir;
    this.pid = pid;
  }
}

/** The file queue was used after `close()`. */
export class QueueClosedError extends CloseloopError {
  constructor(dir: string, op: string) {
    super("queue_closed", `Queue in "${dir}" is closed: cannot ${op}`);
  }
}
