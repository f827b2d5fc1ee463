// examples/backend-loop as a user runs it: a real process, a real SQLite file, real HTTP, real
// signed webhooks. Tests run without a build, so the demo is bundled here with the packages
// (@closeloop/collector, node and core) resolved to their sources, exactly as the example's code imports them.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const EXAMPLE = join(import.meta.dirname, "../../../examples/backend-loop");
// Beside packages/collector/node_modules, so the bundle finds better-sqlite3 and pg.
const OUT = join(import.meta.dirname, "../node_modules/.cache/closeloop-example-backend");
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
    external: ["better-sqlite3", "pg"],
    alias: {
      "@closeloop/collector": join(import.meta.dirname, "../src/index.ts"),
      "@closeloop/node": join(import.meta.dirname, "../../node/src/index.ts"),
      "@closeloop/core": join(import.meta.dirname, "../../core/src/index.ts"),
    },
    banner: {
      // `require` for the CommonJS packages left external, under a name no bundled module uses.
      js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
  // The demo reads its survey and feedback policy from beside itself.
  for (const file of ["survey.json", "feedback-policy.json"]) {
    copyFileSync(join(EXAMPLE, file), join(OUT, file));
  }
}, 60_000);

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    // The demo has its own 15 s watchdog; this one catches a demo that lost it.
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("examples/backend-loop", () => {
  it("runs the whole loop over loopback, verifies every webhook and exits 0", async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await runDemo();
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const type of [
      "response.received",
      "feedback.received",
      "loop.acknowledged",
      "loop.assigned",
      "loop.resolved",
      "loop.closed",
    ]) {
      expect(stdout).toContain(`webhook ${type} (signature verified`);
    }
    expect(stdout).toContain("close by agent:ana → closed");
    expect(stdout).toMatch(/→ closed\s+by agent:ana via email/);
    expect(stdout).toMatch(/NPS -100 \(95% CI/);
    expect(stdout).toContain("Loop health: 1/2 closed (closure rate 50%)");
    // The support ticket of a 24,000 customer is owed a follow-up and still open.
    expect(stdout).toContain("Value at risk: 24000 across 1 customer(s)");
    expect(stdout).toContain("Everything shut down cleanly.");
  }, 60_000);
});
