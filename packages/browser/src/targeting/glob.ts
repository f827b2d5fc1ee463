/**
 * Whether `text` matches `glob` as a whole: `**` is any run of characters, `*` any run without
 * `/`, `?` one character other than `/`; every other character stands for itself (there is no
 * escape). Runs as a set-of-states automaton in O(glob × text) steps, so no glob, however many
 * stars it has, can make it backtrack (docs/targeting.md).
 *
 * @example
 * globMatches("/app/*", "/app/42"); // true
 * globMatches("/app/*", "/app/42/settings"); // false: `*` stops at `/`
 * globMatches("/docs/**", "/docs/a/b"); // true
 */
export function globMatches(glob: string, text: string): boolean {
  const tokens = glob.match(/\*\*|[\s\S]/gu) ?? [];
  // live[i]: the text read so far can end just before tokens[i].
  let live = [true];
  // Code point by code point ("" marks the end), so `?` takes a whole emoji.
  for (const c of [...text, ""]) {
    const next: boolean[] = [];
    tokens.forEach((t, i) => {
      if (!live[i]) return;
      if (t[0] === "*") {
        // A star may match nothing (so whoever reaches it reaches the next token, visited
        // after this one), or take `c` and stay.
        live[i + 1] = true;
        if (c && (t[1] || c !== "/")) next[i] = true;
      } else if (c && (t === c || (t === "?" && c !== "/"))) next[i + 1] = true;
    });
    if (!c) return !!live[tokens.length];
    live = next;
  }
  return false; // not reached: the loop ends on ""
}
