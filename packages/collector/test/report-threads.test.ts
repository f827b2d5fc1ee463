import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../node/test/helpers.js";
import { sqliteStore } from "../src/store/index.js";
import { reportThreads } from "../src/store/sqlite/report-threads.js";

/** The resources that keep this process alive that a thread may add (its handle, its port). */
const threadResources = () =>
  process.getActiveResourcesInfo().filter((r) => r === "Worker" || r === "MessagePort").length;

async function file(): Promise<string> {
  const path = join(tempDir(), "closeloop.db");
  const store = sqliteStore(path);
  await store.migrate();
  await store.close();
  return path;
}

describe("reportThreads", () => {
  it("answers each statement's rows, in order, from one batch", async () => {
    const threads = reportThreads(await file(), { count: 2, busyTimeoutMs: 1000 });
    const rows = await threads.run([
      { sql: "SELECT @a + 1 AS x", values: { a: 1 } },
      { sql: "SELECT count(*) AS n FROM loops", values: {} },
    ]);
    expect(rows).toStrictEqual([[{ x: 2 }], [{ n: 0 }]]);
    await threads.close();
  });

  it("rejects a report whose statement fails, and answers the next one", async () => {
    const threads = reportThreads(await file(), { count: 1, busyTimeoutMs: 1000 });
    await expect(threads.run([{ sql: "SELECT * FROM nowhere", values: {} }])).rejects.toThrow(
      /no such table: nowhere/,
    );
    expect(await threads.run([{ sql: "SELECT 1 AS one", values: {} }])).toStrictEqual([
      [{ one: 1 }],
    ]);
    await threads.close();
  });

  it("keeps the process alive while a report runs, and not once it is answered", async () => {
    const before = threadResources();
    const threads = reportThreads(await file(), { count: 2, busyTimeoutMs: 1000 });
    const running = threads.run([{ sql: "SELECT 1 AS one", values: {} }]);
    expect(threadResources()).toBeGreaterThan(before);
    await running;
    // A process that never closes its store still exits once its reports are answered.
    expect(threadResources()).toBe(before);
    await threads.close();
  });
});
