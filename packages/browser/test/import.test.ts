import { describe, expect, it } from "vitest";

describe("@closeloop/browser import", () => {
  it("loads without a window (SSR-safe) and exposes the client and the survey engine", async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    expect(typeof (globalThis as { document?: unknown }).document).toBe("undefined");
    const mod = await import("../src/index.js");
    expect(typeof mod.init).toBe("function");
    expect(typeof mod.createSurveySession).toBe("function");
    expect(mod.VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("loads the lite entry without a window too", async () => {
    const lite = await import("../src/lite.js");
    expect(Object.keys(lite).sort()).toEqual(["init"]);
  });

  it("init names every bad option with a ValidationError, even on a server", async () => {
    const { init, ValidationError } = await import("../src/index.js");
    expect(() => init({ endpoint: "nope", publicKey: "sk_live" })).toThrow(ValidationError);
    const lite = await import("../src/lite.js");
    expect(() => lite.init({} as never)).toThrow(/endpoint.*\n.*publicKey/s);
  });
});
