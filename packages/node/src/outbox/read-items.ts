import { type BatchItem, CloseloopError, type StoredItem } from "@closeloop/core";
import type { ItemIndex } from "./item-index.js";
import { ITEM, itemEnqueuedAt, itemJson, readFrame } from "./record.js";
import { readAll } from "./segment.js";

/** Neighbouring records are read with one read unless this much lies between them. */
const READ_GAP = 64 * 1024;

/**
 * Reads and parses the items at the `picked` index positions (in order), one read per run of
 * neighbouring records: only what a peek returns is ever parsed. Checksums are checked again,
 * so a record changed on disk since the open is an error, not a wrong item.
 */
export function readItems(
  ix: ItemIndex,
  picked: readonly number[],
  fdOf: (segment: number) => number,
  dir: string,
): StoredItem[] {
  const out: StoredItem[] = [];
  for (let k = 0; k < picked.length; ) {
    const first = picked[k] as number;
    const seg = ix.seg[first] as number;
    const start = ix.off[first] as number;
    let end = start + (ix.len[first] as number);
    let m = k + 1;
    for (; m < picked.length; m++) {
      const j = picked[m] as number;
      if (ix.seg[j] !== seg || (ix.off[j] as number) - end > READ_GAP) break;
      end = (ix.off[j] as number) + (ix.len[j] as number);
    }
    const buf = Buffer.allocUnsafe(end - start);
    readAll(fdOf(seg), buf, end - start, start);
    for (; k < m; k++) {
      const j = picked[k] as number;
      const at = (ix.off[j] as number) - start;
      const f = readFrame(buf, at, at + (ix.len[j] as number));
      if (typeof f === "string" || f.type !== ITEM) {
        const what = `the record of item ${ix.seq[j]} changed on disk`;
        throw new CloseloopError("queue_corrupt", `Queue in "${dir}": ${what}`);
      }
      out.push({
        seq: ix.seq[j] as number,
        item: JSON.parse(itemJson(buf, f)) as BatchItem,
        enqueuedAt: itemEnqueuedAt(buf, f),
        bytes: ix.bytes[j] as number,
      });
    }
  }
  return out;
}
