// Error names survive minification: a page's bundle (or the IIFE) renames classes, and an error
// reported as `M: Invalid init options` tells nobody anything.
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ERRORS = {
  CloseloopError: 'new m.CloseloopError("c", "m")',
  ValidationError: 'new m.ValidationError("x", [])',
  SurveyDefinitionError: 'new m.SurveyDefinitionError("x", [])',
  InvalidAnswerError: 'new m.InvalidAnswerError("q", "r", "m")',
  LoopTransitionError: 'new m.LoopTransitionError("a", "b", "r", "m")',
  QueueFullError: 'new m.QueueFullError("memory", "m")',
  QueueClosedError: 'new m.QueueClosedError("memory", "m")',
};

describe("error names in a minified bundle", () => {
  it("are the class names", async () => {
    const out = await build({
      stdin: {
        contents: `import * as m from ${JSON.stringify(join(import.meta.dirname, "../src/index.ts"))};
          export const names = { ${Object.entries(ERRORS)
            .map(([k, v]) => `${k}: ${v}.name`)
            .join(", ")} };`,
        resolveDir: import.meta.dirname,
        loader: "ts",
      },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      write: false,
      logLevel: "silent",
    });
    const code = out.outputFiles[0]?.text ?? "";
    const { names } = await import(
      `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
    );
    expect(names).toEqual(Object.fromEntries(Object.keys(ERRORS).map((k) => [k, k])));
  });
});
