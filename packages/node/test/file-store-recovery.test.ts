// Torn and corrupt tails: whatever happened to the end of the log, reopening yields exactly the
// intact prefix, truncates the rest, and later appends follow intact data.
import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { item } from "../../core/test/queue-store-conformance.js";
import { fileQueueStore } from "../src/index.js";
import { segmentFiles, tempDir } from "./helpers.js";

const open = (dir: string, segmentBytes?: number) =>
  fileQueueStore({
    dir,
    fsync: "never",
    maxBytes: 1 << 24,
    ...(segmentBytes ? { segmentBytes } : {}),
  });

/** Writes `n` items into a fresh log; returns its file and where each record ends ([0] = header). */
async function writeLog(
  n: number,
  pad: number,
): Promise<{ dir: string; file: string; ends: number[] }> {
  const dir = tempDir();
  const store = await open(dir);
  const file = (segmentFiles(dir)[0] as { path: string }).path;
  const ends = [statSync(file).size];
  for (let i = 0; i < n; i++) {
    await store.append(item(i, pad * i), i);
    ends.push(statSync(file).size);
  }
  await store.close();
  return { dir, file, ends };
}

async function keys(dir: string): Promise<string[]> {
  const store = await open(dir);
  const all = await store.peek({ maxItems: 1e6, maxBytes: 1 << 30 });
  await store.close();
  return all.map((s) => s.item.idempotencyKey);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => `k-${i}`);

/** After recovery the log takes new appends after the intact prefix, and keeps them. */
async function appendsAfter(dir: string, expected: string[]): Promise<void> {
  const store = await open(dir);
  await store.append(item(999), 999);
  await store.close();
  expect(await keys(dir)).toEqual([...expected, "k-999"]);
}

describe("file store recovery", () => {
  it("keeps exactly the records wholly before a random truncation point (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        async (n, pad, at) => {
          const { dir, file, ends } = await writeLog(n, pad);
          const cut = Math.floor(at * (ends[n] as number));
          truncateSync(file, cut);
          const intact = ends.slice(1).filter((e) => e <= cut).length;
          expect(await keys(dir)).toEqual(range(intact));
          if (cut >= (ends[0] as number)) expect(statSync(file).size).toBe(ends[intact]);
          await appendsAfter(dir, range(intact));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("drops random garbage appended after the last record (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        async (n, garbage) => {
          const { dir, file, ends } = await writeLog(n, 3);
          appendFileSync(file, garbage);
          expect(await keys(dir)).toEqual(range(n));
          expect(statSync(file).size).toBe(ends[n]);
          await appendsAfter(dir, range(n));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("drops the last record when any byte of it is flipped (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 1, max: 255 }),
        async (n, at, mask) => {
          const { dir, file, ends } = await writeLog(n, 5);
          const from = ends[n - 1] as number;
          const pos = from + Math.floor(at * ((ends[n] as number) - from));
          const bytes = readFileSync(file);
          bytes[pos] = (bytes[pos] as number) ^ mask;
          writeFileSync(file, bytes);
          expect(await keys(dir)).toEqual(range(n - 1));
          expect(statSync(file).size).toBe(from);
          await appendsAfter(dir, range(n - 1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads the segments after one with a corrupt record, and survives stray files", async () => {
    const dir = tempDir();
    const store = await open(dir, 512);
    for (let i = 0; i < 20; i++) await store.append(item(i, 40), i);
    await store.close();
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    const before = await keys(dir);
    expect(before).toEqual(range(20));

    // Flip a byte near the end of the first segment: its last record is lost, nothing else.
    const first = files[0] as { path: string; size: number };
    const fd = openSync(first.path, "r+");
    writeSync(fd, Buffer.from([0xff]), 0, 1, first.size - 3);
    closeSync(fd);
    // A segment-named file of garbage, an unfinished snapshot and an empty segment.
    writeFileSync(join(dir, "0000000000000099.log"), Buffer.from("not a queue segment at all"));
    writeFileSync(join(dir, "0000000000000100.log.tmp"), Buffer.from("half a snapshot"));
    writeFileSync(join(dir, "0000000000000101.log"), Buffer.alloc(0));

    const after = await keys(dir);
    expect(after.length).toBe(19);
    expect(before.filter((k) => !after.includes(k))).toHaveLength(1);
    expect(after).toEqual(before.filter((k) => after.includes(k)));
    expect(segmentFiles(dir).map((f) => f.path)).toEqual(files.map((f) => f.path));
  });
});
