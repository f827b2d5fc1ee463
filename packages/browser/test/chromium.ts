// A small harness for tests in real Chromium: a loopback HTTP server gives pages a real origin
// (so IndexedDB, localStorage and Web Locks behave as in production), test entry code is bundled
// from TypeScript with esbuild, and Chromium is driven through playwright-core.
//
//   const b = await openBrowser();
//   const page = await b.page(new URL("./pages/queue.page.ts", import.meta.url), { routes });
//   …
//   await b.close();
//
// Pages opened from one `openBrowser()` are tabs of one profile and one origin: they share
// storage. Open another browser for an isolated profile.
import { existsSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

/** Where Chromium is expected; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Whether Chromium is installed here. */
export const hasChromium = existsSync(CHROMIUM_PATH);
/**
 * Whether Chromium tests should be skipped: only locally when Chromium is missing. Under
 * `CI=true` they run, and `openBrowser` fails loudly, so a CI without Chromium cannot pass.
 */
export const skipChromium = !hasChromium && process.env.CI !== "true";
if (skipChromium) {
  console.warn(
    `Skipping the Chromium tests: ${CHROMIUM_PATH} not found (set CHROMIUM_PATH; under CI=true they fail instead).`,
  );
}

const ALIAS = {
  "@closeloop/core": fileURLToPath(new URL("../../core/src/index.ts", import.meta.url)),
  "@closeloop/browser": fileURLToPath(new URL("../src/index.ts", import.meta.url)),
};
const TEST_DIR = fileURLToPath(new URL(".", import.meta.url));

/** A request as a route sees it, with its body read. */
export interface RouteRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A route's answer; a non-string `body` is sent as JSON. Defaults: 200, empty body. */
export interface RouteReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Serves one path (any method, query ignored). */
export type Route = (req: RouteRequest) => RouteReply | undefined | Promise<RouteReply | undefined>;

/**
 * What a page runs: a TypeScript entry file, or TypeScript source (relative imports resolve from
 * test/). `@closeloop/core` and `@closeloop/browser` resolve to their sources.
 */
export type PageScript = string | URL | { code: string };

export interface PageOptions {
  /** Routes added to the server (they stay for later pages; a path given again is replaced). */
  routes?: Record<string, Route>;
  /** Runs before any script of the page, on every load (e.g. to break `indexedDB`). */
  init?: string | (() => void);
  /** Path the page is served at; default `/page-<n>.html`. Reloads load it again. */
  path?: string;
  /** Extra response headers of the page's HTML and script, e.g. a `Content-Security-Policy`. */
  headers?: Record<string, string>;
}

export interface TestBrowser {
  /** `http://127.0.0.1:<port>`: the pages' origin. */
  readonly origin: string;
  /** The profile every page of this browser belongs to. */
  readonly context: BrowserContext;
  /** Uncaught errors of every page so far, as "message\nstack". */
  readonly pageErrors: string[];
  /** Opens a new tab on a page that runs `script`, and waits for its `load` event. */
  page(script: PageScript, options?: PageOptions): Promise<Page>;
  /** Adds or replaces routes. */
  route(routes: Record<string, Route>): void;
  /** Shuts Chromium and the server down. */
  close(): Promise<void>;
}

/** The flags Chromium runs with here: headless, no sandbox (root in a container), no background traffic. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

async function bundle(script: PageScript): Promise<string> {
  const common = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    alias: ALIAS,
    sourcemap: "inline",
    write: false,
    logLevel: "silent",
  } as const;
  const result =
    typeof script === "object" && "code" in script
      ? await build({
          ...common,
          stdin: { contents: script.code, resolveDir: TEST_DIR, loader: "ts" },
        })
      : await build({
          ...common,
          entryPoints: [script instanceof URL ? fileURLToPath(script) : script],
        });
  const out = result.outputFiles[0];
  if (!out) throw new Error("esbuild produced no output");
  return out.text;
}

/** Launches Chromium and a loopback server for its pages. */
export async function openBrowser(): Promise<TestBrowser> {
  if (!hasChromium) {
    throw new Error(
      `Chromium is required (CI=true) but ${CHROMIUM_PATH} does not exist; install it or set CHROMIUM_PATH.`,
    );
  }
  const routes = new Map<string, Route>();
  const files = new Map<string, string>();
  const fileHeaders = new Map<string, Record<string, string>>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const file = files.get(url.pathname);
      if (file !== undefined) {
        const type = url.pathname.endsWith(".js") ? "text/javascript" : "text/html";
        res.writeHead(200, {
          "content-type": `${type}; charset=utf-8`,
          "cache-control": "no-store",
          ...fileHeaders.get(url.pathname),
        });
        res.end(file);
        return;
      }
      const route = routes.get(url.pathname);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = Buffer.concat(chunks).toString("utf8");
        const reply =
          (await route({ method: req.method ?? "GET", url, headers: req.headers, body })) ?? {};
        const json = reply.body !== undefined && typeof reply.body !== "string";
        res.writeHead(reply.status ?? 200, {
          ...(json ? { "content-type": "application/json" } : {}),
          ...reply.headers,
        });
        res.end(json ? JSON.stringify(reply.body) : (reply.body as string | undefined));
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium
    .launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
    .catch(async (e: unknown) => {
      server.close();
      throw e;
    });
  const context = await browser.newContext();
  const pageErrors: string[] = [];
  let pages = 0;
  const route = (more: Record<string, Route>) => {
    for (const [path, handler] of Object.entries(more)) routes.set(path, handler);
  };

  return {
    origin,
    context,
    pageErrors,
    route,
    async page(script, options = {}) {
      const n = ++pages;
      const js = `/page-${n}.js`;
      const path = options.path ?? `/page-${n}.html`;
      files.set(js, await bundle(script));
      files.set(
        path,
        `<!doctype html><html><head><meta charset="utf-8"><title>page ${n}</title></head>` +
          `<body><script src="${js}"></script></body></html>`,
      );
      fileHeaders.set(js, options.headers ?? {});
      fileHeaders.set(path, options.headers ?? {});
      if (options.routes) route(options.routes);
      const page = await context.newPage();
      page.on("pageerror", (e) => {
        pageErrors.push(`${e.message}\n${e.stack ?? ""}`);
        console.error(`[chromium page ${n}] ${e.stack ?? e.message}`);
      });
      if (options.init) await page.addInitScript(options.init);
      await page.goto(origin + path);
      return page;
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Opens one Chromium for the enclosing `describe` block, hands it to `set`, and closes it after
 * the block, failing it when any page threw an uncaught error.
 */
export function useBrowser(set: (browser: TestBrowser) => void): void {
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    browser = await openBrowser();
    set(browser);
  });
  afterAll(async () => {
    expect(browser?.pageErrors ?? []).toEqual([]);
    await browser?.close();
  });
}
