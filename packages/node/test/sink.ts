// Starts and kills the collector stand-in (fixtures/sink.mjs) in a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

const SINK = join(import.meta.dirname, "fixtures/sink.mjs");

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Starts the sink on `port`, logging every item it takes to `log`; resolves once it listens. */
export async function startSink(port: number, log: string, delayMs = 0): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SINK, String(port), log, String(delayMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`sink exited with ${code}`)));
  });
  return child;
}

/** SIGKILLs a child and waits for it to be gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}
