// flushLock in Chromium: across two tabs of one origin with Web Locks, and within one page where
// they are missing (then two tabs may both flush; idempotency keys make that harmless).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, skipChromium, type TestBrowser } from "./chromium.js";
import { OUTBOX_PAGE, pageCall } from "./page-store.js";

const withoutWebLocks = () => {
  delete (Navigator.prototype as { locks?: unknown }).locks;
};
let names = 0;
const fresh = () => `flush-${++names}`;

for (const mode of ["Web Locks", "no Web Locks"] as const) {
  describe.skipIf(skipChromium)(`flushLock (${mode})`, () => {
    const init = mode === "Web Locks" ? {} : { init: withoutWebLocks };
    let b: TestBrowser;
    let tabA: Page;
    let tabB: Page;
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

    if (mode === "Web Locks") {
      it("while tab A holds it, tab B's call returns undefined without running; after A releases, B gets it", async () => {
        const name = fresh();
        expect(await pageCall(tabA, "hold", name)).toBe(true);
        expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: false, result: null });
        expect(await pageCall(tabA, "release", name)).toBe("released");
        expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: true, result: "ran" });
        // and back: A can take it again once B is done
        expect(await pageCall(tabA, "tryLock", name)).toEqual({ ran: true, result: "ran" });
      });
    } else {
      it("binds only its own page: tab B runs while tab A holds it, and nothing is stored", async () => {
        const name = fresh();
        expect(await pageCall(tabA, "hold", name)).toBe(true);
        expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: true, result: "ran" });
        // No lease in localStorage: that fallback was dropped to keep the lite bundle small.
        expect(await tabA.evaluate(() => localStorage.length)).toBe(0);
        expect(await pageCall(tabA, "release", name)).toBe("released");
      });
    }

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
      expect(await pageCall(tabA, "tryLock", name)).toEqual({ ran: true, result: "ran" });
      expect(await pageCall(tabB, "tryLock", name)).toEqual({ ran: true, result: "ran" });
    });

    it("keeps different names apart", async () => {
      const [one, two] = [fresh(), fresh()];
      expect(await pageCall(tabA, "hold", one)).toBe(true);
      expect(await pageCall(tabA, "tryLock", two)).toEqual({ ran: true, result: "ran" });
      expect(await pageCall(tabB, "tryLock", two)).toEqual({ ran: true, result: "ran" });
      await pageCall(tabA, "release", one);
    });
  });
}
