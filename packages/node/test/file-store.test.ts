import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { item } from "../../core/test/queue-store-conformance.js";
import {
  type FileQueueStoreOptions,
  type FsyncPolicy,
  fileQueueStore,
  QueueClosedError,
  QueueFullError,
  QueueLockedError,
  ValidationError,
} from "../src/index.js";
import { diskBytes, segmentFiles, tempDir } from "./helpers.js";

const KB = 1024;

async function all(store: {
  peek: (l: {
    maxItems: number;
    maxBytes: number;
  }) => Promise<{ seq: number; item: { idempotencyKey: string } }[]>;
}) {
  return store.peek({ maxItems: 1e6, maxBytes: 1 << 30 });
}

describe("fileQueueStore options", () => {
  it("names every bad option in one ValidationError", async () => {
    const bad = { dir: "", fsync: "sometimes", maxBytes: 0 } as unknown as FileQueueStoreOptions;
    const e = await fileQueueStore(bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).code).toBe("validation_failed");
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual(["dir", "fsync", "maxBytes"]);
    const missing = await fileQueueStore({} as FileQueueStoreOptions).catch((x: unknown) => x);
    expect((missing as ValidationError).issues.map((i) => i.path)).toEqual([
      "dir",
      "fsync",
      "maxBytes",
    ]);
    const neg = { dir: tempDir(), fsync: "never", maxBytes: -5 } as const;
    await expect(fileQueueStore(neg)).rejects.toThrow(/maxBytes/);
  });
});

describe("fsync policies", () => {
  for (const fsync of ["always", "batch", "never"] as FsyncPolicy[]) {
    it(`round-trips appends made together and one by one (${fsync})`, async () => {
      const dir = tempDir();
      const store = await fileQueueStore({ dir, fsync, maxBytes: 1 << 20, batchIntervalMs: 2 });
      await Promise.all(Array.from({ length: 300 }, (_, i) => store.append(item(i), i)));
      for (let i = 300; i < 320; i++) await store.append(item(i), i);
      expect(await store.count()).toBe(320);
      await store.close();
      const again = await fileQueueStore({ dir, fsync, maxBytes: 1 << 20 });
      const got = await all(again);
      expect(got.map((s) => s.item.idempotencyKey)).toEqual(
        Array.from({ length: 320 }, (_, i) => `k-${i}`),
      );
      await again.close();
    });
  }

  it("writes an item from the outbox's JSON of its data and reads it back the same", async () => {
    const dir = tempDir();
    const store = await fileQueueStore({ dir, fsync: "batch", maxBytes: 1 << 20 });
    const a = item(1);
    const b = { ...item(2), idempotencyKey: 'k-"quoted"\\' };
    await store.append(a, 1, JSON.stringify(a.data));
    await store.append(b, 2, JSON.stringify(b.data));
    await store.close();
    const again = await fileQueueStore({ dir, fsync: "batch", maxBytes: 1 << 20 });
    expect((await all(again)).map((s) => s.item)).toEqual([a, b]);
    await again.close();
  });

  it("close writes appends that were still gathering for their batch", async () => {
    const dir = tempDir();
    const store = await fileQueueStore({
      dir,
      fsync: "batch",
      maxBytes: 1 << 20,
      batchIntervalMs: 60_000,
    });
    const appended = store.append(item(1), 1);
    await store.close();
    await appended;
    const again = await fileQueueStore({ dir, fsync: "batch", maxBytes: 1 << 20 });
    expect(await again.count()).toBe(1);
    await again.close();
  });
});

describe("compaction", () => {
  it("deletes segments once delivered and keeps the rest, across a reopen", async () => {
    const dir = tempDir();
    const opts = { dir, fsync: "never", maxBytes: 1 << 20, segmentBytes: 2 * KB } as const;
    const store = await fileQueueStore(opts);
    for (let i = 0; i < 200; i++) await store.append(item(i, 50), i);
    const before = segmentFiles(dir).map((f) => f.path);
    const full = diskBytes(dir);
    expect(before.length).toBeGreaterThan(5);
    const head = await store.peek({ maxItems: 150, maxBytes: 1 << 20 });
    await store.remove(head.map((s) => s.seq));
    const after = segmentFiles(dir).map((f) => f.path);
    expect(after.length).toBeLessThan(before.length / 2);
    // Deleted whole, nothing copied: what is left are the newest of the same files.
    expect(after).toEqual(before.slice(before.length - after.length));
    expect(diskBytes(dir)).toBeLessThan(full / 2);
    await store.close();
    const again = await fileQueueStore(opts);
    expect((await all(again)).map((s) => s.item.idempotencyKey)).toEqual(
      Array.from({ length: 50 }, (_, i) => `k-${150 + i}`),
    );
    await again.close();
  });

  it("bounds the files when an old item stays behind, by a snapshot that keeps every waiting item", async () => {
    const dir = tempDir();
    const opts = { dir, fsync: "never", maxBytes: 1 << 20, segmentBytes: 2 * KB } as const;
    const store = await fileQueueStore(opts);
    await store.append(item(0), 0); // never delivered: it pins the first segment
    let peak = 0;
    let written = 0;
    const kept = ["k-0"];
    for (let round = 0; round < 200; round++) {
      const added: number[] = [];
      for (let i = 0; i < 10; i++, written++) {
        await store.append(item(written + 1, 30), round);
        added.push(written + 1);
      }
      const fresh = (await all(store)).slice(-10);
      // Every 20th round one item stays behind too.
      const stay = round % 20 === 0 ? 1 : 0;
      await store.remove(fresh.slice(stay).map((s) => s.seq));
      if (stay) kept.push(`k-${added[0]}`);
      peak = Math.max(peak, diskBytes(dir));
    }
    const waiting = (await all(store)).map((s) => s.item.idempotencyKey);
    expect(waiting).toEqual(kept);
    // Without compaction the log would hold all 2,000 records (~250 KB); the pinned first
    // segment is gone, replaced by a snapshot.
    expect(written * 120).toBeGreaterThan(200 * KB);
    expect(peak).toBeLessThan(16 * KB);
    expect(segmentFiles(dir)[0]?.path).not.toMatch(/0000000000000001\.log$/);
    await store.close();
    const again = await fileQueueStore(opts);
    const after = await all(again);
    expect(after.map((s) => s.item.idempotencyKey)).toEqual(waiting);
    await again.append(item(5000), 5000);
    const seqs = (await all(again)).map((s) => s.seq);
    expect(seqs[seqs.length - 1]).toBeGreaterThan(seqs[seqs.length - 2] as number);
    await again.close();
  });

  it("a snapshot supersedes older segments that a crash left behind", async () => {
    const dir = tempDir();
    const opts = { dir, fsync: "never", maxBytes: 1 << 20, segmentBytes: 1 * KB } as const;
    const store = await fileQueueStore(opts);
    await store.append(item(0), 0);
    let saved = new Map<string, Buffer>();
    for (let n = 1; ; n += 5) {
      for (let i = n; i < n + 5; i++) await store.append(item(i, 30), i);
      const fresh = (await all(store)).slice(1);
      await store.remove(fresh.slice(0, -1).map((x) => x.seq)); // one of every five stays
      const now = segmentFiles(dir).map((f) => f.path);
      const gone = [...saved.keys()].filter((p) => !now.includes(p));
      if (now[0] !== [...saved.keys()][0] && gone.length > 1) {
        // The snapshot replaced them: put them back, as if their deletion never reached the disk.
        for (const p of gone) writeFileSync(p, saved.get(p) as Buffer);
        break;
      }
      saved = new Map(now.map((p) => [p, readFileSync(p)]));
      expect(n).toBeLessThan(2000);
    }
    const waiting = (await all(store)).map((x) => x.item.idempotencyKey);
    await store.close();
    const again = await fileQueueStore(opts);
    expect((await all(again)).map((x) => x.item.idempotencyKey)).toEqual(waiting);
    expect(segmentFiles(dir)).toHaveLength(1);
    await again.close();
  });

  it("never reuses a seq, even after every segment was compacted away", async () => {
    const dir = tempDir();
    const opts = { dir, fsync: "never", maxBytes: 1 << 20, segmentBytes: 512 } as const;
    const store = await fileQueueStore(opts);
    for (let i = 0; i < 30; i++) await store.append(item(i, 40), i);
    const got = await all(store);
    await store.remove(got.map((s) => s.seq));
    await store.close();
    const again = await fileQueueStore(opts);
    await again.append(item(30), 30);
    const [s] = await all(again);
    expect(s?.seq).toBeGreaterThan(got.at(-1)?.seq ?? Number.POSITIVE_INFINITY);
    await again.close();
  });
});

describe("maxBytes", () => {
  it("rejects an append that would pass maxBytes with QueueFullError, and accepts again once delivered", async () => {
    const dir = tempDir();
    const store = await fileQueueStore({ dir, fsync: "never", maxBytes: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => store.append(item(i), i)),
    );
    const accepted = results.filter((r) => r.status === "fulfilled").length;
    const refused = results
      .filter((r) => r.status === "rejected")
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(accepted).toBeGreaterThan(5);
    expect(refused.length).toBe(30 - accepted);
    expect(refused[0]).toBeInstanceOf(QueueFullError);
    expect(refused[0].code).toBe("queue_full");
    expect(refused[0].message).toContain(dir);
    expect(refused[0].message).toContain("1000");
    // Accepted items are a prefix: nothing after a refusal slipped in.
    expect(results.slice(0, accepted).every((r) => r.status === "fulfilled")).toBe(true);
    expect(await store.count()).toBe(accepted);
    await expect(store.append(item(99), 99)).rejects.toBeInstanceOf(QueueFullError);
    const head = await store.peek({ maxItems: 3, maxBytes: 1 << 20 });
    await store.remove(head.map((s) => s.seq));
    await store.append(item(100), 100);
    expect(await store.count()).toBe(accepted - 2);
    await store.close();
  });
});

function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  return new Promise((r) => child.once("exit", () => r(child.pid as number)));
}

describe("lock", () => {
  it("refuses a second store on the same directory until the first is closed", async () => {
    const dir = tempDir();
    const a = await fileQueueStore({ dir, fsync: "never", maxBytes: 1 << 20 });
    const e = await fileQueueStore({ dir, fsync: "never", maxBytes: 1 << 20 }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(QueueLockedError);
    expect((e as QueueLockedError).code).toBe("queue_locked");
    expect((e as QueueLockedError).message).toContain(dir);
    await a.append(item(1), 1);
    await Promise.all([a.close(), a.close()]); // both wait for the release
    await expect(a.append(item(2), 2)).rejects.toBeInstanceOf(QueueClosedError);
    const b = await fileQueueStore({ dir, fsync: "never", maxBytes: 1 << 20 });
    expect(await b.count()).toBe(1);
    await b.close();
  });

  it("refuses a directory whose lock names a live process", async () => {
    const dir = tempDir();
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      writeFileSync(
        join(dir, "lock"),
        JSON.stringify({ pid: sleeper.pid, host: hostname(), token: "x" }),
      );
      const e = await fileQueueStore({ dir, fsync: "never", maxBytes: 1 << 20 }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(QueueLockedError);
      expect((e as QueueLockedError).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill("SIGKILL");
    }
  });

  it("takes over a stale lock: a dead pid, or a lock file that is unreadable", async () => {
    for (const content of [null, "garbage{"]) {
      const dir = tempDir();
      const pid = await deadPid();
      writeFileSync(
        join(dir, "lock"),
        content ?? JSON.stringify({ pid, host: hostname(), token: "x" }),
      );
      const store = await fileQueueStore({ dir, fsync: "never", maxBytes: 1 << 20 });
      expect(JSON.parse(readFileSync(join(dir, "lock"), "utf8")).pid).toBe(process.pid);
      await store.close();
      expect(() => readFileSync(join(dir, "lock"))).toThrow(/ENOENT/);
    }
  });
});
