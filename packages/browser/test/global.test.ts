// The script-tag builds assign the global `Closeloop` by hand (src/global/): they must list
// exactly their entry's exports, the same values, or script-tag users would miss an export.
import { afterEach, describe, expect, it } from "vitest";

const g = globalThis as { Closeloop?: Record<string, unknown> };

describe("the global Closeloop of the script-tag builds", () => {
  afterEach(() => {
    delete g.Closeloop;
  });

  it.each([
    ["index", () => import("../src/index.js"), () => import("../src/global/index.js")],
    ["lite", () => import("../src/lite.js"), () => import("../src/global/lite.js")],
  ])("%s: holds every export of the entry and nothing else", async (_, entry, global) => {
    const exports = { ...(await entry()) };
    await global();
    expect(g.Closeloop).toEqual(exports);
    expect(Object.keys(g.Closeloop ?? {}).sort()).toEqual(Object.keys(exports).sort());
  });
});
