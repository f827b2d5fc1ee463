// How an app would bundle our browser packages, shared by `pnpm size` (scripts/size.mjs), the
// browser bench (bench/browser.mjs) and the test of the built lite entry: from the built files
// each package's `exports` names for `import`, with esbuild (minified, tree-shaken, browser
// platform, ES2020) and no tsconfig (docs/size.md).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The repository's root directory. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The ESM file `packages/<pkg>`'s `exports` names for `import` of `subpath`, as an app resolves it. */
export function published(pkg, subpath = ".") {
  const dir = join(root, "packages", pkg);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return join(dir, manifest.exports[subpath].import.default);
}

/** `contents` (an app entry) bundled and minified as an app's bundler ships it; its bytes. */
export async function bundleAsApp(contents, { format = "esm", loader = "js", define } = {}) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader },
    // No tsconfig: its `paths` would resolve the workspace packages to their sources, where an
    // app resolves `@closeloop/core` from node_modules to the published files.
    tsconfigRaw: {},
    bundle: true,
    minify: true,
    treeShaking: true,
    format,
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    ...(define ? { define } : {}),
  });
  return result.outputFiles[0].contents;
}
