/**
 * Where each waiting item's record lies, in parallel typed arrays: about 29 bytes an item and no
 * parsed objects, so a million waiting items cost ~29 MB of flat memory, not a million JSON
 * trees. Entries are in seq order; delivered ones are flagged dead until the head passes them.
 */
export class ItemIndex {
  seq: Float64Array;
  seg: Uint32Array;
  off: Float64Array;
  /** Record length on disk, framing included. */
  len: Uint32Array;
  /** UTF-8 length of the item's JSON (what `StoredItem.bytes` reports). */
  bytes: Uint32Array;
  dead: Uint8Array;
  head = 0;
  tail = 0;
  live = 0;
  /** Sum of `len` over live entries. */
  liveBytes = 0;

  constructor(capacity = 1024) {
    this.seq = new Float64Array(capacity);
    this.seg = new Uint32Array(capacity);
    this.off = new Float64Array(capacity);
    this.len = new Uint32Array(capacity);
    this.bytes = new Uint32Array(capacity);
    this.dead = new Uint8Array(capacity);
  }

  /** Adds an entry; `seq` must be greater than every seq already in. */
  push(seq: number, seg: number, off: number, len: number, bytes: number): void {
    if (this.tail === this.seq.length) this.makeRoom();
    const i = this.tail++;
    this.seq[i] = seq;
    this.seg[i] = seg;
    this.off[i] = off;
    this.len[i] = len;
    this.bytes[i] = bytes;
    this.dead[i] = 0;
    this.live++;
    this.liveBytes += len;
  }

  /** Seq of the last entry ever pushed and still held, or 0. */
  lastSeq(): number {
    return this.tail > 0 ? (this.seq[this.tail - 1] as number) : 0;
  }

  /** Position of the first entry from the head whose seq is at least `seq` (`tail` if none). */
  lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seq[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of a live entry with this seq, or -1. */
  find(seq: number): number {
    const i = this.lowerBound(seq);
    return i < this.tail && this.seq[i] === seq && !this.dead[i] ? i : -1;
  }

  /** Marks entry `i` delivered; returns its segment. */
  kill(i: number): number {
    this.dead[i] = 1;
    this.live--;
    this.liveBytes -= this.len[i] as number;
    while (this.head < this.tail && this.dead[this.head]) this.head++;
    return this.seg[i] as number;
  }

  private makeRoom(): void {
    const n = this.tail - this.head;
    // Deliveries remove the head: once it holds over half the arrays, shifting is cheaper than growing.
    if (this.head > 0 && n * 2 <= this.seq.length) {
      for (const a of this.arrays()) a.copyWithin(0, this.head, this.tail);
      this.head = 0;
      this.tail = n;
      return;
    }
    const cap = this.seq.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(cap);
      b.set(a.subarray(this.head, this.tail));
      return b;
    };
    this.seq = grow(this.seq, (c) => new Float64Array(c));
    this.seg = grow(this.seg, (c) => new Uint32Array(c));
    this.off = grow(this.off, (c) => new Float64Array(c));
    this.len = grow(this.len, (c) => new Uint32Array(c));
    this.bytes = grow(this.bytes, (c) => new Uint32Array(c));
    this.dead = grow(this.dead, (c) => new Uint8Array(c));
    this.head = 0;
    this.tail = n;
  }

  private arrays(): (Float64Array | Uint32Array | Uint8Array)[] {
    return [this.seq, this.seg, this.off, this.len, this.bytes, this.dead];
  }
}
