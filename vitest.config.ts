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

// One workspace config: each package is a project, run together by `pnpm test`.
export default defineConfig({
  test: {
    projects: [
      { resolve, test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"] } },
      {
        resolve,
        test: { name: "browser", root: "packages/browser", include: ["test/**/*.test.ts"] },
      },
      { resolve, test: { name: "node", root: "packages/node", include: ["test/**/*.test.ts"] } },
      {
        resolve,
        test: { name: "collector", root: "packages/collector", include: ["test/**/*.test.ts"] },
      },
      // The docs' snippets (test/doc-snippets.test.ts), run against the sources.
      { resolve, test: { name: "docs", root: ".", include: ["test/**/*.test.ts"] } },
    ],
  },
});
