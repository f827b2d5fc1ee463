// The contract every QueueStore keeps, run against each implementation (memory here; the file
// store in @closeloop/node; the browser stores in Chromium reuse the same cases).
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BatchItem, QueueStore } from "../src/index.js";

export interface StoreHarness {
  /** Opens a fresh, empty store. */
  open(): Promise<QueueStore>;
  /** Opens the same storage again after `close()`, when the store is durable. */
  reopen?: (closed: QueueStore) => Promise<QueueStore>;
}

export const item = (i: number, pad = 0): BatchItem => ({
  type: "feedback",
  idempotencyKey: `k-${i}`,
  data: { channel: "support", text: `item ${i}${"x".repeat(pad)}` },
});

async function drain(store: QueueStore): Promise<BatchItem[]> {
  const out: BatchItem[] = [];
  for (;;) {
    const batch = await store.peek({ maxItems: 7, maxBytes: 1 << 20 });
    if (batch.length === 0) return out;
    out.push(...batch.map((s) => s.item));
    await store.remove(batch.map((s) => s.seq));
  }
}

export function queueStoreConformance(name: string, h: StoreHarness): void {
  describe(`QueueStore conformance: ${name}`, () => {
    it("peeks the oldest items in order, without removing them", async () => {
      const store = await h.open();
      for (let i = 0; i < 5; i++) await store.append(item(i), 1000 + i);
      const a = await store.peek({ maxItems: 3, maxBytes: 1 << 20 });
      const b = await store.peek({ maxItems: 3, maxBytes: 1 << 20 });
      expect(a.map((s) => s.item.idempotencyKey)).toEqual(["k-0", "k-1", "k-2"]);
      expect(b).toEqual(a);
      expect(a.map((s) => s.enqueuedAt)).toEqual([1000, 1001, 1002]);
      expect(a[0]?.bytes).toBe(new TextEncoder().encode(JSON.stringify(item(0))).length);
      expect(a[1]?.seq).toBeGreaterThan(a[0]?.seq ?? Number.POSITIVE_INFINITY);
      expect(await store.count()).toBe(5);
      await store.close();
    });

    it("limits a peek by bytes, but always returns a single oversized first item", async () => {
      const store = await h.open();
      await store.append(item(0, 500), 1);
      await store.append(item(1), 2);
      await store.append(item(2), 3);
      const first = await store.peek({ maxItems: 10, maxBytes: 100 });
      expect(first.map((s) => s.item.idempotencyKey)).toEqual(["k-0"]);
      await store.remove(first.map((s) => s.seq));
      const rest = await store.peek({ maxItems: 10, maxBytes: 2 * (first[0]?.bytes ?? 0) });
      expect(rest.map((s) => s.item.idempotencyKey)).toEqual(["k-1", "k-2"]);
      const one = await store.peek({ maxItems: 10, maxBytes: (rest[0]?.bytes ?? 0) + 1 });
      expect(one).toHaveLength(1);
      await store.close();
    });

    it("removes by seq, from the head or from the middle, and ignores unknown seqs", async () => {
      const store = await h.open();
      for (let i = 0; i < 6; i++) await store.append(item(i), i);
      const all = await store.peek({ maxItems: 6, maxBytes: 1 << 20 });
      await store.remove([all[0]?.seq as number, all[3]?.seq as number, 999_999]);
      expect(await store.count()).toBe(4);
      expect((await drain(store)).map((i) => i.idempotencyKey)).toEqual([
        "k-1",
        "k-2",
        "k-4",
        "k-5",
      ]);
      expect(await store.count()).toBe(0);
      expect(await store.peek({ maxItems: 5, maxBytes: 1000 })).toEqual([]);
      await store.close();
    });

    it("keeps unicode items byte-exact", async () => {
      const store = await h.open();
      const text = "Désolé — 😞 ça rame \u0000 \u2028";
      await store.append({ type: "feedback", idempotencyKey: "u", data: { text } }, 1);
      const [s] = await store.peek({ maxItems: 1, maxBytes: 1 << 20 });
      expect(s?.item.data).toEqual({ text });
      expect(s?.bytes).toBe(new TextEncoder().encode(JSON.stringify(s?.item)).length);
      await store.close();
    });

    it("behaves as a FIFO under random appends and removals (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ op: fc.constant("append" as const), n: fc.integer({ min: 1, max: 5 }) }),
              fc.record({ op: fc.constant("take" as const), n: fc.integer({ min: 1, max: 5 }) }),
            ),
            { maxLength: 30 },
          ),
          async (ops) => {
            const store = await h.open();
            const model: string[] = [];
            let next = 0;
            for (const o of ops) {
              if (o.op === "append") {
                for (let i = 0; i < o.n; i++) {
                  await store.append(item(next), next);
                  model.push(`k-${next++}`);
                }
              } else {
                const got = await store.peek({ maxItems: o.n, maxBytes: 1 << 20 });
                expect(got.map((s) => s.item.idempotencyKey)).toEqual(model.slice(0, o.n));
                await store.remove(got.map((s) => s.seq));
                model.splice(0, got.length);
              }
              expect(await store.count()).toBe(model.length);
            }
            await store.close();
          },
        ),
        { numRuns: 25 },
      );
    });

    if (h.reopen) {
      const reopen = h.reopen;
      it("keeps waiting items, their order and seqs across close and reopen", async () => {
        const store = await h.open();
        for (let i = 0; i < 10; i++) await store.append(item(i), i);
        const head = await store.peek({ maxItems: 4, maxBytes: 1 << 20 });
        await store.remove(head.map((s) => s.seq));
        await store.close();
        const again = await reopen(store);
        expect(await again.count()).toBe(6);
        await again.append(item(10), 10);
        const rest = await again.peek({ maxItems: 100, maxBytes: 1 << 20 });
        expect(rest.map((s) => s.item.idempotencyKey)).toEqual([
          "k-4",
          "k-5",
          "k-6",
          "k-7",
          "k-8",
          "k-9",
          "k-10",
        ]);
        const seqs = rest.map((s) => s.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(seqs[0]).toBeGreaterThan(head.at(-1)?.seq ?? Number.POSITIVE_INFINITY);
        await again.close();
      });
    }
  });
}
