// The node client makes its ids with its own uuidv7 (faster than core's on Node): they must be
// the same kind of id — version 7, variant 10, the time in the first 48 bits, random after.
import { uuidv7 as coreUuidv7 } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/client/uuidv7.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("node uuidv7", () => {
  it("makes version-7 ids with core's time part, distinct, across pool refills", () => {
    const seen = new Set<string>();
    const variants = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const now = 1_764_000_000_000 + Math.floor(i / 3);
      const id = uuidv7(now);
      expect(id).toMatch(V7);
      expect(id.slice(0, 13)).toBe(coreUuidv7(now).slice(0, 13));
      seen.add(id);
      variants.add(id[19] as string);
    }
    expect(seen.size).toBe(2_000);
    expect([...variants].sort()).toEqual(["8", "9", "a", "b"]);
  });

  it("sorts by time", () => {
    const a = uuidv7(1_764_000_000_000);
    const b = uuidv7(1_764_000_000_001);
    expect(a < b).toBe(true);
  });
});
