import { defineConfig, type Options } from "tsup";

// Property names ending in `_` are internal to this package (the client's parts and resolved
// options, the key-value store, the queue backends): every build shortens them, as an app's
// minifier cannot (an object's keys are kept). No such name is public, on the wire or in stored
// records, and none is read by another package (docs/size.md).
const mangle: Options["esbuildOptions"] = (options) => {
  options.mangleProps = /_$/;
};

export default defineConfig([
  {
    // The ESM files mirror src/, one file per module, as @closeloop/core's do: an app's bundler
    // then sees what `pnpm size` measures and keeps only the modules an entry uses.
    entry: ["src/**/*.ts", "!src/global/**", "!src/react.ts", "!src/react/**"],
    bundle: false,
    format: ["esm"],
    dts: { entry: { index: "src/index.ts", lite: "src/lite.ts" } },
    clean: true,
    sourcemap: true,
    target: "es2020",
    platform: "browser",
    esbuildOptions: mangle,
  },
  {
    entry: { index: "src/index.ts", lite: "src/lite.ts" },
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "es2020",
    platform: "browser",
    esbuildOptions: mangle,
  },
  {
    // The React bindings: React stays the app's (a peer), and the file is marked as client
    // code, so a Next.js server component may import it (its effects run only in browsers).
    entry: { react: "src/react.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    target: "es2020",
    platform: "browser",
    esbuildOptions: mangle,
    external: ["react", "@closeloop/browser"],
    banner: { js: '"use client";' },
  },
  {
    // Script-tag users get everything bundled under the global `Closeloop`, which these
    // entries assign themselves (see src/global/index.ts for why not `globalName`). This file is
    // the one a page downloads, so it is minified by terser, whose names gzip better than
    // esbuild's: −256 B gzip on lite, −667 B on the full SDK (docs/size.md).
    entry: { index: "src/global/index.ts", lite: "src/global/lite.ts" },
    format: ["iife"],
    minify: "terser",
    terserOptions: { ecma: 2020, compress: { passes: 2 } },
    noExternal: [/.*/],
    target: "es2020",
    platform: "browser",
    esbuildOptions: mangle,
  },
]);
