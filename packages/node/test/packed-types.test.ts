// The packed tarballs as a user installs them: `pnpm pack` core and browser, `npm install` them
// into a scratch project, and compile an import of every entry under node16, nodenext and
// bundler resolution with `skipLibCheck: false` and no @types/node — so the published `.d.ts`
// need nothing the user did not ask for. (@closeloop/node's install is tested from its tarball in
// packages/collector/test/partner-install.test.ts.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const built = ["core", "browser"].every((p) => existsSync(join(root, "packages", p, "dist")));
if (!built && process.env.CI === "true")
  throw new Error("CI=true: run pnpm build before the tests");
if (!built) console.warn("packed-types skipped: packages not built (pnpm build)");

const SOURCE = `import { createOutbox, createHttpTransport, memoryQueueStore, defineSurvey, type Survey } from "@closeloop/core";
import { init } from "@closeloop/browser";
import { init as lite } from "@closeloop/browser/lite";
const outbox = createOutbox({ store: memoryQueueStore(), transport: createHttpTransport({ endpoint: "http://x", key: "pk_1" }) });
outbox.bus.on("delivery:failed", (e) => e.error.code.toUpperCase());
export const survey: Survey | undefined = undefined;
export { init, lite, defineSurvey };
`;

let dir = "";
beforeAll(() => {
  if (!built) return;
  dir = mkdtempSync(join(tmpdir(), "closeloop-packed-"));
  const packs = join(dir, "packs");
  for (const p of ["core", "browser"]) {
    execFileSync("pnpm", ["pack", "--pack-destination", packs], {
      cwd: join(root, "packages", p),
      stdio: "ignore",
    });
  }
  writeFileSync(
    join(dir, "package.json"),
    '{ "name": "scratch", "private": true, "type": "module" }',
  );
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", ...tarballs], {
    cwd: dir,
    stdio: "ignore",
  });
  writeFileSync(join(dir, "index.ts"), SOURCE);
}, 120_000);

describe.skipIf(!built)("the packed types of core and browser", () => {
  it.each([
    ["node16", "node16"],
    ["nodenext", "nodenext"],
    ["bundler", "esnext"],
  ])(
    "compile under moduleResolution %s with skipLibCheck false and no @types/node",
    (resolution, module) => {
      const config = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          module,
          moduleResolution: resolution,
          target: "es2022",
          lib: ["es2022", "dom"],
          skipLibCheck: false,
          types: [],
        },
        files: ["index.ts"],
      };
      writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify(config));
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      let output = "";
      try {
        execFileSync(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], {
          cwd: dir,
          encoding: "utf8",
        });
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(output).toBe("");
    },
    60_000,
  );
});
