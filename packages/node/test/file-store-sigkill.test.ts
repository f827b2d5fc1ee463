// A real process appending with a durable policy is SIGKILLed mid-stream: every key whose
// `append` had resolved is in the log when the directory is reopened, in order, once.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fileQueueStore } from "../src/index.js";
import { bundleForNode } from "./bundle.js";
import { tempDir } from "./helpers.js";

let childJs = "";
beforeAll(async () => {
  childJs = join(tempDir(), "file-store-child.mjs");
  await bundleForNode(join(import.meta.dirname, "fixtures/file-store-child.ts"), childJs);
});

describe.each(["always", "batch"] as const)(
  "file store, fsync %s, SIGKILLed mid-stream",
  (fsync) => {
    it("keeps every append that had resolved, in order, none twice", async () => {
      const dir = join(tempDir(), "q");
      const child = spawn(process.execPath, [childJs, dir, fsync], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const printed: string[] = [];
      let rest = "";
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString("utf8")).split("\n");
        rest = lines.pop() ?? ""; // a line cut by the kill was not acknowledged: not counted
        printed.push(...lines);
      });
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      const t0 = Date.now();
      while (printed.length < 3_000 && Date.now() - t0 < 30_000)
        await new Promise((r) => setTimeout(r, 5));
      child.kill("SIGKILL");
      await exited;
      const acked = [...printed];

      // The dead child's lock is stale: this process takes it over.
      const store = await fileQueueStore({ dir, fsync, maxBytes: 256 * 1024 * 1024 });
      const found = (await store.peek({ maxItems: 1e7, maxBytes: 1 << 30 })).map(
        (s) => s.item.idempotencyKey,
      );
      await store.close();
      const have = new Set(found);
      const missing = acked.filter((k) => !have.has(k));
      console.log(
        `fsync ${fsync}: ${acked.length} appends resolved before SIGKILL, ${found.length} in the log after, ${missing.length} missing, ${found.length - have.size} duplicated`,
      );
      expect(acked.length).toBeGreaterThan(100);
      expect(missing).toEqual([]);
      expect(have.size).toBe(found.length);
      // Keys were appended k-0, k-1, …: the log holds an unbroken prefix of them, in order.
      expect(found).toEqual(found.map((_, i) => `k-${i}`));
    }, 60_000);
  },
);
