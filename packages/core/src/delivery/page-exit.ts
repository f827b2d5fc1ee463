import type { BatchItem } from "../schemas/batch.js";

/** Browsers cap the bodies of keepalive requests in flight at 64 KiB; this leaves room for headers. */
export const KEEPALIVE_BYTES = 60_000;

/**
 * The newest items this context enqueued and has not yet seen settled, up to `KEEPALIVE_BYTES`.
 * A page being left can send them at once: a browser lets a keepalive request started in the
 * `pagehide` handler (or a microtask of it) outlive the page, but not one started after an
 * IndexedDB read, which needs another task. They stay in the store too; the keys of those the
 * collector answered are remembered so the store's copies are removed without a second send.
 */
export class PageExitBuffer {
  private readonly waiting = new Map<string, { item: BatchItem; bytes: number }>();
  private bytes = 0;
  /** Items sent by a keepalive request whose answer has not come. */
  private readonly inFlight = new Map<string, { item: BatchItem; bytes: number }>();
  /** Keys the collector answered for a keepalive request, whose store copies remain. */
  private readonly answered = new Set<string>();

  add(item: BatchItem, bytes: number): void {
    this.waiting.set(item.idempotencyKey, { item, bytes });
    this.bytes += bytes;
    for (const [key, w] of this.waiting) {
      if (this.bytes <= KEEPALIVE_BYTES) break;
      this.waiting.delete(key);
      this.bytes -= w.bytes;
    }
  }

  /** Takes what waits, to send now with keepalive. */
  take(): BatchItem[] {
    for (const [key, w] of this.waiting) this.inFlight.set(key, w);
    const items = [...this.waiting.values()].map((w) => w.item);
    this.waiting.clear();
    this.bytes = 0;
    return items;
  }

  /** The keepalive answer for `key` came: true when the outbox should report it (the store pass has not). */
  answer(key: string): boolean {
    if (!this.inFlight.delete(key)) return false;
    this.answered.add(key);
    return true;
  }

  /** The keepalive request failed: its items wait here again (they never left the store). */
  giveBack(items: readonly BatchItem[]): void {
    for (const i of items) {
      const w = this.inFlight.get(i.idempotencyKey);
      if (!w) continue;
      this.inFlight.delete(i.idempotencyKey);
      this.add(w.item, w.bytes);
    }
  }

  /** The store pass settled `key`: forget it everywhere. */
  settled(key: string): void {
    const w = this.waiting.get(key);
    if (w) {
      this.waiting.delete(key);
      this.bytes -= w.bytes;
    }
    this.inFlight.delete(key);
  }

  /** Whether a keepalive answer already settled `key`; forgets it, as its store copy is being removed. */
  consumeAnswered(key: string): boolean {
    return this.answered.delete(key);
  }
}
