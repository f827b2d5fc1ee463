import { defineConfig, type Options } from "tsup";

const common: Options = {
  entry: ["src/index.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
};

// The build script empties dist first: the two builds run side by side, so neither may clean.
export default defineConfig([
  { ...common, format: ["esm"] },
  // ky is ESM only: `require("ky")` fails before Node 20.19, and where it works esbuild's
  // interop takes the namespace for the default export. The CommonJS build carries its own copy.
  { ...common, format: ["cjs"], noExternal: ["ky"] },
]);
