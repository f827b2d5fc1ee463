import { closeSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { encodeHeader, FRAME_BYTES, type Frame, readFrame, type SegmentHeader } from "./record.js";

/** One file of the log. Segments are numbered; recovery reads them in number order. */
export interface Segment {
  no: number;
  /** Bytes of intact records in the file. */
  size: number;
  /** Waiting items whose record is in this file. */
  live: number;
  /** Open descriptor, or -1 (opened on demand, so a long backlog does not hold one per file). */
  fd: number;
}

export const SEGMENT_NAME = /^(\d{16})\.log$/;

export function segmentPath(dir: string, no: number): string {
  return join(dir, `${String(no).padStart(16, "0")}.log`);
}

/** Writes all of `buf` at `pos` (a short write is retried, not lost). */
export function writeAll(fd: number, buf: Uint8Array, pos: number): void {
  for (let done = 0; done < buf.length; ) {
    done += writeSync(fd, buf, done, buf.length - done, pos + done);
  }
}

/** Reads exactly `n` bytes at `pos` into `buf`. */
export function readAll(fd: number, buf: Buffer, n: number, pos: number): void {
  for (let done = 0; done < n; ) {
    const got = readSync(fd, buf, done, n - done, pos + done);
    if (got === 0) throw new Error(`queue segment ended ${n - done} bytes early at ${pos + done}`);
    done += got;
  }
}

/** Makes a created, renamed or deleted file name durable; a no-op where directories cannot be opened. */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL") throw e;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Creates segment `no` under `path` (its final name, or a temporary one for a snapshot) with
 * its header written. The caller fsyncs it and the directory when its existence must last.
 */
export function createSegment(path: string, no: number, header: SegmentHeader): Segment {
  const fd = openSync(path, "wx+");
  const head = encodeHeader(header);
  writeAll(fd, head, 0);
  return { no, size: head.length, live: 0, fd };
}

/**
 * Reads the records of an open file in order, in chunks (a snapshot segment can be large), and
 * returns where the intact prefix ends: at the end of the file, or at the first record that is
 * torn, corrupt, or refused by `onRecord`.
 */
export function scanRecords(
  fd: number,
  size: number,
  onRecord: (buf: Buffer, f: Frame, pos: number) => boolean,
): number {
  let buf = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(size, FRAME_BYTES)));
  let base = 0; // file position of buf[0]
  let have = 0;
  let off = 0;
  for (;;) {
    const r = readFrame(buf, off, have);
    if (r === "bad") return base + off;
    if (r === "more") {
      if (base + have >= size) return base + off;
      // Keep the partial record, and make room for the whole of it.
      const rest = have - off;
      const need = rest >= FRAME_BYTES ? FRAME_BYTES + buf.readUInt32LE(off + 4) : FRAME_BYTES;
      const next = need > buf.length ? Buffer.allocUnsafe(need) : buf;
      buf.copy(next, 0, off, have);
      buf = next;
      base += off;
      off = 0;
      have = rest;
      while (have < buf.length && base + have < size) {
        const n = readSync(
          fd,
          buf,
          have,
          Math.min(buf.length - have, size - base - have),
          base + have,
        );
        if (n === 0) return base;
        have += n;
      }
      continue;
    }
    if (!onRecord(buf, r, base + off)) return base + off;
    off = r.end;
  }
}
