import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2020",
    platform: "browser",
  },
  {
    // Script-tag users get everything bundled under the global `Closeloop`.
    entry: { index: "src/index.ts" },
    format: ["iife"],
    globalName: "Closeloop",
    minify: true,
    noExternal: [/.*/],
    target: "es2020",
    platform: "browser",
  },
]);
