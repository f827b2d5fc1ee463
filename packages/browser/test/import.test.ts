import { describe, expect, it } from "vitest";

describe("@closeloop/browser import", () => {
  it("loads without a window (SSR-safe) and exposes the survey engine", async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    const mod = await import("../src/index.js");
    expect(typeof mod.createSurveySession).toBe("function");
    expect(mod.VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
