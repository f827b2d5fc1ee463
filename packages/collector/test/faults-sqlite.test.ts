// A collector on SQLite through the faults of one machine: SIGKILL mid-ingest. `closeloop serve`
// runs as a real process on a real file; every item is counted end to end, and what was
// acknowledged before the kill must be in the file after it (lost = 0).
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { onboardingNps } from "../../core/test/fixtures.js";
import { batch, feedbackPolicy, response } from "./collector-harness.js";
import { bundleCli, type CollectorProcess, serveProcess } from "./collector-process.js";
import { feedbackItem, startLoad, tally } from "./fault-load.js";

const KEYS = {
  CLOSELOOP_PUBLIC_KEY: "pk_test_faults_0123456789ab",
  CLOSELOOP_SECRET_KEY: "sk_test_faults_0123456789ab",
};

let cli: string;
beforeAll(async () => {
  cli = await bundleCli("faults-sqlite");
}, 60_000);

describe("a collector on SQLite, through faults", () => {
  it("keeps every acknowledged item through a SIGKILL mid-ingest, and serves again on restart", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-faults-")), "closeloop.db");
    let current: CollectorProcess = await serveProcess(cli, ["--db", db], KEYS);
    const policy = await fetch(`${current.url}/v1/feedback-policy`, {
      method: "PUT",
      headers: { authorization: `Bearer ${KEYS.CLOSELOOP_SECRET_KEY}` },
      body: JSON.stringify(feedbackPolicy()),
    });
    expect(policy.status).toBe(200);
    const load = startLoad({
      url: () => current.url,
      key: KEYS.CLOSELOOP_PUBLIC_KEY,
      item: feedbackItem,
      senders: 6,
    });
    const acknowledged = (n: number) =>
      expect
        .poll(() => load.acknowledged.length >= n, { timeout: 60_000, interval: 50 })
        .toBe(true);
    await acknowledged(1_500);
    current.child.kill("SIGKILL");
    expect(await current.exited).toStrictEqual({ code: null, signal: "SIGKILL" });
    const atKill = load.acknowledged.length;
    current = await serveProcess(cli, ["--db", db], KEYS);
    await acknowledged(atKill + 500);
    await load.stop();
    current.child.kill("SIGTERM");
    expect(await current.exited).toStrictEqual({ code: 0, signal: null });

    const file = new Database(db, { readonly: true });
    const stored = new Set(
      (file.prepare("SELECT id FROM feedback").all() as { id: string }[]).map((r) => r.id),
    );
    file.close();
    const counts = tally("sqlite SIGKILL mid-ingest", load, stored);
    console.log(`  acknowledged before the kill: ${atKill}`);
    expect(counts.lost).toBe(0);
    expect(counts.acknowledged).toBe(counts.sent);
    expect(load.rejected).toStrictEqual([]);
  }, 120_000);

  it("ends a drain that cannot finish at --drain-timeout: a webhook receiver that never answers holds the worker, and the process exits 1 at the bound", async () => {
    // A receiver that takes every delivery and never answers.
    const hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    let arrived = 0;
    hanging.on("request", () => {
      arrived++;
    });
    const db = join(mkdtempSync(join(tmpdir(), "closeloop-faults-")), "closeloop.db");
    const c = await serveProcess(cli, ["--db", db, "--drain-timeout", "2"], KEYS);
    try {
      const put = (path: string, body: unknown) =>
        fetch(`${c.url}${path}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${KEYS.CLOSELOOP_SECRET_KEY}` },
          body: JSON.stringify(body),
        });
      expect((await put("/v1/surveys/onboarding-nps", onboardingNps())).status).toBe(201);
      const port = (hanging.address() as AddressInfo).port;
      expect((await put("/v1/webhooks/slow", { url: `http://127.0.0.1:${port}/` })).status).toBe(
        201,
      );
      const sent = await fetch(`${c.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEYS.CLOSELOOP_PUBLIC_KEY}` },
        body: JSON.stringify(batch({ type: "response", data: response({ score: 9 }) })),
      });
      expect(sent.status).toBe(200);
      await expect.poll(() => arrived, { timeout: 15_000 }).toBeGreaterThan(0);

      const signalled = Date.now();
      c.child.kill("SIGTERM");
      const exit = await c.exited;
      const took = Date.now() - signalled;
      console.log(`  drain bound 2 s: exited ${exit.code} after ${took} ms`);
      expect(exit).toStrictEqual({ code: 1, signal: null });
      expect(c.lines).toContain(
        "closeloop collector stopped (SIGTERM): the drain took longer than 2 s",
      );
      // The bound, not the worker's 10 s attempt timeout, ended it.
      expect(took).toBeGreaterThanOrEqual(1_900);
      expect(took).toBeLessThan(8_000);
    } finally {
      c.child.kill("SIGKILL");
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 60_000);
});
