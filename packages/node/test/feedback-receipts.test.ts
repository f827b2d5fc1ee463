import { describe, expect, it } from "vitest";
import { feedbackReceipts } from "../src/client/feedback-receipts.js";

const receipt = (id: string) => ({ id, idempotencyKey: `feedback:${id}` });

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("feedbackReceipts", () => {
  it("answers each capture sharing a store promise with its own receipt, in order", async () => {
    const receipts = feedbackReceipts();
    const store = deferred();
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    const promises = ids.map((id) => receipts(store.promise, id));
    expect(new Set(promises).size).toBe(50); // one promise per capture
    store.resolve();
    expect(await Promise.all(promises)).toEqual(ids.map(receipt));
  });

  it("keeps groups apart when a later store promise settles first", async () => {
    const receipts = feedbackReceipts();
    const [a, b] = [deferred(), deferred()];
    const first = ["a0", "a1", "a2"].map((id) => receipts(a.promise, id));
    const second = ["b0", "b1"].map((id) => receipts(b.promise, id));
    b.resolve();
    expect(await Promise.all(second)).toEqual(["b0", "b1"].map(receipt));
    a.resolve();
    expect(await Promise.all(first)).toEqual(["a0", "a1", "a2"].map(receipt));
  });

  it("serves bursts on one settled promise (the memory store's), burst after burst", async () => {
    const receipts = feedbackReceipts();
    const settled = Promise.resolve();
    for (let burst = 0; burst < 3; burst++) {
      const ids = Array.from({ length: 10 }, (_, i) => `${burst}-${i}`);
      expect(await Promise.all(ids.map((id) => receipts(settled, id)))).toEqual(ids.map(receipt));
    }
    // A capture while an earlier one on the same promise still waits for its receipt.
    const early = receipts(settled, "x");
    const late = receipts(settled, "y");
    expect(await late).toEqual(receipt("y"));
    expect(await early).toEqual(receipt("x"));
  });

  it("rejects every capture of a group whose store promise rejects, and serves the next group", async () => {
    const receipts = feedbackReceipts();
    const failed = deferred();
    const lost = ["f0", "f1"].map((id) => receipts(failed.promise, id));
    failed.reject(new Error("disk full"));
    for (const p of lost) await expect(p).rejects.toThrow("disk full");
    const next = deferred();
    const kept = receipts(next.promise, "n0");
    next.resolve();
    expect(await kept).toEqual(receipt("n0"));
  });
});
