import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run against the sources, so `pnpm test` needs no build first.
const resolve = {
  alias: {
    "@closeloop/core": fileURLToPath(new URL("packages/core/src/index.ts", import.meta.url)),
    "@closeloop/node": fileURLToPath(new URL("packages/node/src/index.ts", import.meta.url)),
    "@closeloop/browser": fileURLToPath(new URL("packages/browser/src/index.ts", import.meta.url)),
    // The browser's Chromium tests and the client's integration tests run a real collector.
    "@closeloop/collector": fileURLToPath(
      new URL("packages/collector/src/index.ts", import.meta.url),
    ),
  },
};

// How long a test may wait for its processes, browsers and servers. Tests assert behaviour, never
// speed (benchmarks measure that), and on a busy 2-core machine a real Chromium page or an
// `npm pack` can take longer than vitest's default 5 s.
const testTimeout = 20_000;

/** A project: one package's tests (or the docs'), run against the sources. */
const project = (name: string, root: string) => ({
  resolve,
  test: { name, root, include: ["test/**/*.test.ts"], testTimeout },
});

// One workspace config: each package is a project, run together by `pnpm test`.
export default defineConfig({
  test: {
    projects: [
      project("core", "packages/core"),
      project("browser", "packages/browser"),
      project("node", "packages/node"),
      project("collector", "packages/collector"),
      // The docs' snippets (test/doc-snippets.test.ts).
      project("docs", "."),
    ],
  },
});
