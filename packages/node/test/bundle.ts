// Child processes in tests run our TypeScript sources: bundled here with esbuild for Node.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";

/**
 * Bundles `entry` (a .ts file) to `outfile` as an ESM script for Node, with `@closeloop/core`
 * and `@closeloop/node` resolved to their sources. Native and driver packages stay `external`: put `outfile` under
 * packages/collector/node_modules when the script needs them, so Node finds them from there.
 */
export async function bundleForNode(
  entry: string,
  outfile: string,
  external: string[] = [],
): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external,
    alias: {
      "@closeloop/core": join(import.meta.dirname, "../../core/src/index.ts"),
      "@closeloop/node": join(import.meta.dirname, "../src/index.ts"),
    },
    banner: {
      // `require` for the CommonJS packages left external, under a name no bundled module uses.
      js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
  return outfile;
}
