// The loop desk in real Chromium against `closeloop serve` on loopback, on a SQLite file and on
// PostgreSQL: a person signs in, filters and searches the inbox, moves with the keyboard, opens
// a loop, takes each action, sees an illegal move refused, watches a new loop appear, reads the
// charts; a viewer cannot act; a cross-site form post is refused; a customer's markup stays
// text; axe-core finds nothing serious in light or dark; no CSP violation. Screenshots of the
// inbox, a loop and the charts, light and dark, go to test/artifacts/ to be looked at.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, skipChromium } from "../../browser/test/chromium.js";
import { bundleForNode } from "../../node/test/bundle.js";
import { feedbackPolicy } from "./collector-harness.js";
import { PG_URL, postgresFor } from "./pg-helper.js";

const axe = createRequire(import.meta.url)("axe-core") as { source: string };
const OUT = join(import.meta.dirname, "../node_modules/.cache/closeloop-desk-test");
const CLI = join(OUT, "cli.mjs");
const ARTIFACTS = join(import.meta.dirname, "artifacts");

const unreachable = await postgresFor("desk Chromium PostgreSQL case");

/** Runs the CLI to its end; answers its output lines. */
function cli(args: string[]): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.once("exit", (code) => resolve({ code, lines: out.split("\n") }));
  });
}

/** `closeloop serve` until it says where it listens; answers the URL and the printed keys. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; sk: string }> {
  const child = spawn(process.execPath, [CLI, "serve", ...args, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  for (let waited = 0; !out.includes("listening on"); waited += 50) {
    if (waited > 20_000 || child.exitCode !== null) throw new Error(`serve did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: /listening on (\S+)/.exec(out)?.[1] as string,
    sk: /secret key: (\S+)/.exec(out)?.[1] as string,
  };
}

/** A page's axe violations that are serious or critical, as `id: target` lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run;
    return (await run()) as {
      passes: unknown[];
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
  });
  if (result.passes.length === 0) throw new Error("axe checked nothing on the page");
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

type Target = { name: string; args: () => Promise<string[]>; cleanup?: () => Promise<void> };

const targets: Target[] = [
  {
    name: "sqlite",
    args: async () => ["--db", join(mkdtempSync(join(tmpdir(), "closeloop-desk-")), "c.db")],
  },
];
if (unreachable === undefined) {
  // A database of its own: `closeloop serve --postgres` takes a URL.
  const database = `desk_${process.pid}_${Date.now()}`;
  const admin = () => new pg.Client({ connectionString: PG_URL });
  targets.push({
    name: "postgres",
    args: async () => {
      const c = admin();
      await c.connect();
      await c.query(`CREATE DATABASE ${database}`);
      await c.end();
      const url = new URL(PG_URL);
      url.pathname = `/${database}`;
      return ["--postgres", url.toString()];
    },
    cleanup: async () => {
      const c = admin();
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    },
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await bundleForNode(join(import.meta.dirname, "../src/cli/main.ts"), CLI, [
    "better-sqlite3",
    "pg",
  ]);
}, 60_000);

// A browser's page per case: seconds on a busy machine, so every case may take 30 s (a wait, not
// a measure of speed).
describe.skipIf(skipChromium).each(targets)(
  "the desk in Chromium on $name",
  { timeout: 30_000 },
  (target) => {
    let server: { child: ChildProcess; url: string; sk: string };
    let browser: Browser;
    const passwords: Record<string, string> = {};
    const violations: string[] = [];

    const send = async (text: string, extra: Record<string, unknown> = {}) => {
      const res = await fetch(`${server.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.sk}`, "content-type": "application/json" },
        body: JSON.stringify({
          items: [
            {
              type: "feedback",
              idempotencyKey: `k-${Math.random()}`,
              data: { channel: "support", text, ...extra },
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
    };

    /** A signed-in page of a fresh context, in `scheme`, watching for CSP violations. */
    const signedIn = async (email: string, scheme: "light" | "dark" = "light", width = 1280) => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width, height: 900 },
      });
      const page = await context.newPage();
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
      });
      page.on("dialog", (d) => {
        violations.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`${server.url}/desk`);
      expect(page.url()).toBe(`${server.url}/desk/sign-in`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(passwords[email] as string);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.url}/desk`);
      return page;
    };

    beforeAll(async () => {
      const storeFlags = await target.args();
      server = await serve(storeFlags);
      for (const [email, role] of [
        ["ana@example.com", "agent"],
        ["lee@example.com", "lead"],
        ["vic@example.com", "viewer"],
      ]) {
        const added = await cli([
          "users",
          "add",
          email as string,
          "--role",
          role as string,
          ...storeFlags,
        ]);
        expect(added.code).toBe(0);
        passwords[email as string] = added.lines
          .find((l) => l.startsWith("password: "))
          ?.slice(10) as string;
      }
      const put = await fetch(`${server.url}/v1/feedback-policy`, {
        method: "PUT",
        headers: { authorization: `Bearer ${server.sk}`, "content-type": "application/json" },
        body: JSON.stringify(feedbackPolicy()),
      });
      expect(put.status).toBe(200);
      await send("The invoice total is wrong", { customer: { id: "acme", value: 24000 } });
      await send("Exports time out every Monday", { customer: { id: "globex", value: 98000 } });
      await send("<script>alert(1)</script><img src=x onerror=alert(2)>", { channel: "app-store" });
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      if (server && server.child.exitCode === null) {
        server.child.kill("SIGTERM");
        await new Promise((r) => server.child.once("exit", r));
      }
      await target.cleanup?.();
    });

    it("signs in, searches, moves with the keyboard and opens a loop", {
      timeout: 60_000,
    }, async () => {
      const page = await signedIn("ana@example.com");
      await expect.poll(() => page.locator("#inbox tbody tr").count()).toBe(3);
      await page.getByLabel("Search what customers wrote").fill("invoice");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/q=invoice/);
      expect(await page.locator("#inbox tbody tr").count()).toBe(1);
      await page.goto(`${server.url}/desk`);
      await page.keyboard.press("j");
      await page.keyboard.press("j");
      expect(await page.locator("tr.selected").count()).toBe(1);
      await page.keyboard.press("k");
      const first = await page.locator("#inbox tbody tr").first().getAttribute("data-href");
      expect(await page.locator("tr.selected").getAttribute("data-href")).toBe(first);
      await page.keyboard.press("Enter");
      await page.waitForURL(`${server.url}${first}`);
      await page.context().close();
    });

    it("takes each action on a loop and shows an illegal move's reason", {
      timeout: 60_000,
    }, async () => {
      const page = await signedIn("ana@example.com");
      await page.getByRole("link", { name: "Exports time out every Monday" }).click();
      await page.getByRole("button", { name: "Acknowledge" }).click();
      await expect.poll(() => page.getByText("Moved to acknowledged.").count()).toBe(1);
      // Only what the state allows next is offered: no second Acknowledge, no Reopen.
      expect(await page.getByRole("button", { name: "Acknowledge" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Reopen" }).count()).toBe(0);
      await page.getByLabel("Owner").selectOption("ana");
      await page.getByRole("button", { name: "Assign" }).click();
      await expect.poll(() => page.getByText("Moved to assigned.").count()).toBe(1);
      await page.getByLabel("Message to the customer").fill("We fixed it.");
      await expect
        .poll(() => page.locator("#resolve-warnings li").count(), { timeout: 5_000 })
        .toBe(2);
      await page
        .getByLabel("Message to the customer")
        .fill("Sorry — exports now finish in seconds. Thank you for telling us.");
      await expect.poll(() => page.locator("#resolve-warnings li").count()).toBe(0);
      await page.getByLabel("Root cause").fill("slow query");
      await page.getByRole("button", { name: "Resolve" }).click();
      await expect.poll(() => page.getByText("Moved to resolved.").count()).toBe(1);
      await page.screenshot({
        path: join(ARTIFACTS, `desk-loop-light-${target.name}.png`),
        fullPage: true,
      });
      // Someone else closes the loop in another tab; this page, left open, still offers Close:
      // the store refuses it, and the page says why.
      const loopUrl = page.url().split("?")[0] as string;
      const other = await page.context().newPage();
      await other.goto(loopUrl);
      await other.getByLabel("Customer told by").selectOption("email");
      await other.getByRole("button", { name: "Close" }).click();
      await expect.poll(() => other.getByText("Moved to closed.").count()).toBe(1);
      await page.getByLabel("Customer told by").selectOption("call");
      await page.getByRole("button", { name: "Close" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("Not done:");
      expect(await page.getByRole("alert").textContent()).toContain("closed → closed");
      await page.goto(loopUrl);
      expect(await page.getByRole("button", { name: "Close" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Reopen" }).count()).toBe(1);
      expect(await page.locator(".history li").count()).toBe(5);
      expect(await page.locator(".history").textContent()).toContain("desk:ana@example.com");
      await page.context().close();
    });

    it("shows a new loop without a reload", { timeout: 60_000 }, async () => {
      const page = await signedIn("ana@example.com");
      await page.evaluate(() => {
        (window as unknown as { marker: number }).marker = 1;
      });
      const before = await page.locator("#inbox tbody tr").count();
      await page.waitForTimeout(500); // the event stream takes its first count
      await send("A brand new complaint about shipping");
      await expect
        .poll(() => page.getByText("A brand new complaint about shipping").count(), {
          timeout: 15_000,
        })
        .toBe(1);
      expect(await page.locator("#inbox tbody tr").count()).toBe(before + 1);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      await page.context().close();
    });

    it("shows a customer's markup as text, and runs no script of theirs", async () => {
      const page = await signedIn("ana@example.com");
      await page.getByLabel("Search what customers wrote").fill("alert");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/q=alert/);
      const cell = page.locator("#inbox tbody td.said a");
      expect(await cell.textContent()).toBe(
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
      );
      expect(await page.locator("#inbox img").count()).toBe(0);
      await cell.click();
      expect(await page.locator("blockquote.words").textContent()).toContain(
        "<script>alert(1)</script>",
      );
      expect(violations.filter((v) => v.startsWith("dialog"))).toEqual([]);
      await page.context().close();
    });

    it("lets a viewer read but not act", async () => {
      const page = await signedIn("vic@example.com");
      await page.getByRole("link", { name: "The invoice total is wrong" }).click();
      expect(await page.getByRole("button", { name: "Acknowledge" }).count()).toBe(0);
      const status = await page.evaluate(async () => {
        const body = new FormData();
        body.set("to", "acknowledged");
        const res = await fetch(`${location.pathname}/move`, { method: "POST", body });
        return res.status;
      });
      expect(status).toBe(403);
      await page.context().close();
    });

    it("refuses a form posted to the desk from another site", async () => {
      const page = await signedIn("ana@example.com");
      const target = await page.locator("#inbox tbody tr").first().getAttribute("data-href");
      // Another origin (another port), whose page posts a form to the desk.
      const evil = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<form id="f" method="post" action="${server.url}${target}/move">
        <input name="to" value="acknowledged"></form><button id="go" form="f">go</button>`);
      });
      await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
      try {
        const other = await page.context().newPage();
        await other.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
        const [response] = await Promise.all([
          other.waitForResponse((r) => r.url().includes("/move")),
          other.click("#go"),
        ]);
        expect(response.status()).toBe(403);
      } finally {
        evil.close();
      }
      await page.context().close();
    });

    it("reads well in light and dark: axe finds nothing serious on the inbox, a loop and the charts; no CSP violation", {
      timeout: 90_000,
    }, async () => {
      for (const scheme of ["light", "dark"] as const) {
        const page = await signedIn("lee@example.com", scheme);
        const found: string[] = [];
        await page.screenshot({ path: join(ARTIFACTS, `desk-inbox-${scheme}-${target.name}.png`) });
        found.push(...(await seriousViolations(page)));
        await page.locator("#inbox tbody td.said a").first().click();
        await page.waitForURL(/\/desk\/loops\//);
        await page.screenshot({
          path: join(ARTIFACTS, `desk-loop-${scheme}-${target.name}.png`),
          fullPage: true,
        });
        found.push(...(await seriousViolations(page)));
        await page.goto(`${server.url}/desk/charts`);
        expect(await page.locator("svg.chart").count()).toBe(7);
        await page.screenshot({
          path: join(ARTIFACTS, `desk-charts-${scheme}-${target.name}.png`),
          fullPage: true,
        });
        found.push(...(await seriousViolations(page)));
        expect(found, scheme).toEqual([]);
        await page.context().close();
      }
      for (const width of [1024, 768]) {
        const page = await signedIn("lee@example.com", "light", width);
        for (const path of ["/desk", "/desk/charts"]) {
          await page.goto(server.url + path);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
        }
        await page.screenshot({ path: join(ARTIFACTS, `desk-charts-${width}-${target.name}.png`) });
        await page.context().close();
      }
      expect(violations.filter((v) => !v.startsWith("dialog"))).toEqual([]);
    });
  },
);
