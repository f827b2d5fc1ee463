// examples/loop-demo as a user runs it: a real process printing one loop's timeline through the
// pure core. Tests run without a build, so the demo is bundled here with @closeloop/core resolved
// to its sources, exactly as the example imports it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const EXAMPLE = join(import.meta.dirname, "../../../examples/loop-demo");
const OUT = join(import.meta.dirname, "../node_modules/.cache/closeloop-example-loop-demo");
const DEMO = join(OUT, "demo.mjs");

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join(EXAMPLE, "demo.mjs")],
    outfile: DEMO,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    alias: { "@closeloop/core": join(import.meta.dirname, "../src/index.ts") },
    logLevel: "silent",
  });
  copyFileSync(join(EXAMPLE, "survey.json"), join(OUT, "survey.json"));
}, 60_000);

describe("examples/loop-demo", () => {
  it("prints the gate's refusal, the loop's timeline to closed, and the metrics", () => {
    const out = execFileSync(process.execPath, [DEMO], { encoding: "utf8", timeout: 30_000 });
    expect(out).toContain('segment "passive" has no route');
    expect(out).toContain('→ segment "detractor"');
    const timeline = [...out.matchAll(/→ (received|acknowledged|assigned|resolved|closed)\s/g)];
    expect(timeline.slice(0, 5).map((m) => m[1])).toEqual([
      "received",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
    ]);
    expect(out).toMatch(/closed\s+by respondent via in-app/);
    expect(out).toContain("breached: false");
    expect(out).toMatch(/Loop health: 2\/2 closed, 0 breached/);
    expect(out).toMatch(/NPS of \d+ answers: -?\d+ \(95% CI/);
  });

  it("prints the same on every run (its times are fixed)", () => {
    const run = () => execFileSync(process.execPath, [DEMO], { encoding: "utf8" });
    expect(run()).toBe(run());
  });
});
