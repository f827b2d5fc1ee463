// examples/browser-script-tag as a user runs it: its own server (serve.mjs) serves the plain HTML
// page with the built IIFE, and a real collector on another loopback port takes the answer.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, skipChromium } from "./chromium.js";
import { answerSurvey, loopSegments, type Running, shopCollector } from "./sdk-harness.js";

const EXAMPLE = join(import.meta.dirname, "../../../examples/browser-script-tag");
const built = existsSync(join(import.meta.dirname, "../dist/index.global.js"));
if (!built && process.env.CI === "true") throw new Error("CI=true: run pnpm build first");
if (!built) console.warn("example-script-tag skipped: packages/browser is not built (pnpm build)");

describe.skipIf(skipChromium || !built)("examples/browser-script-tag", { timeout: 60_000 }, () => {
  let c: Running;
  let server: ChildProcess;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    c = await shopCollector();
    server = spawn(process.execPath, ["serve.mjs"], {
      cwd: EXAMPLE,
      env: { ...process.env, CLOSELOOP_ENDPOINT: c.url, CLOSELOOP_PUBLIC_KEY: c.pk, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout?.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /shop page: (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      server.once("exit", (code) => reject(new Error(`serve.mjs exited ${code}: ${out}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    server?.kill();
    await c?.close();
  });

  it("loads the SDK from a script tag, shows the survey, and the answer reaches the collector", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    expect(await page.evaluate(() => typeof (window as { Closeloop?: unknown }).Closeloop)).toBe(
      "object",
    );
    await answerSurvey(page, 9, "Fast delivery"); // a promoter
    await expect.poll(() => loopSegments(c), { timeout: 15_000 }).toContain("promoter");
    expect(errors).toEqual([]);
    await page.close();
  });
});
