// `listening.close()` over real loopback HTTP and a real SQLite file: a client that hangs up
// midway leaves its handler writing to the store, and the drain waits for it, so that the store
// can be closed next without a write still running on it.

import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCollector } from "../src/collector.js";
import { provision } from "../src/provision.js";
import { sqliteStore } from "../src/store/index.js";
import type { CollectorStore } from "../src/store/types.js";
import { batch, response, survey } from "./collector-harness.js";

const PK = "pk_test_0123456789abcdefghij";
const SK = "sk_test_0123456789abcdefghij";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A collector whose ingest transactions wait at a gate, once they have been asked for. */
async function gatedCollector() {
  const store = sqliteStore(join(mkdtempSync(join(tmpdir(), "closeloop-close-")), "c.db"));
  await store.migrate();
  await provision(store, { publicKey: PK, secretKey: SK });
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let entered = () => {};
  const waiting = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const gated: CollectorStore = {
    ...store,
    async transaction(fn) {
      entered();
      await gate;
      return store.transaction(fn);
    },
  };
  const collector = createCollector({ store: gated });
  const published = await collector.fetch(
    new Request("http://x/v1/surveys/onboarding-nps", {
      method: "PUT",
      headers: { authorization: `Bearer ${SK}` },
      body: JSON.stringify(survey()),
    }),
  );
  expect(published.status).toBe(201);
  const listening = await collector.listen({ port: 0 });
  cleanups.push(async () => {
    open();
    await listening.close({ graceMs: 0 });
    await store.close();
  });
  return { store, listening, open, waiting };
}

/** Posts one finished response and hangs up once the collector has begun its transaction. */
async function postAndHangUp(url: string, waiting: Promise<void>, id: string): Promise<void> {
  const body = JSON.stringify(batch({ type: "response", data: response({ score: 3 }, { id }) }));
  const req = request(`${url}/v1/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${PK}`, "content-type": "application/json" },
  });
  req.on("error", () => {});
  req.end(body);
  await waiting;
  const closed = new Promise((resolve) => req.once("close", resolve));
  req.destroy();
  await closed;
}

/** Whether `p` settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe("listening.close()", () => {
  it("waits for the handler of a client that hung up midway, then the store closes cleanly", async () => {
    const { store, listening, open, waiting } = await gatedCollector();
    const id = "01900000-0000-7000-8000-00000000c105";
    await postAndHangUp(listening.url, waiting, id);

    const closing = listening.close({ graceMs: 10_000 });
    // No connection is left, but the handler is still about to write: close must not resolve.
    expect(await settlesWithin(closing, 300)).toBe(false);
    open();
    await closing;
    // The handler's write is committed before the drain ends, so nothing runs on a closed store.
    const [env] = await store.listEnvironments();
    expect((await store.getResponse(env?.id ?? "", id))?.id).toBe(id);
  });

  it("stops waiting for a handler stuck past the grace period", async () => {
    const { listening, waiting } = await gatedCollector();
    await postAndHangUp(listening.url, waiting, "01900000-0000-7000-8000-00000000c106");
    // The gate never opens while close runs: it resolves at the grace period all the same.
    expect(await settlesWithin(listening.close({ graceMs: 200 }), 5_000)).toBe(true);
  });
});
