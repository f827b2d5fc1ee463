// NUL and unpaired surrogates: PostgreSQL's jsonb cannot store them, and no real text has them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string (key or value) holding NUL or an unpaired surrogate, if any. */
export function badTextPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return BAD.test(value) ? path : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (BAD.test(k)) return p;
    const found = badTextPath(v, p);
    if (found !== undefined) return found;
  }
  return undefined;
}
