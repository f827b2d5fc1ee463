// Concurrent batches on SQLite may share one COMMIT (store/sqlite/group.ts). A batch whose store
// work fails must still fail alone: its request gets 503 and leaves nothing behind, while the
// batches beside it commit.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "@closeloop/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { batch, type Running, response, startCollector, survey } from "./collector-harness.js";

/** A response id whose write fails, as a full disk would. */
const poison = uuidv7();

/** Transactions started so far, and a gate the first one waits at until the rest are queued. */
let started = 0;
let openGate = () => {};
const gate = new Promise<void>((r) => {
  openGate = r;
});

/**
 * `store`, but writing the poisoned response rejects inside the transaction. The first
 * transaction holds the writer until `ready` transactions have started, so those queue up behind
 * it and share the next commit, as batches do under load.
 */
function failingOn(store: CollectorStore, ready: number): CollectorStore {
  return {
    ...store,
    transaction: (fn) => {
      const first = started++ === 0;
      if (started === ready) openGate();
      return store.transaction(async (tx) => {
        if (first) await Promise.race([gate, new Promise((r) => setTimeout(r, 2_000))]);
        return fn({
          ...tx,
          async putResponse(envId, r) {
            if (r.id === poison) throw new Error("disk full");
            return tx.putResponse(envId, r);
          },
        });
      });
    },
  };
}

let c: Running;
beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), "closeloop-group-")), "closeloop.db");
  c = await startCollector({ path, store: failingOn(sqliteStore(path), 8) });
  expect((await c.call("PUT", "/v1/surveys/onboarding-nps", c.sk, survey())).status).toBe(201);
});
afterAll(async () => {
  await c?.close();
});

describe("concurrent batches with a store failure in one of them", () => {
  it("fail that batch alone with 503 and commit the others", async () => {
    const good = Array.from({ length: 6 }, () => [response({ score: 9 }), response({ score: 2 })]);
    const bad = [response({ score: 5 }), response({ score: 3 }, { id: poison })];
    type Item = ReturnType<typeof response>;
    // Each response's idempotency key is its id, so a retry can replay the failed batch's keys.
    const post = (items: Item[]) =>
      c.call(
        "POST",
        "/v1/batch",
        c.pk,
        batch(...items.map((data) => ({ type: "response", idempotencyKey: data.id, data }))),
      );
    // The survey was published outside `transaction`; the first batch holds the writer.
    const first = post([response({ score: 10 })]);
    const answers = await Promise.all([
      ...good.slice(0, 3).map(post),
      post(bad),
      ...good.slice(3).map(post),
    ]);
    expect(answers.map((a) => a.status)).toStrictEqual([200, 200, 200, 503, 200, 200, 200]);
    expect(answers[3]?.body.error.code).toBe("unavailable");
    expect((await first).status).toBe(200);
    const envId = (await c.store.listEnvironments())[0]?.id as string;
    for (const r of good.flat()) expect((await c.store.getResponse(envId, r.id))?.id).toBe(r.id);
    // The failed batch left nothing: not its first item, not the key of either.
    for (const r of bad) expect(await c.store.getResponse(envId, r.id)).toBeUndefined();
    const retried = await post([bad[0] as Item]);
    expect(retried.body.accepted).toStrictEqual([{ index: 0, id: bad[0]?.id, duplicate: false }]);
  });
});
