// flushLock across two tabs of one origin in Chromium, with Web Locks and with the lease in
// localStorage that replaces them where they are missing.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { OUTBOX_PAGE, pageCall } from "./page-store.js";

const withoutWebLocks = () => {
  delete (Navigator.prototype as { locks?: unknown }).locks;
};
const lease = (name: string) => `closeloop-lock:${name}`;
let names = 0;
const fresh = () => `flush-${++names}`;

for (const mode of ["Web Locks", "localStorage lease"] as const) {
  describe.skipIf(skipChromium)(`flushLock across tabs (${mode})`, () => {
    const init = mode === "Web Locks" ? {} : { init: withoutWebLocks };
    let b: TestBrowser;
    let tabA: Page;
    let tabB: Page;
    // A lease reaches the other tab asynchronously: only once it has is it binding there.
    const seenBy = async (tab: Page, name: string, present: boolean) => {
      if (mode === "localStorage lease") {
        await expect
          .poll(() =>
            tab.evaluate(([k]) => localStorage.getItem(k) !== null, [lease(name)] as const),
          )
          .toBe(present);
      }
    };
    beforeAll(async () => {
      b = await openBrowser();
      tabA = await b.page(OUTBOX_PAGE, init);
      tabB = await b.page(OUTBOX_PAGE, init);
    });
    afterAll(async () => {
      expect(b?.pageErrors ?? []).toEqual([]);
      await b?.close();
    });

    it(`runs on ${mode}`, async () => {
      expect(await pageCall(tabA, "hasWebLocks")).toBe(mode === "Web Locks");
      expect(await pageCall(tabB, "hasWebLocks")).toBe(mode === "Web Locks");
    });

    it("while tab A holds it, tab B's call returns undefined without running; after A releases, B gets it", async () => {
      const name = fresh();
      expect(await pageCall(tabA, "hold", name)).toBe(true);
      await seenBy(tabB, name, true);
      expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: false, result: null });
      expect(await pageCall(tabA, "release", name)).toBe("released");
      await seenBy(tabB, name, false);
      expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: true, result: "ran" });
      // and back: A can take it again once B is done
      await seenBy(tabA, name, false);
      expect(await pageCall(tabA, "tryLock", name)).toEqual({ ran: true, result: "ran" });
    });

    it("does not run a second call of the same tab while the first holds it", async () => {
      const name = fresh();
      expect(await pageCall(tabA, "hold", name)).toBe(true);
      expect(await pageCall(tabA, "tryLock", name)).toEqual({ ran: false, result: null });
      expect(await pageCall(tabA, "release", name)).toBe("released");
      expect(await pageCall(tabA, "tryLock", name)).toEqual({ ran: true, result: "ran" });
    });

    it("passes fn's rejection on and lets the lock go", async () => {
      const name = fresh();
      const failed = await pageCall(tabA, "failLock", name);
      expect(failed).toMatchObject({ ok: false, error: { message: "flush failed" } });
      await seenBy(tabB, name, false);
      expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: true, result: "ran" });
    });

    it("keeps different names apart", async () => {
      const [one, two] = [fresh(), fresh()];
      expect(await pageCall(tabA, "hold", one)).toBe(true);
      expect(await pageCall(tabB, "tryLock", two)).toEqual({ ran: true, result: "ran" });
      await pageCall(tabA, "release", one);
    });
  });
}

describe.skipIf(skipChromium)("flushLock lease in localStorage (no Web Locks)", () => {
  let b: TestBrowser;
  let tab: Page;
  const read = (name: string) =>
    tab.evaluate(([k]) => localStorage.getItem(k), [lease(name)] as const);
  const write = (name: string, value: string) =>
    tab.evaluate(([k, v]) => localStorage.setItem(k, v), [lease(name), value] as const);
  beforeAll(async () => {
    b = await openBrowser();
    tab = await b.page(OUTBOX_PAGE, { init: withoutWebLocks });
  });
  afterAll(async () => {
    await b?.close();
  });

  it("respects a live lease of another tab", async () => {
    const name = fresh();
    await write(name, `other-tab ${Date.now() + 600_000}`);
    expect(await pageCall(tab, "tryLock", name)).toEqual({ ran: false, result: null });
    expect(await read(name)).toMatch(/^other-tab /);
  });

  it("takes over a lease that expired (its tab died holding it)", async () => {
    const name = fresh();
    await write(name, `dead-tab ${Date.now() - 1}`);
    expect(await pageCall(tab, "tryLock", name)).toEqual({ ran: true, result: "ran" });
    expect(await read(name)).toBeNull(); // released after fn
  });

  it("writes its lease while held, renews it, and removes it on release", async () => {
    const name = fresh();
    expect(await pageCall(tab, "hold", name, 300)).toBe(true);
    const first = await read(name);
    const expiry = (v: string | null) => Number(v?.split(" ")[1]);
    expect(expiry(first)).toBeGreaterThan(0);
    await expect.poll(async () => expiry(await read(name)) > expiry(first)).toBe(true);
    expect((await read(name))?.split(" ")[0]).toBe(first?.split(" ")[0]);
    await pageCall(tab, "release", name);
    expect(await read(name)).toBeNull();
  });
});
