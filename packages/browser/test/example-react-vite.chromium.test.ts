// examples/react-vite as a user builds and runs it: `vite build` with the collector's endpoint
// and public key, the built app served as static files, and its survey answered in Chromium —
// the answer reaches a real collector on another loopback port.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, skipChromium } from "./chromium.js";
import { answerSurvey, loopSegments, type Running, shopCollector } from "./sdk-harness.js";

const EXAMPLE = join(import.meta.dirname, "../../../examples/react-vite");
const built = existsSync(join(import.meta.dirname, "../dist/react.js"));
if (!built && process.env.CI === "true") throw new Error("CI=true: run pnpm build first");
if (!built) console.warn("example-react-vite skipped: packages/browser is not built (pnpm build)");

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};

describe.skipIf(skipChromium || !built)("examples/react-vite", { timeout: 120_000 }, () => {
  let c: Running;
  let server: Server;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    c = await shopCollector();
    await promisify(execFile)(
      join(EXAMPLE, "node_modules/.bin/vite"),
      ["build", "--logLevel", "error"],
      {
        cwd: EXAMPLE,
        env: { ...process.env, VITE_CLOSELOOP_ENDPOINT: c.url, VITE_CLOSELOOP_PUBLIC_KEY: c.pk },
      },
    );
    const dist = join(EXAMPLE, "dist");
    server = createServer((req, res) => {
      const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(
        /^(\.\.[/\\])+/,
        "",
      );
      const file = join(dist, path === "/" ? "index.html" : path);
      if (!file.startsWith(dist) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await c?.close();
  });

  it("builds with Vite, shows the survey in the React app, and the answer reaches the collector", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await expect
      .poll(() => page.locator("#closeloop-status").textContent())
      .toBe("Closeloop: ready");
    await answerSurvey(page, 10, "Love the dashboard"); // a promoter
    await expect
      .poll(() => page.locator("#closeloop-status").textContent())
      .toBe("Closeloop: thanks for answering!");
    await expect.poll(() => loopSegments(c), { timeout: 15_000 }).toContain("promoter");
    expect(await page.getByRole("button", { name: "Send feedback" }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
