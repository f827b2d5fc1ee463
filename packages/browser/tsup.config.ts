import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts", lite: "src/lite.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2020",
    platform: "browser",
  },
  {
    // Script-tag users get everything bundled under the global `Closeloop`, which these
    // entries assign themselves (see src/global/index.ts for why not `globalName`).
    entry: { index: "src/global/index.ts", lite: "src/global/lite.ts" },
    format: ["iife"],
    minify: true,
    noExternal: [/.*/],
    target: "es2020",
    platform: "browser",
  },
]);
