// The main connection and the writer thread take turns at a SQLite file's write lock
// (store/sqlite/write-turns.ts): a main section starts only once the thread's writes in flight
// are over, and the thread's writes sent meanwhile wait for the section's end.
import { describe, expect, it } from "vitest";
import { createWriteTurns } from "../src/store/sqlite/write-turns.js";

/** A promise with its resolve, for writes that end when the test says so. */
function pending() {
  let end = () => {};
  const done = new Promise<void>((resolve) => {
    end = resolve;
  });
  return { done, end };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("turns at the write lock", () => {
  it("a main section waits for the thread's writes in flight, and runs once they are over", async () => {
    const turns = createWriteTurns();
    const log: string[] = [];
    const a = pending();
    const b = pending();
    const writes = [
      turns.thread(() => a.done.then(() => log.push("write a"))),
      turns.thread(() => b.done.then(() => log.push("write b"))),
    ];
    const section = turns.main(async () => log.push("main"));
    await tick();
    expect(log).toEqual([]);
    a.end();
    await tick();
    expect(log).toEqual(["write a"]);
    b.end();
    await section;
    await Promise.all(writes);
    expect(log).toEqual(["write a", "write b", "main"]);
  });

  it("thread writes sent during a main section start when it ends, before the next section", async () => {
    const turns = createWriteTurns();
    const log: string[] = [];
    const inside = pending();
    let started = 0;
    const first = turns.main(async () => {
      log.push("main 1 begins");
      await inside.done;
      log.push("main 1 ends");
    });
    await tick();
    const write = turns.thread(async () => {
      started++;
      log.push("write");
    });
    await tick();
    expect(started).toBe(0);
    // A section queued behind the first (the store's mutex runs them one at a time).
    const second = first.then(() => turns.main(async () => log.push("main 2")));
    inside.end();
    await Promise.all([write, second]);
    expect(log).toEqual(["main 1 begins", "main 1 ends", "write", "main 2"]);
  });

  it("a failed thread write or main section frees the lock for the other side", async () => {
    const turns = createWriteTurns();
    await expect(turns.thread(() => Promise.reject(new Error("disk")))).rejects.toThrow("disk");
    await expect(
      turns.main(async () => {
        throw new Error("constraint");
      }),
    ).rejects.toThrow("constraint");
    expect(await turns.thread(async () => "written")).toBe("written");
    expect(await turns.main(async () => "done")).toBe("done");
  });
});
