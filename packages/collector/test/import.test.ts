import { describe, expect, it } from "vitest";

describe("@closeloop/collector import cost", () => {
  it("does not load the database drivers until a store is opened", async () => {
    const { execFileSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const { bundleForNode } = await import("../../node/test/bundle.js");
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
