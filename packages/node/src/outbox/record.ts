import { crc32 } from "./crc32.js";

// One record on disk: [crc32 u32][length u32][type u8][payload: length bytes], little-endian.
// The checksum covers length, type and payload, so a torn write, a flipped bit or stray bytes
// after the last good record are all caught by the same test.

/** Bytes before the payload. */
export const FRAME_BYTES = 9;
/** Larger lengths are garbage, not records: recovery never allocates on a corrupt length. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

export const HEADER = 1;
export const ITEM = 2;
export const REMOVE = 3;

const MAGIC = 0x31514c43; // "CLQ1"
const HEADER_PAYLOAD = 13;
/** Bytes an item record takes besides its JSON: frame, seq and enqueuedAt. */
export const ITEM_OVERHEAD = FRAME_BYTES + 16;

/** Fills in length, type and checksum of a record whose payload is already at `off + FRAME_BYTES`. */
export function seal(buf: Buffer, off: number, type: number, payloadLength: number): number {
  buf.writeUInt32LE(payloadLength, off + 4);
  buf[off + 8] = type;
  const end = off + FRAME_BYTES + payloadLength;
  buf.writeUInt32LE(crc32(buf.subarray(off + 4, end)), off);
  return end;
}

/** A record found in a buffer; the payload is `buf[start, end)`. */
export interface Frame {
  type: number;
  start: number;
  end: number;
}

/**
 * Reads the record at `off`: `"more"` when `buf` ends before it does (a torn tail at the end of
 * a file), `"bad"` when it cannot be a record (corruption), else the record.
 */
export function readFrame(buf: Buffer, off: number, limit: number): Frame | "more" | "bad" {
  if (limit - off < FRAME_BYTES) return "more";
  const length = buf.readUInt32LE(off + 4);
  const type = buf[off + 8] as number;
  if (length > MAX_PAYLOAD_BYTES || type < HEADER || type > REMOVE) return "bad";
  const end = off + FRAME_BYTES + length;
  if (end > limit) return "more";
  if (crc32(buf.subarray(off + 4, end)) !== buf.readUInt32LE(off)) return "bad";
  return { type, start: off + FRAME_BYTES, end };
}

/** A segment's first record: whether it is a snapshot (supersedes every older segment) and the next seq when it was made. */
export interface SegmentHeader {
  snapshot: boolean;
  firstSeq: number;
}

export function encodeHeader(h: SegmentHeader): Buffer {
  const buf = Buffer.alloc(FRAME_BYTES + HEADER_PAYLOAD);
  buf.writeUInt32LE(MAGIC, FRAME_BYTES);
  buf[FRAME_BYTES + 4] = h.snapshot ? 1 : 0;
  buf.writeDoubleLE(h.firstSeq, FRAME_BYTES + 5);
  seal(buf, 0, HEADER, HEADER_PAYLOAD);
  return buf;
}

export function decodeHeader(buf: Buffer, f: Frame): SegmentHeader | undefined {
  if (f.type !== HEADER || f.end - f.start !== HEADER_PAYLOAD) return undefined;
  if (buf.readUInt32LE(f.start) !== MAGIC) return undefined;
  const firstSeq = buf.readDoubleLE(f.start + 5);
  if (!Number.isSafeInteger(firstSeq) || firstSeq < 1) return undefined;
  return { snapshot: buf[f.start + 4] === 1, firstSeq };
}

/** Writes an item record at `off` (the JSON is `jsonBytes` long in UTF-8); returns its end. */
export function writeItem(
  buf: Buffer,
  off: number,
  seq: number,
  enqueuedAt: number,
  json: string,
  jsonBytes: number,
): number {
  buf.writeDoubleLE(seq, off + FRAME_BYTES);
  buf.writeDoubleLE(enqueuedAt, off + FRAME_BYTES + 8);
  buf.write(json, off + ITEM_OVERHEAD, jsonBytes, "utf8");
  return seal(buf, off, ITEM, 16 + jsonBytes);
}

export function itemSeq(buf: Buffer, f: Frame): number {
  return buf.readDoubleLE(f.start);
}

export function itemEnqueuedAt(buf: Buffer, f: Frame): number {
  return buf.readDoubleLE(f.start + 8);
}

export function itemJson(buf: Buffer, f: Frame): string {
  return buf.toString("utf8", f.start + 16, f.end);
}

/** Removed seqs as runs `[first, count]`: deliveries remove runs, so a record stays tiny. */
export function encodeRemove(runs: readonly (readonly [number, number])[]): Buffer {
  const buf = Buffer.allocUnsafe(FRAME_BYTES + runs.length * 12);
  let off = FRAME_BYTES;
  for (const [first, count] of runs) {
    buf.writeDoubleLE(first, off);
    buf.writeUInt32LE(count, off + 8);
    off += 12;
  }
  seal(buf, 0, REMOVE, runs.length * 12);
  return buf;
}

export function decodeRemove(buf: Buffer, f: Frame): [number, number][] {
  const runs: [number, number][] = [];
  for (let off = f.start; off + 12 <= f.end; off += 12) {
    runs.push([buf.readDoubleLE(off), buf.readUInt32LE(off + 8)]);
  }
  return runs;
}
