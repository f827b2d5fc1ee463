import { CloseloopError } from "@closeloop/core";

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
    this.name = "QueueLockedError";
    this.dir = dir;
    this.pid = pid;
  }
}
