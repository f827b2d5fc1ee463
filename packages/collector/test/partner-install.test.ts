// A partner's install of the client, as they would do it: the packed tarballs of @closeloop/core
// and @closeloop/node installed with npm into an empty project. Nothing may compile (no native
// addon, no database driver in the tree), and the installed package must work from ESM and from
// CommonJS against a real collector on loopback.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedbackPolicy, type Running, startCollector } from "./collector-harness.js";

const root = join(import.meta.dirname, "../../..");
const built = ["core", "node"].every((p) => existsSync(join(root, "packages", p, "dist")));
if (!built && process.env.CI === "true")
  throw new Error("CI=true: run pnpm build before the tests");
if (!built) console.warn("partner install skipped: packages not built (pnpm build)");

/** Every path under `dir` (relative), depth first. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, name)).isDirectory() ? [rel, ...walk(join(dir, name), rel)] : [rel];
  });
}

// One item sent through the installed package, and one API call (ky, which the CommonJS build
// carries itself); prints the delivered item's collector id.
const script = (load: string) => `${load}
const client = createClient({ endpoint: process.env.ENDPOINT, secretKey: process.env.SECRET_KEY });
const origins = await client.allowedOrigins.get();
if (!Array.isArray(origins)) throw new Error("allowedOrigins.get: " + JSON.stringify(origins));
client.on("response:delivered", ({ id }) => console.log(id));
await client.captureFeedback({ channel: "support", text: process.env.TEXT });
if (!(await client.flush())) throw new Error("not delivered");
await client.close();
`;

let dir = "";
let c: Running;
let installLog = "";
beforeAll(async () => {
  c = await startCollector();
  await c.call("PUT", "/v1/feedback-policy", c.sk, feedbackPolicy());
  if (!built) return;
  dir = mkdtempSync(join(tmpdir(), "closeloop-partner-"));
  const packs = join(dir, "packs");
  for (const p of ["core", "node"]) {
    execFileSync("pnpm", ["pack", "--pack-destination", packs], {
      cwd: join(root, "packages", p),
      stdio: "ignore",
    });
  }
  writeFileSync(join(dir, "package.json"), '{ "name": "partner", "private": true }');
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  installLog = execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--foreground-scripts", ...tarballs],
    { cwd: dir, encoding: "utf8" },
  );
  writeFileSync(join(dir, "send.mjs"), script('import { createClient } from "@closeloop/node";'));
  writeFileSync(
    join(dir, "send.cjs"),
    `(async () => {\n${script('const { createClient } = require("@closeloop/node");')}})().catch((e) => { console.error(e); process.exit(1); });\n`,
  );
}, 180_000);
afterAll(() => c?.close());

describe.skipIf(!built)("installing @closeloop/node from its tarball", () => {
  it("compiles nothing: no native addon, no better-sqlite3, no pg", () => {
    const tree = walk(join(dir, "node_modules"));
    expect(tree.filter((p) => /(^|\/)(better-sqlite3|pg)$/.test(p))).toEqual([]);
    expect(tree.filter((p) => p.endsWith(".node") || p.endsWith("binding.gyp"))).toEqual([]);
    expect(installLog).not.toMatch(/node-gyp|prebuild-install/);
  });

  it.each(["send.mjs", "send.cjs"])(
    "calls the API and delivers feedback to a collector from %s",
    async (file) => {
      const text = `partner install via ${file}`;
      // Not execFileSync: the collector runs in this process and must keep answering.
      const { stdout } = await promisify(execFile)(process.execPath, [file], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, ENDPOINT: c.url, SECRET_KEY: c.sk, TEXT: text },
      });
      const id = stdout.trim();
      expect(id).not.toBe("");
      const page = (await c.call("GET", "/v1/loops?limit=500", c.sk)).body as {
        loops: { source: { kind: string; id: string } }[];
      };
      expect(page.loops.map((l) => l.source)).toContainEqual({ kind: "feedback", id });
    },
    30_000,
  );
});
