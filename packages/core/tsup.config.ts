import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The ESM files mirror src/, one file per module, so an app's bundler drops the modules it
    // does not use (the package is `sideEffects: false`). One bundled file would keep every zod
    // schema of the package in every app: a schema is built by calls a bundler cannot prove
    // pure, so within one module it stays. The browser's lite entry, bundled from such a file,
    // was 17.1 KB gzip instead of 6.1 KB (docs/size.md).
    entry: ["src/**/*.ts"],
    bundle: false,
    format: ["esm"],
    dts: { entry: "src/index.ts" },
    clean: true,
    sourcemap: true,
    target: "es2022",
  },
  {
    // CommonJS (Node's `require`) is not tree-shaken by anyone; one file is simplest.
    entry: ["src/index.ts"],
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "es2022",
    treeshake: true,
  },
]);
