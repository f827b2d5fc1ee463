import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import { ItemIndex } from "./item-index.js";
import {
  decodeHeader,
  decodeRemove,
  FRAME_BYTES,
  HEADER,
  ITEM,
  ITEM_OVERHEAD,
  itemSeq,
  type SegmentHeader,
} from "./record.js";
import {
  createSegment,
  fsyncDir,
  SEGMENT_NAME,
  type Segment,
  scanRecords,
  segmentPath,
} from "./segment.js";

/** What opening a queue directory found. */
export interface Recovered {
  segments: Segment[];
  index: ItemIndex;
  nextSeq: number;
}

function readHeader(fd: number): SegmentHeader | undefined {
  let header: SegmentHeader | undefined;
  scanRecords(fd, Math.min(fstatSync(fd).size, 64), (buf, f) => {
    header = decodeHeader(buf, f);
    return false;
  });
  return header;
}

/**
 * Rebuilds the index from the segments in `dir`. Everything before the newest snapshot is
 * superseded and deleted; each remaining segment is read up to its first torn or corrupt record
 * and truncated there, so garbage never survives an open and later appends follow intact data.
 * A segment without a valid header (a crash while it was being made) is deleted.
 */
export function recover(dir: string): Recovered {
  const names = readdirSync(dir);
  for (const n of names) if (n.endsWith(".log.tmp")) unlinkSync(join(dir, n)); // an unfinished snapshot
  const numbers = names
    .map((n) => SEGMENT_NAME.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

  const opened = numbers.map((no) => {
    const fd = openSync(segmentPath(dir, no), "r+");
    return { no, fd, header: readHeader(fd) };
  });
  let start = -1;
  opened.forEach((s, i) => {
    if (s.header?.snapshot) start = i;
  });
  const index = new ItemIndex();
  const byNo = new Map<number, Segment>();
  const segments: Segment[] = [];
  let nextSeq = 1;

  opened.forEach(({ no, fd, header }, i) => {
    if (i < start || !header) {
      closeSync(fd);
      unlinkSync(segmentPath(dir, no));
      return;
    }
    const seg: Segment = { no, size: 0, live: 0, fd };
    byNo.set(no, seg);
    nextSeq = Math.max(nextSeq, header.firstSeq);
    const size = fstatSync(fd).size;
    let first = true;
    seg.size = scanRecords(fd, size, (buf, f, pos) => {
      if (first) {
        first = false; // the header, already read
        return true;
      }
      if (f.type === ITEM) {
        const seq = itemSeq(buf, f);
        if (!Number.isSafeInteger(seq) || seq <= index.lastSeq()) return false;
        const len = f.end - f.start + FRAME_BYTES;
        if (len < ITEM_OVERHEAD) return false;
        index.push(seq, no, pos, len, len - ITEM_OVERHEAD);
        seg.live++;
        nextSeq = Math.max(nextSeq, seq + 1);
        return true;
      }
      if (f.type === HEADER) return false;
      for (const [firstSeq, count] of decodeRemove(buf, f)) {
        for (let j = index.lowerBound(firstSeq); j < index.tail; j++) {
          if ((index.seq[j] as number) >= firstSeq + count) break;
          if (!index.dead[j]) (byNo.get(index.kill(j)) as Segment).live--;
        }
      }
      return true;
    });
    if (seg.size < size) {
      ftruncateSync(fd, seg.size);
      fsyncSync(fd);
    }
    segments.push(seg);
  });

  const tail = segments.at(-1);
  for (const s of segments) {
    if (s !== tail) {
      closeSync(s.fd);
      s.fd = -1;
    }
  }
  if (!tail) {
    const no = (numbers.at(-1) ?? 0) + 1;
    segments.push(createSegment(segmentPath(dir, no), no, { snapshot: false, firstSeq: nextSeq }));
    fsyncDir(dir);
  }
  return { segments, index, nextSeq };
}
