// docs/http-api.md is the OpenAPI document rendered by scripts/http-api-docs.mjs; this holds the
// checked-in file to what the script writes now, so the HTTP reference cannot drift from the API.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openApiPath } from "../src/openapi/document.js";
import { OPERATIONS } from "../src/openapi/operations.js";

const root = join(import.meta.dirname, "../../..");
const script = join(root, "scripts/http-api-docs.mjs");
const docPath = join(root, "docs/http-api.md");
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [script, ...args], { cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("docs/http-api.md", () => {
  it("is what `node scripts/http-api-docs.mjs` writes from the document now", async () => {
    const r = await run("--check");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 60_000);

  it("fails the check when the file differs from the document", async () => {
    const stale = join(mkdtempSync(join(tmpdir(), "closeloop-http-api-")), "http-api.md");
    writeFileSync(stale, readFileSync(docPath, "utf8").replace("invalid_transition", "bad_move"));
    const r = await run("--check", "--file", stale);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is out of date");
  }, 60_000);

  it("shows every route with its curl example", () => {
    const text = readFileSync(docPath, "utf8");
    for (const op of OPERATIONS) {
      const path = openApiPath(op.path);
      const section = text.split(`### ${op.method} ${path}\n`)[1]?.split("\n### ")[0] ?? "";
      expect(section, `${op.method} ${path}`).toContain("```sh\ncurl -sS");
      for (const e of op.errors) expect(section).toContain(`\`${e.code}\``);
    }
  });
});
