import { describe, expect, it } from "vitest";
import * as node from "../src/index.js";

describe("@closeloop/node", () => {
  it("re-exports the core gate so a backend can refuse a partial loop", () => {
    const check = node.checkSurvey({
      id: "s",
      version: 1,
      name: "S",
      locales: ["en"],
      questions: [{ id: "q", type: "nps", required: true, text: { en: "?" } }],
      loop: { routes: {} },
    });
    expect(check.ok).toBe(false);
    expect(check.issues.map((i) => i.path)).toEqual([
      "loop.routes.detractor",
      "loop.routes.passive",
      "loop.routes.promoter",
    ]);
    expect(node.VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("@closeloop/node import cost", () => {
  it("does not load the database drivers until a store is opened", async () => {
    const { execFileSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const { bundleForNode } = await import("./bundle.js");
    // A fresh process importing the package as a backend would, drivers left external.
    const script = await bundleForNode(
      join(import.meta.dirname, "fixtures/import-drivers.ts"),
      join(import.meta.dirname, "../node_modules/.cache/closeloop-import-test/import-drivers.mjs"),
      ["better-sqlite3", "pg"],
    );
    const [atImport, afterOpen] = execFileSync(process.execPath, [script])
      .toString()
      .trim()
      .split(" ");
    expect(atImport).toBe("0");
    expect(Number(afterOpen)).toBeGreaterThan(0); // the check can see a driver load
  });
});
