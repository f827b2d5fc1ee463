import { type Issue, ValidationError } from "@closeloop/core";

/** When `append` resolves: see {@link FileQueueStoreOptions.fsync}. */
export type FsyncPolicy = "always" | "batch" | "never";

/** Options of `fileQueueStore`. */
export interface FileQueueStoreOptions {
  /** Directory of the log (created if missing). One store at a time may hold it. */
  dir: string;
  /**
   * When `append` resolves. `always`: once its record is written and fsynced (appends arriving
   * during an fsync share the next one). `batch`: appends are grouped for `batchIntervalMs` and
   * fsynced together; each resolves when its group is. `never`: once written to the OS, which
   * survives the process being killed but not the machine losing power.
   */
  fsync: FsyncPolicy;
  /** Most bytes of waiting records (framing included); an `append` beyond rejects with `QueueFullError`. */
  maxBytes: number;
  /** With `fsync: "batch"`, how long a group gathers appends before it is written and fsynced. Default 5 ms. */
  batchIntervalMs?: number;
  /** The log rolls to a new segment file past this size, so delivered segments can be deleted whole. Default 8 MiB. */
  segmentBytes?: number;
}

export interface ResolvedOptions {
  dir: string;
  fsync: FsyncPolicy;
  maxBytes: number;
  batchIntervalMs: number;
  segmentBytes: number;
}

const POLICIES: readonly string[] = ["always", "batch", "never"];

function positive(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v > 0;
}

/** Checks every option at once, so one error lists every problem. */
export function resolveOptions(o: FileQueueStoreOptions): ResolvedOptions {
  const opts = (o ?? {}) as Partial<Record<keyof FileQueueStoreOptions, unknown>>;
  const issues: Issue[] = [];
  const bad = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (typeof opts.dir !== "string" || opts.dir.length === 0) {
    bad("dir", "required", "dir must be a non-empty path to the queue directory");
  }
  if (typeof opts.fsync !== "string" || !POLICIES.includes(opts.fsync)) {
    bad(
      "fsync",
      "invalid_enum",
      `fsync must be "always", "batch" or "never", got ${String(opts.fsync)}`,
    );
  }
  if (!positive(opts.maxBytes)) {
    bad(
      "maxBytes",
      "invalid_number",
      `maxBytes must be a positive number of bytes, got ${String(opts.maxBytes)}`,
    );
  }
  const interval = opts.batchIntervalMs ?? 5;
  if (typeof interval !== "number" || !Number.isFinite(interval) || interval < 0) {
    bad("batchIntervalMs", "invalid_number", "batchIntervalMs must be a finite number ≥ 0");
  }
  const segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
  if (!positive(segmentBytes)) {
    bad("segmentBytes", "invalid_number", "segmentBytes must be a positive number of bytes");
  }
  if (issues.length > 0) throw new ValidationError("fileQueueStore options", issues);
  return {
    dir: opts.dir as string,
    fsync: opts.fsync as FsyncPolicy,
    maxBytes: opts.maxBytes as number,
    batchIntervalMs: interval as number,
    segmentBytes: segmentBytes as number,
  };
}
