// `fsync: "always" | "batch"` resolve an append only once its fsync has completed. A SIGKILL test
// cannot show this (the page cache outlives the process), so fs's fsync is held here: until its
// callback runs, no append written under it may resolve.
import type * as fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { item } from "../../core/test/queue-store-conformance.js";

/** The fsyncs the store has started and not yet been told are done. */
const held: { fd: number; done: (err: NodeJS.ErrnoException | null) => void }[] = [];
let fsyncCalls = 0;

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    fsync: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => {
      fsyncCalls++;
      // Really synced, but reported only when the test lets it be.
      real.fsync(fd, (err) => held.push({ fd, done: (injected) => done(injected ?? err) }));
    },
  };
});

const { fileQueueStore } = await import("../src/index.js");
const { BATCH_MAX_BYTES, BATCH_MAX_ITEMS } = await import("../src/outbox/file-store.js");
const { ITEM_OVERHEAD } = await import("../src/outbox/record.js");
const { diskBytes, tempDir } = await import("./helpers.js");

/** Resolves once `n` fsyncs are held (the real fsync has run and reported). */
async function heldFsyncs(n: number): Promise<void> {
  await vi.waitFor(() => expect(held.length).toBeGreaterThanOrEqual(n), { timeout: 5000 });
}

afterEach(() => {
  for (const h of held.splice(0)) h.done(null);
  fsyncCalls = 0;
});

describe.each(["always", "batch"] as const)("fsync: %s", (fsync) => {
  it("resolves an append only after its fsync has completed", async () => {
    const store = await fileQueueStore({
      dir: tempDir(),
      fsync,
      maxBytes: 1 << 20,
      batchIntervalMs: 2,
    });
    let resolved = false;
    const append = store.append(item(1), Date.now()).then(() => {
      resolved = true;
    });
    await heldFsyncs(1);
    // Written and synced by the OS, but the fsync's completion not yet delivered: not durable yet.
    await new Promise((r) => setTimeout(r, 30));
    expect(resolved).toBe(false);
    held.shift()?.done(null);
    await append;
    expect(resolved).toBe(true);
    await store.close();
  });

  it("rejects the appends of a failed fsync", async () => {
    const store = await fileQueueStore({
      dir: tempDir(),
      fsync,
      maxBytes: 1 << 20,
      batchIntervalMs: 2,
    });
    const append = store.append(item(2), Date.now());
    await heldFsyncs(1);
    const eio = Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
    held.shift()?.done(eio);
    await expect(append).rejects.toThrow("EIO");
    await store.close();
  });
});

describe.each(["always", "batch"] as const)("fsync: %s, a synchronous burst", (fsync) => {
  it("is written as it goes, never more than one group unwritten, and resolves only after its fsyncs", async () => {
    const dir = tempDir();
    const store = await fileQueueStore({ dir, fsync, maxBytes: 1 << 30, batchIntervalMs: 2 });
    const onOpen = diskBytes(dir);
    let appended = 0; // bytes of the records appended so far
    let mostUnwritten = 0;
    let resolved = 0;
    const appends: Promise<void>[] = [];
    // One synchronous run, as a loop of captures is: no timer or microtask runs inside it.
    for (let i = 0; i < 5_000; i++) {
      const it = item(i);
      appends.push(store.append(it, i).then(() => void resolved++));
      appended += ITEM_OVERHEAD + Buffer.byteLength(JSON.stringify(it));
      mostUnwritten = Math.max(mostUnwritten, onOpen + appended - diskBytes(dir));
    }
    const record = ITEM_OVERHEAD + Buffer.byteLength(JSON.stringify(item(4_999)));
    // Were appends held until the run ended, 5,000 records would wait in memory here.
    expect(mostUnwritten).toBeGreaterThan(0);
    expect(mostUnwritten).toBeLessThanOrEqual(Math.min(BATCH_MAX_ITEMS * record, BATCH_MAX_BYTES));
    // Written is not durable: nothing resolves while the fsyncs are held.
    await heldFsyncs(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(resolved).toBe(0);
    while (resolved < appends.length) {
      await heldFsyncs(1);
      for (const h of held.splice(0)) h.done(null);
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(appends);
    expect(await store.count()).toBe(5_000);
    await store.close();
  });
});

describe("fsync: never", () => {
  it("resolves an append once written, without an fsync", async () => {
    const store = await fileQueueStore({ dir: tempDir(), fsync: "never", maxBytes: 1 << 20 });
    await store.append(item(3), Date.now());
    expect(fsyncCalls).toBe(0);
    await store.close();
  });
});
