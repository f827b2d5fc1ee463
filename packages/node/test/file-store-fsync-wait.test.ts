// Under `fsync: "always"` and `"batch"`, an append resolves only after the fsync that covers
// it has completed. A SIGKILL test cannot show this (the page cache outlives the process), so a
// spy on node:fs holds each fsync's completion until the test releases it, and the test watches
// whether the append resolved meanwhile.
import { afterEach, describe, expect, it, vi } from "vitest";
import { item } from "../../core/test/queue-store-conformance.js";
import { type FsyncPolicy, fileQueueStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

/** fsync calls made while holding, each waiting for `release()`. */
const held: { release: () => void }[] = [];
let holding = false;
let fsyncCalls = 0;

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const fsync = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => {
    fsyncCalls++;
    if (!holding) return fs.fsync(fd, done);
    // The fsync itself runs now; only its completion waits, as a slow disk's would.
    fs.fsync(fd, (err) => {
      held.push({ release: () => done(err) });
    });
  };
  return { ...fs, default: { ...fs, fsync }, fsync };
});

afterEach(() => {
  holding = false;
  for (const h of held.splice(0)) h.release();
});

const settledSoon = async (p: Promise<unknown>) => {
  let settled = false;
  void p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  // Long past a batch's 5 ms gathering and a loopback disk's fsync.
  await new Promise((r) => setTimeout(r, 100));
  return settled;
};

describe("fileQueueStore waits for its fsync", () => {
  for (const policy of ["always", "batch"] as const satisfies readonly FsyncPolicy[]) {
    it(`with fsync: "${policy}", an append resolves only once its fsync has completed`, async () => {
      const store = await fileQueueStore({ dir: tempDir(), fsync: policy, maxBytes: 1 << 20 });
      try {
        holding = true;
        const before = fsyncCalls;
        const appended = store.append(item(1), Date.now());
        await expect.poll(() => held.length, { timeout: 5_000 }).toBe(1);
        expect(fsyncCalls).toBe(before + 1);
        expect(await settledSoon(appended)).toBe(false);
        holding = false;
        (held.shift() as { release: () => void }).release();
        await appended;
      } finally {
        await store.close();
      }
    });
  }

  it('with fsync: "never", an append resolves without waiting for any fsync', async () => {
    const store = await fileQueueStore({ dir: tempDir(), fsync: "never", maxBytes: 1 << 20 });
    try {
      holding = true;
      const before = fsyncCalls;
      await store.append(item(1), Date.now());
      expect(fsyncCalls).toBe(before);
    } finally {
      holding = false;
      await store.close();
    }
  });
});
