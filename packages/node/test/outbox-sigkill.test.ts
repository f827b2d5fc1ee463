// Fault test: a process enqueueing through the file store is SIGKILLed mid-stream; a new
// process on the same directory delivers every item whose `enqueue` had resolved.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleForNode } from "./bundle.js";
import { freePort, kill, startSink } from "./sink.js";

let childJs = "";
beforeAll(async () => {
  childJs = join(mkdtempSync(join(tmpdir(), "closeloop-child-")), "outbox-child.mjs");
  await bundleForNode(join(import.meta.dirname, "fixtures/outbox-child.ts"), childJs);
});

function runChild(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<void> } {
  const child = spawn(process.execPath, [childJs, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let rest = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop() ?? ""; // a line cut by the kill was never acknowledged: not counted
    lines.push(...parts);
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return { child, lines, exited };
}

describe.each(["always", "batch"] as const)(
  "file outbox, fsync %s, SIGKILLed mid-stream",
  (fsync) => {
    it("delivers every item enqueue had resolved, after a restart on the same directory", async () => {
      const dir = mkdtempSync(join(tmpdir(), "closeloop-outbox-"));
      const log = join(dir, "sink.tsv");
      const port = await freePort();
      const endpoint = `http://127.0.0.1:${port}`;
      // The collector is down while the writer runs, so every item is still in the store when
      // the writer dies; then it comes up and a new process drains the directory.
      const writer = runChild(["write", join(dir, "q"), endpoint, fsync]);
      const t0 = Date.now();
      while (writer.lines.length < 5_000 && Date.now() - t0 < 30_000) {
        await new Promise((r) => setTimeout(r, 10));
      }
      writer.child.kill("SIGKILL");
      await writer.exited;
      const acked = writer.lines.map(Number);
      const sink = await startSink(port, log);
      try {
        const drainer = runChild(["drain", join(dir, "q"), endpoint, fsync]);
        await drainer.exited;
        const arrivals = readFileSync(log, "utf8").trim().split("\n");
        const got = new Set(arrivals.map((l) => Number(l.split("\t")[2])));
        const missing = acked.filter((n) => !got.has(n));
        console.log(
          `fsync ${fsync}: ${acked.length} enqueues resolved before SIGKILL; after restart ${got.size} distinct items delivered (${arrivals.length} arrivals), ${missing.length} missing; drain: "${drainer.lines.join(" ")}"`,
        );
        expect(acked.length).toBeGreaterThanOrEqual(5_000);
        expect(new Set(acked).size).toBe(acked.length);
        expect(missing).toEqual([]);
        // Nothing arrives that was never enqueued, and nothing twice.
        expect(arrivals.length).toBe(got.size);
        expect(Math.max(...got)).toBeLessThan(Math.max(...acked) + 200);
        expect(drainer.lines).toEqual(["remaining 0"]);
      } finally {
        await kill(sink);
      }
    }, 90_000);
  },
);

describe("drainOnSignal", () => {
  it("delivers what waits on SIGTERM, then dies of SIGTERM as it would have", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closeloop-outbox-"));
    const log = join(dir, "sink.tsv");
    const port = await freePort();
    const sink = await startSink(port, log);
    try {
      const child = runChild(["sigterm", join(dir, "q"), `http://127.0.0.1:${port}`, "batch"]);
      await expect.poll(() => child.lines.includes("ready"), { timeout: 20_000 }).toBe(true);
      expect(existsSync(log)).toBe(false); // nothing sent yet: the batch timer is a minute away
      child.child.kill("SIGTERM");
      await child.exited;
      expect(child.child.signalCode).toBe("SIGTERM");
      expect(child.lines).toEqual(["ready", "drained SIGTERM 0"]);
      const got = new Set(
        readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => l.split("\t")[0]),
      );
      expect(got.size).toBe(500);
    } finally {
      await kill(sink);
    }
  }, 60_000);
});
