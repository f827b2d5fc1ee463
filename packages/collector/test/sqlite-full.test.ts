// A collector whose SQLite database fills up: writes are answered 503 `store_full` (the batch
// kept by its client, never one item rejected for good), reads keep working, and writes succeed
// again once space is freed — with no restart. The file is capped with `maxBytes`
// (max_page_count), which SQLite answers exactly as it answers a full disk (SQLITE_FULL).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "@closeloop/core";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteStore } from "../src/store/index.js";
import { batch, feedbackPolicy, type Running, startCollector } from "./collector-harness.js";

const MAX_BYTES = 4 * 1024 * 1024;

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const feedback = (n: number) =>
  Array.from({ length: 50 }, (_, i) => ({
    type: "feedback",
    data: { id: uuidv7(), channel: "support", text: `Disk test ${n}-${i} ${"x".repeat(400)}` },
  }));

describe("a full SQLite database", () => {
  it("answers writes 503 store_full with Retry-After, keeps reads working, and recovers once space is freed", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "closeloop-full-")), "closeloop.db");
    const c = await startCollector({
      path,
      store: sqliteStore(path, { maxBytes: MAX_BYTES }),
      onError: () => undefined,
    });
    running = c;
    expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(200);
    // Ballast written beside the collector, as other files fill a disk: most of the cap.
    const side = new Database(path);
    side.exec("CREATE TABLE ballast (b BLOB)");
    const insert = side.prepare("INSERT INTO ballast VALUES (zeroblob(65536))");
    for (let i = 0; i < 44; i++) insert.run();

    const acknowledged: string[] = [];
    let refused: Awaited<ReturnType<Running["call"]>> | undefined;
    let refusedBody: unknown;
    for (let n = 0; n < 200 && !refused; n++) {
      const body = batch(...feedback(n));
      const res = await c.call("POST", "/v1/batch", c.pk, body);
      if (res.status === 200) {
        expect(res.body.rejected).toStrictEqual([]);
        acknowledged.push(...res.body.accepted.map((a: { id: string }) => a.id));
      } else {
        refused = res;
        refusedBody = body;
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.error.code).toBe("store_full");
    expect(refused?.headers.get("retry-after")).toBe("30");
    expect(acknowledged.length).toBeGreaterThan(0);

    // Reads still work, and what was acknowledged is there.
    expect((await c.call("GET", "/healthz", undefined)).status).toBe(200);
    const loops = await c.call("GET", "/v1/loops?limit=1", c.sk);
    expect(loops.status).toBe(200);
    expect((await c.call("GET", "/v1/surveys", c.pk)).status).toBe(200);
    const stored = new Set(
      (side.prepare("SELECT id FROM feedback").all() as { id: string }[]).map((r) => r.id),
    );
    expect(acknowledged.filter((id) => !stored.has(id))).toStrictEqual([]);
    // It stays refused while the disk is full: the store is not left in a broken state.
    const second = await c.call("POST", "/v1/batch", c.pk, batch(...feedback(1_000)));
    expect([second.status, second.body?.error?.code]).toStrictEqual([503, "store_full"]);

    // Space comes back: the refused batch, sent again as a client would, is stored.
    side.exec("DROP TABLE ballast");
    side.close();
    const again = await c.call("POST", "/v1/batch", c.pk, refusedBody);
    expect(again.status).toBe(200);
    expect(again.body.accepted).toHaveLength(50);
    expect(again.body.accepted.every((a: { duplicate: boolean }) => !a.duplicate)).toBe(true);
  });
});
