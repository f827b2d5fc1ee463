// Fault test: 10,000 items delivered over real loopback HTTP while the collector is SIGKILLed
// and restarted five times. Counts every item end to end.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpTransport, createOutbox, memoryQueueStore } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import { freePort, kill, startSink } from "./sink.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("delivery while the collector is killed and restarted", () => {
  it("delivers 10,000 distinct items through five SIGKILLs, duplicates only as replays of one key", async () => {
    const N = 10_000;
    const dir = mkdtempSync(join(tmpdir(), "closeloop-sink-"));
    const log = join(dir, "received.tsv");
    const port = await freePort();
    let sink = await startSink(port, log, 5);

    const outbox = createOutbox({
      store: memoryQueueStore(),
      transport: createHttpTransport({
        endpoint: `http://127.0.0.1:${port}`,
        key: "pk_test",
        timeoutMs: 2_000,
      }),
      batch: { maxItems: 50, intervalMs: 5 },
      retry: { baseMs: 20, maxMs: 250 },
    });
    let delivered = 0;
    let failed = 0;
    const dropped: unknown[] = [];
    outbox.bus.on("response:delivered", () => delivered++);
    outbox.bus.on("delivery:failed", () => failed++);
    outbox.bus.on("delivery:dropped", (e) => dropped.push(e));

    for (let n = 0; n < N; n++) {
      await outbox.enqueue({
        type: "feedback",
        idempotencyKey: `item-${n}`,
        data: { n, text: "x" },
      });
    }
    let kills = 0;
    try {
      while (kills < 5) {
        await sleep(120);
        await kill(sink);
        kills++;
        await sleep(80);
        sink = await startSink(port, log, 5);
      }
      const deadline = Date.now() + 60_000;
      while ((await outbox.pending()) > 0 && Date.now() < deadline) await outbox.flush();
    } finally {
      await outbox.close({ timeoutMs: 1_000 });
      await kill(sink);
    }

    const lines = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    const keys = new Set(lines.map(([key]) => key));
    const duplicates = lines.length - keys.size;
    // Each item number arrived under exactly one key: a retry never minted a new key.
    const keysByN = new Map<string, Set<string>>();
    for (const [key, , n] of lines)
      keysByN.set(n as string, (keysByN.get(n as string) ?? new Set()).add(key as string));
    console.log(
      `sink restarts: ${kills} kills, ${keys.size} distinct of ${N} sent, ${lines.length} arrivals, ${duplicates} duplicate arrivals, ${failed} failed sends, ${delivered} delivered events, ${dropped.length} dropped`,
    );
    expect(kills).toBe(5);
    expect(keys.size).toBe(N);
    for (let n = 0; n < N; n++) expect(keys.has(`item-${n}`)).toBe(true);
    expect([...keysByN.values()].every((s) => s.size === 1)).toBe(true);
    expect(lines.filter((l) => l[3] === "dup").length).toBe(duplicates);
    expect(dropped).toEqual([]);
    expect(delivered).toBe(N);
    expect(failed).toBeGreaterThan(0); // the kills really hit deliveries in flight
  }, 120_000);
});
