import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    // import.meta.url (the drivers' lazy require) in the CommonJS build too.
    shims: true,
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
    platform: "node",
  },
  {
    // The `closeloop` command; its shebang line is kept by esbuild.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
  },
]);
