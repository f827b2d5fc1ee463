// The benchmark report's renderer (bench/render.mjs, used by bench/run.mjs): every placeholder of
// a template is filled from the bench's results, or the run fails naming it. The benches
// themselves run in CI's quick run (`BENCH_QUICK=1 node bench/run.mjs`), not here.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fill, markdownTable, placeholders } from "../bench/render.mjs";

const REPORT = fileURLToPath(new URL("../bench/report/", import.meta.url));

describe("bench report renderer", () => {
  it("fills tables and figures, escaping a | inside a cell", () => {
    const out = fill(
      "x",
      "## X\n\n{{table:main}}\n\nIt took {{a.b}} ({{a.b}} again).",
      { main: { columns: ["case", "time"], rows: [["a | b", "1 ms"]], notes: ["median of 3"] } },
      { "a.b": "12 ms" },
    );
    expect(out).toBe(
      "## X\n\n| case | time |\n|---|---|\n| a \\| b | 1 ms |\n\n*median of 3*\n\nIt took 12 ms (12 ms again).",
    );
  });

  it("names the bench and the placeholder it could not fill", () => {
    expect(() => fill("desk", "{{table:gone}}", {}, {})).toThrow("desk: no table gone");
    expect(() => fill("desk", "{{nope}}", {}, { yes: "1" })).toThrow("desk: no figure nope");
  });

  it("renders a table with no rows as its header alone", () => {
    expect(markdownTable({ columns: ["a", "b"], rows: [] })).toBe("| a | b |\n|---|---|");
  });

  it("each template starts with its section heading and places at least one table", () => {
    const templates = readdirSync(REPORT).filter((f) => f.endsWith(".md"));
    expect(templates.length).toBeGreaterThanOrEqual(8);
    for (const file of templates) {
      const text = readFileSync(REPORT + file, "utf8");
      expect(text.startsWith("## "), file).toBe(true);
      expect(
        placeholders(text).some((p) => p.startsWith("table:")),
        file,
      ).toBe(true);
      expect(placeholders(text), file).toContain("run");
    }
  });
});
