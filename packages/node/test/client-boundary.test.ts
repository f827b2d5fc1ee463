// @closeloop/node is the client: it carries nothing of the collector (which is
// @closeloop/collector) and no native addon, so a partner installs it without compiling anything.
// Its one other dependency is ky (pure JS), for the API calls' retries and timeouts.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");

function files(path: string): string[] {
  if (path.endsWith(".ts")) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => files(join(path, e.name)));
}

describe("@closeloop/node, the client", () => {
  it("imports only its own files, @closeloop/core, ky and Node's built-ins", () => {
    const foreign = files(src).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/^(?:import|export|\}).* from "([^"]+)"/gm)]
        .map((m) => m[1] as string)
        .filter(
          (s) =>
            !s.startsWith(".") && !s.startsWith("node:") && s !== "@closeloop/core" && s !== "ky",
        )
        .map((s) => `${relative(src, f)}: ${s}`),
    );
    expect(foreign).toEqual([]);
  });

  it("depends on @closeloop/core and ky alone: no database driver, no native addon", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).toEqual(["@closeloop/core", "ky"]);
    expect(pkg.bin).toBeUndefined();
  });
});
