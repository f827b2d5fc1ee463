import type { Answers, Survey } from "@closeloop/core";

/** The longest quote a closure notice carries: a reminder of what was said, not the whole of it. */
export const QUOTE_MAX = 280;

/**
 * What the respondent wrote, as the closure notice's "You told us …": the response's open-text
 * answers in question order, else the text of an "other" choice. Undefined when they wrote nothing.
 */
export function responseQuote(
  questions: Survey["questions"],
  answers: Answers,
): string | undefined {
  const written: string[] = [];
  for (const q of questions) {
    const value = answers[q.id];
    if (q.type === "open_text" && typeof value === "string") written.push(value);
  }
  if (written.length === 0) {
    for (const q of questions) {
      const value = answers[q.id];
      const list = Array.isArray(value) ? value : [value];
      for (const v of list) if (typeof v === "object" && v !== null) written.push(v.other);
    }
  }
  return quote(written.join(" "));
}

/**
 * `text` with its whitespace folded, cut to {@link QUOTE_MAX} characters at a word boundary with
 * "…" when longer (never inside a surrogate pair); undefined when nothing is left.
 */
export function quote(text: string): string | undefined {
  const folded = text.replace(/\s+/g, " ").trim();
  if (folded === "") return undefined;
  // Code units are at least as many as code points: a text this short needs no cut.
  if (folded.length <= QUOTE_MAX) return folded;
  const chars = Array.from(folded);
  if (chars.length <= QUOTE_MAX) return folded;
  const head = chars.slice(0, QUOTE_MAX - 1).join("");
  const space = head.lastIndexOf(" ");
  // A word longer than half the quote is cut where it stands rather than leaving a stub.
  const cut = space > QUOTE_MAX / 2 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}
