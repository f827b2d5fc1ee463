import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the file's tests. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "closeloop-queue-"));
  made.push(d);
  return d;
}

/** The segment files of a queue directory, oldest first, with their sizes. */
export function segmentFiles(dir: string): { path: string; size: number }[] {
  return readdirSync(dir)
    .filter((n) => /^\d{16}\.log$/.test(n))
    .sort()
    .map((n) => ({ path: join(dir, n), size: statSync(join(dir, n)).size }));
}

export function diskBytes(dir: string): number {
  return segmentFiles(dir).reduce((a, s) => a + s.size, 0);
}
