// The client's key-value store (fatigue, the anonymous id, saved runs, the survey cache) over
// localStorage: what storage refuses stays in memory for the page, and nothing ever throws.
import { afterEach, describe, expect, it } from "vitest";
import { keyValue } from "../src/client/storage.js";
import { fakeStorage } from "./fake-storage.js";

const g = globalThis as { localStorage?: unknown };

describe("keyValue", () => {
  afterEach(() => {
    delete g.localStorage;
  });

  it("keeps JSON values in localStorage under its prefix", () => {
    const ls = fakeStorage();
    g.localStorage = ls;
    const kv = keyValue("p:");
    kv.set_("a", { n: 1 });
    expect(ls.getItem("p:a")).toBe('{"n":1}');
    expect(kv.get_("a")).toEqual({ n: 1 });
    kv.remove_("a");
    expect([ls.getItem("p:a"), kv.get_("a")]).toEqual([null, undefined]);
  });

  it("keeps in memory what a full storage refuses, and reads that first", () => {
    const ls = fakeStorage();
    ls.setItem("p:a", "1");
    g.localStorage = {
      getItem: (k: string) => ls.getItem(k),
      setItem() {
        throw new DOMException("full", "QuotaExceededError");
      },
      removeItem: (k: string) => ls.removeItem(k),
    };
    const kv = keyValue("p:");
    kv.set_("a", 2);
    expect([kv.get_("a"), ls.getItem("p:a")]).toEqual([2, "1"]);
    kv.remove_("a");
    expect(kv.get_("a")).toBeUndefined();
  });

  it("works in memory without localStorage, and reads damaged JSON as nothing", () => {
    const kv = keyValue("p:");
    kv.set_("a", [1]);
    expect(kv.get_("a")).toEqual([1]);
    g.localStorage = fakeStorage();
    (g.localStorage as Storage).setItem("p:b", "{broken");
    expect(keyValue("p:").get_("b")).toBeUndefined();
  });
});
