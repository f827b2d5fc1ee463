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
    // Script-tag users get everything bundled under the global `Closeloop`.
    entry: { index: "src/index.ts", lite: "src/lite.ts" },
    format: ["iife"],
    globalName: "Closeloop",
    minify: true,
    noExternal: [/.*/],
    target: "es2020",
    platform: "browser",
  },
]);
