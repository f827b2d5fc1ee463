// What `npm pack` puts in each published tarball: its README and the license travel with the
// code, and nothing from src/ or test/ does.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

describe.each(["core", "browser", "node", "collector"])("the @closeloop/%s tarball", (name) => {
  it("carries README.md, LICENSE and package.json beside dist/, and no sources or tests", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: join(root, "packages", name),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map(
      (f) => f.path,
    ) as string[];
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !f.startsWith("dist/")).sort()).toEqual([
      "LICENSE",
      "README.md",
      ...(name === "collector" ? ["bin/closeloop.mjs"] : []),
      "package.json",
    ]);
  });
});
