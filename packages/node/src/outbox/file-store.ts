import {
  closeSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  unlinkSync,
} from "node:fs";
import {
  type BatchItem,
  CloseloopError,
  type PeekLimit,
  QueueClosedError,
  QueueFullError,
  type QueueStore,
  type StoredItem,
  ValidationError,
} from "@closeloop/core";
import type { ItemIndex } from "./item-index.js";
import { acquireLock, type DirLock } from "./lock.js";
import { type FileQueueStoreOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { readItems } from "./read-items.js";
import { encodeRemove, ITEM_OVERHEAD, MAX_PAYLOAD_BYTES, writeItem } from "./record.js";
import { recover } from "./recover.js";
import { createSegment, fsyncDir, type Segment, segmentPath, writeAll } from "./segment.js";
import { writeSnapshot } from "./snapshot.js";

/**
 * Appends not yet written are held in memory up to either bound; the append that reaches one
 * writes them at once, synchronously, so a burst of appends made in one synchronous run (which
 * no timer or microtask can interrupt) holds at most this much, whatever its length. Each
 * append still resolves only once its fsync is done (docs/outbox-node.md).
 */
export const BATCH_MAX_ITEMS = 1024;
export const BATCH_MAX_BYTES = 1 << 20;

/** The `QueueStore` that `fileQueueStore` opens. */
export interface FileQueueStore extends QueueStore {
  readonly kind: "file";
  /** The queue's directory. */
  readonly dir: string;
}

/** Appends that share one write and one fsync, and so one promise. */
interface Group {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function newGroup(): Group {
  const g = {} as Group;
  g.promise = new Promise<void>((resolve, reject) => {
    g.resolve = resolve;
    g.reject = reject;
  });
  return g;
}

interface Pending {
  seq: number;
  enqueuedAt: number;
  json: string;
  bytes: number;
}

function badItem(code: string, message: string): ValidationError {
  return new ValidationError("queue item", [{ path: "", code, message }]);
}

function closeFd(s: Segment): void {
  if (s.fd >= 0) closeSync(s.fd);
  s.fd = -1;
}

/**
 * Opens (creating if needed) a durable `QueueStore` in `dir`: an append-only log of checksummed
 * records, recovered on open up to its first torn or corrupt record.
 *
 * Disk space is bounded by segments, not by rewriting: the log rolls to a new numbered file every
 * `segmentBytes`, and a file whose items are all delivered is deleted whole, which costs nothing
 * when deliveries keep up (they remove the oldest items). Only when an old item stays behind
 * while much has been delivered after it are the waiting items copied into a snapshot segment
 * and the older files deleted; that copy happens at most once per its own size in deliveries.
 *
 * Rejects with `ValidationError` for bad options and `QueueLockedError` when another live store
 * holds `dir`; `close()` writes and fsyncs what is pending and releases the directory.
 *
 * @example
 * const store = await fileQueueStore({ dir: "/var/lib/app/outbox", fsync: "batch", maxBytes: 64 * 1024 * 1024 });
 * const outbox = createOutbox({ store, transport: createHttpTransport({ endpoint, key }) });
 */
export async function fileQueueStore(options: FileQueueStoreOptions): Promise<FileQueueStore> {
  return openFileQueueStore(options);
}

/**
 * `fileQueueStore`, opened synchronously (recovery reads the log with synchronous calls either
 * way): throws what `fileQueueStore` rejects with. Internal to `@closeloop/node`: the client
 * uses it so that its first captures reach the store directly.
 */
export function openFileQueueStore(options: FileQueueStoreOptions): FileQueueStore {
  const o = resolveOptions(options);
  mkdirSync(o.dir, { recursive: true });
  const lock = acquireLock(o.dir);
  try {
    const store = new FileLog(o, lock, recover(o.dir));
    store.maintain();
    return store;
  } catch (e) {
    lock.release();
    throw e;
  }
}

class FileLog implements FileQueueStore {
  readonly kind = "file" as const;
  readonly dir: string;
  private segments: Segment[];
  private index: ItemIndex;
  private nextSeq: number;
  private diskBytes = 0;
  /** Appended, not yet written; they share `group`. */
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private group: Group | undefined;
  /** Written, waiting for an fsync. */
  private unsynced: Group[] = [];
  private syncing = false;
  private syncWaiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushQueued = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** After a failed snapshot (say, a full disk), none is tried again until the log grows this big. */
  private snapshotAt = 0;

  constructor(
    private readonly o: ResolvedOptions,
    private readonly lock: DirLock,
    state: { segments: Segment[]; index: ItemIndex; nextSeq: number },
  ) {
    this.dir = o.dir;
    this.segments = state.segments;
    this.index = state.index;
    this.nextSeq = state.nextSeq;
    for (const s of this.segments) this.diskBytes += s.size;
  }

  private get tail(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  // Not async: the synchronous part is all a capture pays, so it only queues the item.
  append(item: BatchItem, enqueuedAt: number, dataJson?: string): Promise<void> {
    if (this.closed)
      return Promise.reject(
        new QueueClosedError("file", `Queue in "${this.dir}" is closed: cannot append`),
      );
    let json: string | undefined;
    try {
      // The outbox's JSON of the data, inside the item's other keys: one serialization a capture.
      json =
        dataJson?.[0] === "{"
          ? `{"type":${JSON.stringify(item.type)},"idempotencyKey":${JSON.stringify(item.idempotencyKey)},"data":${dataJson}}`
          : JSON.stringify(item);
    } catch (e) {
      return Promise.reject(e);
    }
    if (typeof json !== "string" || json[0] !== "{") {
      return Promise.reject(badItem("invalid_type", "a queue item must be a JSON object"));
    }
    const bytes = Buffer.byteLength(json);
    if (bytes + 16 > MAX_PAYLOAD_BYTES) {
      return Promise.reject(
        badItem("too_large", `a queue item must be under 64 MiB, got ${bytes} bytes`),
      );
    }
    const record = ITEM_OVERHEAD + bytes;
    const live = this.index.liveBytes + this.pendingBytes;
    if (live + record > this.o.maxBytes) {
      return Promise.reject(
        new QueueFullError(
          "file",
          `Queue in "${this.dir}" is full: ${live} bytes wait and a ${record}-byte item would exceed maxBytes (${this.o.maxBytes})`,
        ),
      );
    }
    this.pending.push({ seq: this.nextSeq++, enqueuedAt, json, bytes });
    this.pendingBytes += record;
    // Every append of a group returns the group's one promise: no promise per item.
    this.group ??= newGroup();
    const group = this.group; // schedule() may write the group and start the next
    this.schedule();
    return group.promise;
  }

  private schedule(): void {
    const small = this.pending.length < BATCH_MAX_ITEMS && this.pendingBytes < BATCH_MAX_BYTES;
    if (!small) {
      // Full: written now, not at the next microtask, which a synchronous burst never reaches.
      this.flush();
    } else if (this.o.fsync === "batch") {
      this.timer ??= setTimeout(this.flush, this.o.batchIntervalMs);
    } else if (!this.flushQueued) {
      // A microtask, so that appends made in one synchronous run share one write.
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return; // close() writes and syncs what is left
    this.writePending();
    if (this.o.fsync === "never") this.maintain();
    else this.startSync();
  };

  /** Writes pending appends to the tail with one write; with `never`, that is their commit. */
  private writePending(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const group = this.group as Group;
    const tail = this.tail;
    const buf = Buffer.allocUnsafe(this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.group = undefined;
    let off = 0;
    for (const p of batch) off = writeItem(buf, off, p.seq, p.enqueuedAt, p.json, p.bytes);
    try {
      writeAll(tail.fd, buf, tail.size);
    } catch (e) {
      try {
        ftruncateSync(tail.fd, tail.size); // no half record left for the next append to follow
      } catch {}
      group.reject(e);
      return;
    }
    off = tail.size;
    for (const p of batch) {
      this.index.push(p.seq, tail.no, off, ITEM_OVERHEAD + p.bytes, p.bytes);
      off += ITEM_OVERHEAD + p.bytes;
    }
    tail.live += batch.length;
    tail.size += buf.length;
    this.diskBytes += buf.length;
    if (this.o.fsync === "never") group.resolve();
    else this.unsynced.push(group);
  }

  /**
   * One fsync at a time, off the event loop; groups written while it runs wait for the next,
   * which is how `always` becomes a group commit under load.
   */
  private startSync(): void {
    if (this.syncing) return;
    if (this.unsynced.length === 0) {
      this.maintain();
      return;
    }
    this.syncing = true;
    const groups = this.unsynced;
    this.unsynced = [];
    fsync(this.tail.fd, (err) => {
      this.syncing = false;
      // A failed fsync rejects its appends; their records stay and may still be delivered,
      // which the idempotency key makes harmless.
      for (const g of groups)
        if (err) g.reject(err);
        else g.resolve();
      for (const w of this.syncWaiters.splice(0)) w();
      if (!this.closed) this.startSync();
    });
  }

  /**
   * Deletes fully delivered leading segments; rolls or snapshots the tail when nothing is
   * unsynced. Never throws: it also runs from timers and fsync callbacks.
   */
  maintain(): void {
    while (this.segments.length > 1 && (this.segments[0] as Segment).live === 0) {
      const s = this.segments.shift() as Segment;
      closeFd(s);
      this.diskBytes -= s.size;
      try {
        unlinkSync(segmentPath(this.dir, s.no));
      } catch {} // left behind, it is still consistent: its removals are in it or after it
    }
    if (this.syncing || this.unsynced.length > 0) return; // the tail may change only between fsyncs
    const live = this.index.liveBytes;
    const dead = this.diskBytes - live;
    if (dead > live + 2 * this.o.segmentBytes && this.diskBytes >= this.snapshotAt) {
      this.snapshot();
    } else if (this.tail.size >= this.o.segmentBytes) {
      this.roll();
    }
  }

  // Compaction and rolling are optimisations: on failure the log stays valid and they are retried.
  private snapshot(): void {
    try {
      const made = writeSnapshot(this.dir, this.tail.no + 1, this.index, this.nextSeq, (n) =>
        this.fdOf(n),
      );
      // Renamed into place, the snapshot supersedes the old segments: adopt it before anything
      // else can fail, or later appends would go to a segment the next open ignores.
      const old = this.segments;
      this.segments = [made.segment];
      this.index = made.index;
      this.diskBytes = made.segment.size;
      for (const s of old) {
        closeFd(s);
        try {
          unlinkSync(segmentPath(this.dir, s.no));
        } catch {} // superseded: the next open deletes it
      }
    } catch {
      this.snapshotAt = this.diskBytes + this.o.segmentBytes;
    }
  }

  private roll(): void {
    const no = this.tail.no + 1;
    const path = segmentPath(this.dir, no);
    try {
      const seg = createSegment(path, no, { snapshot: false, firstSeq: this.nextSeq });
      fsyncDir(this.dir); // the file's name must last; its header is fsynced with its first items
      closeFd(this.tail); // reopened read-only if a peek needs it
      this.segments.push(seg);
      this.diskBytes += seg.size;
    } catch {
      try {
        unlinkSync(path);
      } catch {}
    }
  }

  private segmentOf(no: number): Segment {
    const s = this.segments.find((x) => x.no === no);
    if (!s) throw new CloseloopError("queue_corrupt", `Queue in "${this.dir}" lost segment ${no}`);
    return s;
  }

  private fdOf(no: number): number {
    const s = this.segmentOf(no);
    if (s.fd < 0) s.fd = openSync(segmentPath(this.dir, no), "r");
    return s.fd;
  }

  private check(op: string): void {
    if (this.closed)
      throw new QueueClosedError("file", `Queue in "${this.dir}" is closed: cannot ${op}`);
  }

  async peek({ maxItems, maxBytes }: PeekLimit): Promise<StoredItem[]> {
    this.check("peek");
    this.writePending(); // so a peek sees every append made before it
    const ix = this.index;
    const picked: number[] = [];
    let bytes = 0;
    for (let i = ix.head; i < ix.tail && picked.length < maxItems; i++) {
      if (ix.dead[i]) continue;
      const b = ix.bytes[i] as number;
      if (picked.length > 0 && bytes + b > maxBytes) break;
      picked.push(i);
      bytes += b;
    }
    return readItems(this.index, picked, (no) => this.fdOf(no), this.dir);
  }

  /**
   * Appends one remove record of seq runs. It is written, not fsynced: a removal lost to a
   * power cut only means a redelivery, which the idempotency key makes harmless.
   */
  async remove(seqs: readonly number[]): Promise<void> {
    this.check("remove");
    const runs: [number, number][] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const i = this.index.find(seq);
      if (i < 0) continue;
      this.segmentOf(this.index.kill(i)).live--;
      const run = runs.at(-1);
      if (run && run[0] + run[1] === seq && run[1] < 0xffffffff) run[1]++;
      else runs.push([seq, 1]);
    }
    if (runs.length === 0) return;
    const buf = encodeRemove(runs);
    const tail = this.tail;
    writeAll(tail.fd, buf, tail.size);
    tail.size += buf.length;
    this.diskBytes += buf.length;
    this.maintain();
  }

  async count(): Promise<number> {
    this.check("count");
    this.writePending();
    return this.index.live;
  }

  /** Writes and fsyncs what is pending (whatever the policy), closes the files, releases the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.writePending();
    while (this.syncing) await new Promise<void>((r) => this.syncWaiters.push(r));
    const groups = this.unsynced;
    this.unsynced = [];
    try {
      fsyncSync(this.tail.fd);
      for (const g of groups) g.resolve();
    } catch (e) {
      for (const g of groups) g.reject(e);
      throw e;
    } finally {
      for (const s of this.segments) closeFd(s);
      this.lock.release();
    }
  }
}
