// Writes docs/api/<package>.md from each package's public exports and their JSDoc, so the API
// reference is the code's own documentation. `--check` fails when a file is out of date.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const packages = ["core", "browser", "node", "collector"];

function kindOf(decl) {
  if (ts.isFunctionDeclaration(decl)) return "function";
  if (ts.isClassDeclaration(decl)) return "class";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  if (ts.isVariableDeclaration(decl)) return "const";
  return "export";
}

function render(pkg) {
  const entry = join(root, "packages", pkg, "src/index.ts");
  const program = ts.createProgram([entry], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    // The other packages document core's exports by name only, from core's sources.
    baseUrl: root,
    paths: {
      "@closeloop/core": ["packages/core/src/index.ts"],
      "@closeloop/node": ["packages/node/src/index.ts"],
    },
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const exports = checker.getExportsOfModule(moduleSymbol);
  const out = [
    `# @closeloop/${pkg} API`,
    "",
    `Generated from the JSDoc of \`packages/${pkg}/src/index.ts\` by \`node scripts/api-docs.mjs\`; do not edit by hand.`,
    "",
  ];
  const sections = new Map();
  const fromCore = [];
  for (const exported of exports) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    if (!decl) continue;
    if (pkg !== "core" && decl.getSourceFile().fileName.startsWith(`${root}/packages/core/`)) {
      fromCore.push(exported.name);
      continue;
    }
    const kind = kindOf(decl);
    const file = decl.getSourceFile().fileName.replace(`${root}/packages/${pkg}/src/`, "");
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol
      .getJsDocTags(checker)
      .map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text ?? []).trim() }));
    let signature = "";
    if (kind === "function") {
      const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
      signature = type
        .getCallSignatures()
        .map(
          (s) =>
            `${exported.name}${checker.signatureToString(s, undefined, ts.TypeFormatFlags.NoTruncation)}`,
        )
        .join("\n");
    } else if (kind === "type" || kind === "interface" || kind === "class") {
      signature = "";
    }
    const section = sections.get(file) ?? [];
    section.push({ name: exported.name, kind, doc, tags, signature });
    sections.set(file, section);
  }
  for (const [file, items] of [...sections].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`## ${file}`, "");
    for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(`### \`${item.name}\` (${item.kind})`, "");
      if (item.signature) out.push("```ts", item.signature, "```", "");
      if (item.doc) out.push(item.doc, "");
      for (const t of item.tags) {
        if (t.name === "example") out.push("```ts", t.text, "```", "");
        else if (t.name === "throws") out.push(`Throws: ${t.text}`, "");
        else if (t.name === "see") out.push(`See \`${t.text}\`.`, "");
      }
    }
  }
  if (fromCore.length > 0) {
    out.push(
      "## Re-exported from @closeloop/core",
      "",
      `Documented in [core.md](core.md): ${fromCore
        .sort((a, b) => a.localeCompare(b))
        .map((n) => `\`${n}\``)
        .join(", ")}.`,
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

let stale = 0;
for (const pkg of packages) {
  const path = join(root, "docs/api", `${pkg}.md`);
  const text = render(pkg);
  if (check) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {}
    if (current !== text) {
      console.error(`${path} is out of date: run node scripts/api-docs.mjs`);
      stale++;
    }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) process.exitCode = 1;
