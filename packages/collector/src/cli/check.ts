import { readFile } from "node:fs/promises";
import { checkSurvey } from "@closeloop/core";

/**
 * `closeloop check <survey files…>`: runs the no-partial-loop gate on each file and prints every
 * issue as `file: path: message [code]`. Resolves the exit code: 1 when any file has an issue
 * (or cannot be read as JSON), else 0. Warnings are printed and do not fail.
 */
export async function check(files: string[], out: (line: string) => void): Promise<number> {
  if (files.length === 0) {
    out("usage: closeloop check <survey.json…>");
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    let input: unknown;
    try {
      input = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      out(`${file}: cannot read as JSON: ${(e as Error).message}`);
      failed++;
      continue;
    }
    const result = checkSurvey(input);
    for (const i of result.issues) out(`${file}: ${i.path || "(root)"}: ${i.message} [${i.code}]`);
    for (const w of result.warnings) out(`${file}: warning: ${w.path}: ${w.message} [${w.code}]`);
    if (result.ok) out(`${file}: ok — every segment has a complete loop`);
    else failed++;
  }
  return failed > 0 ? 1 : 0;
}
