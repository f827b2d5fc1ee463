import { defineConfig, type Options } from "tsup";

// Property names ending in `_` are internal to this package (the outbox's resolved options, its
// page-exit buffer, a prepared item, the bus's listener records): the build shortens them, as an
// app's minifier cannot (an object's keys are kept). No such name is public, on the wire or in
// stored records, and none is read by another package (docs/size.md).
const mangle: Options["esbuildOptions"] = (options) => {
  options.mangleProps = /_$/;
};

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
    esbuildOptions: mangle,
  },
  {
    // CommonJS (Node's `require`) is not tree-shaken by anyone; one file is simplest.
    entry: ["src/index.ts"],
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "es2022",
    treeshake: true,
    esbuildOptions: mangle,
  },
]);
