// @closeloop/node re-exports the core domain by an explicit list (so its index shows its whole
// public API); this keeps the list whole as core grows.
import { describe, expect, it } from "vitest";
import * as core from "../../core/src/index.js";
import * as node from "../src/index.js";

describe("@closeloop/node", () => {
  it("re-exports every value of @closeloop/core, as the same binding", () => {
    const missing = Object.keys(core).filter(
      (name) => (node as Record<string, unknown>)[name] !== (core as Record<string, unknown>)[name],
    );
    expect(missing).toEqual([]);
  });
});
