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
