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
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";

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

/** Ballast written beside the collector, as other files fill a disk: most of the cap. */
function fillMostOf(path: string): Database.Database {
  const side = new Database(path);
  side.exec("CREATE TABLE ballast (b BLOB)");
  const insert = side.prepare("INSERT INTO ballast VALUES (zeroblob(65536))");
  for (let i = 0; i < 44; i++) insert.run();
  return side;
}

/** Sends batches until one is refused: the ids acknowledged before, the refusal and its body. */
async function sendUntilRefused(c: Running, body: (n: number) => unknown) {
  const acknowledged: string[] = [];
  for (let n = 0; n < 200; n++) {
    const sent = body(n);
    const res = await c.call("POST", "/v1/batch", c.pk, sent);
    if (res.status !== 200) return { acknowledged, refused: res, refusedBody: sent };
    expect(res.body.rejected).toStrictEqual([]);
    acknowledged.push(...res.body.accepted.map((a: { id: string }) => a.id));
  }
  throw new Error("the store never filled up");
}

/** A collector on a file capped at MAX_BYTES. */
async function cappedCollector(): Promise<{ c: Running; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), "closeloop-full-")), "closeloop.db");
  const c = await startCollector({
    path,
    store: sqliteStore(path, { maxBytes: MAX_BYTES }),
    onError: () => undefined,
  });
  running = c;
  return { c, path };
}

/** Every id acknowledged before the refusal is in `table`. */
function expectStored(side: Database.Database, table: string, acknowledged: string[]): void {
  const stored = new Set(
    (side.prepare(`SELECT id FROM ${table}`).all() as { id: string }[]).map((r) => r.id),
  );
  expect(acknowledged.filter((id) => !stored.has(id))).toStrictEqual([]);
}

/** Space comes back: the refused batch, sent again as a client would, is stored whole. */
async function expectTakenOnceSpaceReturns(c: Running, side: Database.Database, body: unknown) {
  side.exec("DROP TABLE ballast");
  side.close();
  const again = await c.call("POST", "/v1/batch", c.pk, body);
  expect(again.status).toBe(200);
  expect(again.body.accepted).toHaveLength(50);
  expect(again.body.accepted.every((a: { duplicate: boolean }) => !a.duplicate)).toBe(true);
}

describe("a full SQLite database", () => {
  it("answers writes 503 store_full with Retry-After, keeps reads working, and recovers once space is freed", async () => {
    const { c, path } = await cappedCollector();
    expect((await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy())).status).toBe(200);
    const side = fillMostOf(path);
    const { acknowledged, refused, refusedBody } = await sendUntilRefused(c, (n) =>
      batch(...feedback(n)),
    );
    expect(refused?.status).toBe(503);
    expect(refused?.body.error.code).toBe("store_full");
    expect(refused?.headers.get("retry-after")).toBe("30");
    expect(acknowledged.length).toBeGreaterThan(0);

    // Reads still work, and what was acknowledged is there.
    expect((await c.call("GET", "/healthz", undefined)).status).toBe(200);
    const loops = await c.call("GET", "/v1/loops?limit=1", c.sk);
    expect(loops.status).toBe(200);
    expect((await c.call("GET", "/v1/surveys", c.pk)).status).toBe(200);
    expectStored(side, "feedback", acknowledged);
    // It stays refused while the disk is full: the store is not left in a broken state.
    const second = await c.call("POST", "/v1/batch", c.pk, batch(...feedback(1_000)));
    expect([second.status, second.body?.error?.code]).toStrictEqual([503, "store_full"]);

    await expectTakenOnceSpaceReturns(c, side, refusedBody);
  });

  it("refuses a batch of new responses (the writer thread's way) 503 store_full the same, and takes it once space returns", async () => {
    const { c, path } = await cappedCollector();
    expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
    const side = fillMostOf(path);
    const { acknowledged, refused, refusedBody } = await sendUntilRefused(c, () =>
      batch(
        ...Array.from({ length: 50 }, () => ({
          type: "response",
          data: response({ score: 3, why: "x".repeat(500) }),
        })),
      ),
    );
    expect([refused.status, refused.body.error.code]).toStrictEqual([503, "store_full"]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expectStored(side, "responses", acknowledged);
    await expectTakenOnceSpaceReturns(c, side, refusedBody);
  });
});
