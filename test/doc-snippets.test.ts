// The docs stay true to the code: every TypeScript or JavaScript block in docs/*.md carries a
// marker (test/doc-snippets/extract.ts) saying how it is checked, and this file checks it.
//
// - `<!-- snippet: run -->` blocks run for real, in document order, each doc against its own
//   collector (a fresh SQLite file `closeloop.db` in a temporary directory, which is also the
//   snippets' working directory, with the example `survey.json` and `feedback-policy.json`
//   beside it). What a reader would change is changed here, and only this: the collector's
//   address `http://127.0.0.1:7345` becomes the test collector's, and its keys come in
//   CLOSELOOP_PUBLIC_KEY and CLOSELOOP_SECRET_KEY (and a collector a snippet embeds listens on
//   port 0, not 7345). TypeScript and JavaScript run as Node ESM
//   scripts (bundled with the packages' sources), shell with bash, `closeloop` being the CLI
//   built from the sources. A snippet passes when it exits 0: many assert what the prose claims.
// - `<!-- snippet: serve -->` blocks start `closeloop serve` (on port 0, in a directory of their
//   own), which must listen, then stop on SIGTERM.
// - Every `ts`/`tsx` block marked `run` or `typecheck` is type-checked against the packages'
//   public types, as one program (`tsx` with React's JSX).
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCollector,
  type ListeningCollector,
  provision,
  sqliteStore,
  startWebhookWorker,
  type WebhookWorker,
} from "@closeloop/collector";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docSnippets, type Snippet } from "./doc-snippets/extract.js";

const ROOT = join(import.meta.dirname, "..");
const snippets = docSnippets(join(ROOT, "docs"));
const CODE_LANGS = ["ts", "tsx", "js"];
// Under packages/collector/node_modules, so the bundles find better-sqlite3 and pg from there.
const OUT = join(ROOT, "packages/collector/node_modules/.cache/closeloop-doc-snippets");
// Under packages/browser/node_modules, so `react` and its types resolve from the snippets.
const TYPES_OUT = join(ROOT, "packages/browser/node_modules/.cache/closeloop-doc-snippets");
const SOURCES = {
  "@closeloop/core": join(ROOT, "packages/core/src/index.ts"),
  "@closeloop/node": join(ROOT, "packages/node/src/index.ts"),
  "@closeloop/collector": join(ROOT, "packages/collector/src/index.ts"),
  "@closeloop/browser/react": join(ROOT, "packages/browser/src/react.ts"),
  "@closeloop/browser/lite": join(ROOT, "packages/browser/src/lite.ts"),
  "@closeloop/browser": join(ROOT, "packages/browser/src/index.ts"),
};
const CLI = join(OUT, "cli.mjs");
const DOC_ADDRESS = /http:\/\/(127\.0\.0\.1|localhost):7345/g;
/** A collector embedded by a snippet listens on a free port rather than the documented one. */
const DOC_PORT = /port: 7345\b/g;

/** Bundles a Node script with the packages resolved to their sources. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    external: ["better-sqlite3", "pg"],
    alias: SOURCES,
    banner: {
      // `require` for the CommonJS packages left external.
      js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
}

const where = (s: Snippet) => `docs/${s.doc}:${s.line}`;
const fileName = (s: Snippet) => `${s.doc.replace(/\.md$/, "")}-${s.line}`;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await bundle(join(ROOT, "packages/collector/src/cli/main.ts"), CLI);
}, 60_000);

describe("doc snippets: markers", () => {
  it("finds the docs' runnable snippets", () => {
    // A marker lost in an edit must not turn a checked snippet into an unchecked one.
    const count = (doc: string, mode: string) =>
      snippets.filter((s) => s.doc === doc && s.mode === mode).length;
    expect(count("getting-started.md", "run")).toBeGreaterThanOrEqual(3);
    expect(count("getting-started.md", "typecheck")).toBeGreaterThanOrEqual(2);
    expect(count("node.md", "run")).toBeGreaterThanOrEqual(3);
    expect(count("self-hosting.md", "run")).toBeGreaterThanOrEqual(3);
    expect(count("security.md", "run")).toBeGreaterThanOrEqual(1);
    expect(count("browser.md", "typecheck")).toBeGreaterThanOrEqual(3);
    expect(count("metrics.md", "run")).toBeGreaterThanOrEqual(1);
    expect(count("desk.md", "run")).toBeGreaterThanOrEqual(1);
    expect(count("webhooks.md", "run")).toBeGreaterThanOrEqual(1);
  });

  it("gives every TypeScript and JavaScript block of docs/ a marker", () => {
    const unmarked = snippets
      .filter((s) => CODE_LANGS.includes(s.lang) && !s.mode && !s.otherMarker)
      .map(where);
    expect(unmarked, "mark each with <!-- snippet: run | typecheck | shape -->").toEqual([]);
    const misplaced = snippets
      .filter((s) => s.mode === "serve" && s.lang !== "sh")
      .concat(snippets.filter((s) => s.mode === "run" && ![...CODE_LANGS, "sh"].includes(s.lang)))
      .concat(snippets.filter((s) => s.mode === "run" && s.lang === "tsx"))
      .map(where);
    expect(misplaced, "run: ts, js or sh (tsx: typecheck); serve: sh").toEqual([]);
  });
});

describe("doc snippets: types", () => {
  it("type-checks every ts and tsx snippet marked run or typecheck against the packages", () => {
    const checked = snippets.filter(
      (s) => (s.lang === "ts" || s.lang === "tsx") && (s.mode === "run" || s.mode === "typecheck"),
    );
    mkdirSync(TYPES_OUT, { recursive: true });
    const files = new Map<string, Snippet>();
    for (const s of checked) {
      const file = join(TYPES_OUT, `${fileName(s)}.${s.lang}`);
      // Each snippet is a module of its own (`export {}`), so two snippets' names never clash.
      const pragma = s.lang === "tsx" ? "/** @jsxImportSource react */\n" : "";
      writeFileSync(file, `${pragma}${s.code}\nexport {};\n`);
      files.set(file, s);
    }
    const program = ts.createProgram([...files.keys()], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules/@types")],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      jsx: ts.JsxEmit.ReactJSX,
      noEmit: true,
      resolveJsonModule: true,
      paths: Object.fromEntries(Object.entries(SOURCES).map(([k, v]) => [k, [v]])),
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      // Only the snippets' own errors: the sources are type-checked by `pnpm typecheck`.
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const s = files.get(d.file?.fileName as string) as Snippet;
        const { line } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0 };
        const offset = s.lang === "tsx" ? 1 : 0;
        return `docs/${s.doc}:${s.line + line + 1 - offset}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(checked.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 120_000);
});

/** A process's output, kept for the failure message. */
function spawnWith(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: a shell and what it starts stop together
  });
  let output = "";
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, exited, output: () => output };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
}

// `closeloop` (and `npx closeloop`) in a shell snippet is the CLI built from the sources.
const SHELL_PRELUDE = `set -euo pipefail
closeloop() { node ${JSON.stringify(CLI)} "$@"; }
npx() { if [ "$1" = closeloop ]; then shift; closeloop "$@"; else command npx "$@"; fi; }
`;

const docsWithRunnable = [
  ...new Set(snippets.filter((s) => s.mode === "run" || s.mode === "serve").map((s) => s.doc)),
];

for (const doc of docsWithRunnable) {
  describe(`docs/${doc}`, () => {
    let dir = "";
    let listening: ListeningCollector;
    let worker: WebhookWorker;
    let closeStore: () => Promise<void>;
    const env: NodeJS.ProcessEnv = {};

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `closeloop-doc-${doc.replace(/\.md$/, "")}-`));
      for (const f of ["survey.json", "feedback-policy.json"]) {
        copyFileSync(join(ROOT, "examples/backend-loop", f), join(dir, f));
      }
      const store = sqliteStore(join(dir, "closeloop.db"));
      await store.migrate();
      const keys = await provision(store);
      listening = await createCollector({ store, onError: () => undefined }).listen({ port: 0 });
      // Deliveries every 100 ms, so a snippet's own receiver hears its webhooks soon.
      worker = startWebhookWorker({ store, intervalMs: 100, timeoutMs: 2_000 });
      closeStore = () => store.close();
      Object.assign(env, process.env, {
        CLOSELOOP_PUBLIC_KEY: keys.publicKey,
        CLOSELOOP_SECRET_KEY: keys.secretKey,
      });
    }, 30_000);

    afterAll(async () => {
      await worker?.stop();
      await listening?.close();
      await closeStore?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const s of snippets.filter(
      (x) => x.doc === doc && (x.mode === "run" || x.mode === "serve"),
    )) {
      it(`${s.mode}s the ${s.lang} block at line ${s.line}`, async () => {
        const code = s.code.replace(DOC_ADDRESS, listening.url).replace(DOC_PORT, "port: 0");
        if (s.mode === "serve") return serveSnippet(s, code);
        let run: ReturnType<typeof spawnWith>;
        if (s.lang === "sh") {
          run = spawnWith("bash", ["-c", SHELL_PRELUDE + code], dir, env);
        } else {
          const source = join(OUT, `${fileName(s)}.${s.lang === "ts" ? "ts" : "mjs"}`);
          const script = join(OUT, `${fileName(s)}.bundle.mjs`);
          writeFileSync(source, code);
          await bundle(source, script);
          run = spawnWith(process.execPath, [script], dir, env);
        }
        const timer = setTimeout(() => stopGroup(run.child, "SIGKILL"), 40_000);
        const status = await run.exited;
        clearTimeout(timer);
        expect(status, `${where(s)} exited ${status}:\n${run.output()}`).toBe(0);
      }, 60_000);
    }

    /** `closeloop serve …`: listens (keys printed on its fresh store), then stops on SIGTERM. */
    async function serveSnippet(s: Snippet, code: string) {
      const own = join(dir, `serve-${s.line}`);
      mkdirSync(own);
      const { CLOSELOOP_PUBLIC_KEY, CLOSELOOP_SECRET_KEY, ...rest } = env;
      // `exec`: the shell becomes the collector, so SIGTERM reaches it and its exit is awaited.
      const command = code
        .replace(/^(npx )?closeloop /m, `exec node ${JSON.stringify(CLI)} `)
        .replace(/--port \d+/g, "--port 0");
      const run = spawnWith("bash", ["-c", SHELL_PRELUDE + command], own, rest);
      try {
        await expect
          .poll(() => run.output(), { timeout: 20_000, interval: 50 })
          .toMatch(/closeloop collector listening on http:\/\/\S+/);
        expect(run.output()).toMatch(/^public key: pk_\S+\nsecret key: sk_\S+\n/);
      } finally {
        stopGroup(run.child);
      }
      await run.exited;
      expect(run.output(), where(s)).toContain("closeloop collector stopped (SIGTERM)");
    }
  });
}
