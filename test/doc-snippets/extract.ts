import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a doc says about the fenced block that follows its marker comment:
 * - `run`: runs for real (a `ts`/`js` block as a Node script, a `sh` block with bash) against a
 *   collector on loopback, and must exit 0;
 * - `serve`: a `sh` block that starts `closeloop serve`; it must start listening and stop on
 *   SIGTERM;
 * - `typecheck`: type-checked against the packages' public types (browser code, fragments that
 *   need a page);
 * - `shape`: not code — a type's shape or an outline, written as TypeScript for its colours.
 */
export type SnippetMode = "run" | "serve" | "typecheck" | "shape";

/** A fenced code block of a doc, with the marker before it, if any. */
export interface Snippet {
  /** The doc's file name, e.g. `getting-started.md`. */
  doc: string;
  /** The 1-based line of the opening fence. */
  line: number;
  /** The fence's info string: `ts`, `tsx`, `js`, `sh`, `json`… */
  lang: string;
  code: string;
  /** From `<!-- snippet: <mode> -->` on the line(s) before the fence; undefined without one. */
  mode?: SnippetMode;
  /** Set when the block carries another test's marker (`<!-- receiver-example: … -->`). */
  otherMarker?: string;
}

const MODES: readonly string[] = ["run", "serve", "typecheck", "shape"];

/**
 * The fenced blocks of `docs/*.md` (not `docs/api/`, which is generated). A marker is an HTML
 * comment alone on the last non-blank line before the fence, so it renders as nothing; an
 * unknown mode is an error rather than a block silently left unchecked.
 */
export function docSnippets(docsDir: string): Snippet[] {
  const out: Snippet[] = [];
  for (const doc of readdirSync(docsDir).filter((f) => f.endsWith(".md"))) {
    const lines = readFileSync(join(docsDir, doc), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\w*)\s*$/.exec(lines[i] as string);
      if (!open) continue;
      const start = i;
      let end = i + 1;
      while (end < lines.length && lines[end] !== "```") end++;
      let prev = start - 1;
      while (prev >= 0 && (lines[prev] as string).trim() === "") prev--;
      const before = prev >= 0 ? (lines[prev] as string).trim() : "";
      const snippet: Snippet = {
        doc,
        line: start + 1,
        lang: open[1] ?? "",
        code: lines.slice(start + 1, end).join("\n"),
      };
      const marker = /^<!--\s*snippet:\s*([\w-]+)\s*-->$/.exec(before);
      if (marker) {
        const mode = marker[1] as string;
        if (!MODES.includes(mode)) {
          throw new Error(`${doc}:${prev + 1}: unknown snippet mode "${mode}"`);
        }
        snippet.mode = mode as SnippetMode;
      } else if (/^<!--.*-->$/.test(before)) {
        snippet.otherMarker = before;
      }
      out.push(snippet);
      i = end;
    }
  }
  return out;
}
