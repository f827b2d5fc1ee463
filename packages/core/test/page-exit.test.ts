import { describe, expect, it } from "vitest";
import { KEEPALIVE_BYTES, pageExitBuffer } from "../src/delivery/page-exit.js";
import type { BatchItem } from "../src/index.js";

const item = (key: string): BatchItem => ({ type: "feedback", idempotencyKey: key, data: {} });
const keys = (items: readonly BatchItem[]) => items.map((i) => i.idempotencyKey);

describe("pageExitBuffer", () => {
  it("keeps the newest items that fit one keepalive request, dropping the oldest", () => {
    const b = pageExitBuffer();
    const third = Math.floor(KEEPALIVE_BYTES / 3);
    for (const k of ["a", "b", "c", "d"]) b.add_(item(k), third);
    expect(keys(b.take_())).toEqual(["b", "c", "d"]);
    expect(b.take_()).toEqual([]);
  });

  it("counts a key enqueued again once, as the newest", () => {
    const b = pageExitBuffer();
    const half = KEEPALIVE_BYTES / 2;
    b.add_(item("a"), half);
    b.add_(item("b"), half);
    b.add_(item("a"), half);
    expect(keys(b.take_())).toEqual(["b", "a"]);
  });

  it("reports a keepalive answer once, and lets the store pass skip its copy once", () => {
    const b = pageExitBuffer();
    b.add_(item("a"), 10);
    b.take_();
    expect(b.answer_("a")).toBe(true);
    expect(b.answer_("a")).toBe(false);
    expect(b.consumeAnswered_("a")).toBe(true);
    expect(b.consumeAnswered_("a")).toBe(false);
  });

  it("takes back what a failed keepalive request carried, and forgets what the store pass settled", () => {
    const b = pageExitBuffer();
    b.add_(item("a"), 10);
    b.add_(item("b"), 10);
    const sent = b.take_();
    b.giveBack_(sent);
    expect(b.answer_("a")).toBe(false); // no longer in flight
    b.settled_("a");
    expect(keys(b.take_())).toEqual(["b"]);
    b.settled_("b");
    expect(b.answer_("b")).toBe(false);
  });
});
