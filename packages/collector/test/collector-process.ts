// `closeloop serve` as a real child process, for the tests about process death and restarts
// (SIGKILL, SIGTERM, a database that goes away): the CLI's sources bundled once per file.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { bundleForNode } from "../../node/test/bundle.js";

/**
 * Bundles the CLI to `name`.mjs beside packages/collector/node_modules (so it finds better-sqlite3
 * and pg); a name per test file, as files run in parallel. Answers the script's path.
 */
export function bundleCli(name: string): Promise<string> {
  const out = join(import.meta.dirname, `../node_modules/.cache/closeloop-process/${name}.mjs`);
  return bundleForNode(join(import.meta.dirname, "../src/cli/main.ts"), out, [
    "better-sqlite3",
    "pg",
  ]);
}

/** A running `closeloop serve`. */
export interface CollectorProcess {
  child: ChildProcess;
  /** Its stdout, line by line, as they come. */
  lines: string[];
  stderr(): string;
  /** `http://127.0.0.1:<port>`, from its `listening on` line. */
  url: string;
  /** The keys it printed on a first start, if it printed them. */
  publicKey?: string;
  secretKey?: string;
  /** Resolves when it exits, with its exit code (null when a signal ended it) and that signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `closeloop serve <args> --port 0` and waits until it listens (or fails the test). */
export async function serveProcess(
  cli: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [cli, "serve", ...args, "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let err = "";
  let rest = "";
  child.stdout?.on("data", (b: Buffer) => {
    const parts = (rest + b.toString()).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr?.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const listening = () => lines.find((l) => l.includes("listening on"));
  await expect
    .poll(() => (gone ? `exited: ${err}` : listening() !== undefined), { timeout: 30_000 })
    .toBe(true);
  const printed = (label: string) =>
    lines.find((l) => l.startsWith(`${label}: `))?.slice(label.length + 2);
  const started: CollectorProcess = {
    child,
    lines,
    stderr: () => err,
    url: /listening on (\S+)/.exec(listening() ?? "")?.[1] as string,
    exited,
  };
  const publicKey = printed("public key");
  const secretKey = printed("secret key");
  if (publicKey) started.publicKey = publicKey;
  if (secretKey) started.secretKey = secretKey;
  return started;
}
