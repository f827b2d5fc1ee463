import { closeSync, fsyncSync, renameSync, unlinkSync } from "node:fs";
import { ItemIndex } from "./item-index.js";
import {
  createSegment,
  fsyncDir,
  readAll,
  type Segment,
  segmentPath,
  writeAll,
} from "./segment.js";

/**
 * Copies the record of every waiting item, in order, into a new segment `no` flagged as a
 * snapshot, and returns it with an index pointing into it. The copy is complete and fsynced
 * under a temporary name before it is renamed into place, so a crash leaves either the old
 * segments or a snapshot that supersedes them, never half of one; the caller then deletes the
 * old segments. Records are copied verbatim, checksums included, in runs of adjacent records.
 */
export function writeSnapshot(
  dir: string,
  no: number,
  from: ItemIndex,
  nextSeq: number,
  fdOf: (segment: number) => number,
): { segment: Segment; index: ItemIndex } {
  const tmp = `${segmentPath(dir, no)}.tmp`;
  const seg = createSegment(tmp, no, { snapshot: true, firstSeq: nextSeq });
  const index = new ItemIndex(Math.max(1024, from.live));
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    for (let i = from.head; i < from.tail; ) {
      if (from.dead[i]) {
        i++;
        continue;
      }
      const segNo = from.seg[i] as number;
      const start = from.off[i] as number;
      let end = start + (from.len[i] as number);
      let j = i + 1;
      while (
        j < from.tail &&
        !from.dead[j] &&
        from.seg[j] === segNo &&
        from.off[j] === end &&
        end + (from.len[j] as number) - start <= buf.length
      ) {
        end += from.len[j] as number;
        j++;
      }
      if (end - start > buf.length) buf = Buffer.allocUnsafe(end - start);
      readAll(fdOf(segNo), buf, end - start, start);
      writeAll(seg.fd, buf.subarray(0, end - start), seg.size);
      for (; i < j; i++) {
        const at = seg.size + (from.off[i] as number) - start;
        index.push(from.seq[i] as number, no, at, from.len[i] as number, from.bytes[i] as number);
      }
      seg.size += end - start;
      seg.live = index.live;
    }
    fsyncSync(seg.fd);
  } catch (e) {
    closeSync(seg.fd);
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
  try {
    renameSync(tmp, segmentPath(dir, no));
  } catch (e) {
    closeSync(seg.fd);
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
  // From here the snapshot is in place and must be adopted, so nothing may throw.
  try {
    fsyncDir(dir);
  } catch {} // then the rename may not outlive a power cut: the old segments still hold everything
  return { segment: seg, index };
}
