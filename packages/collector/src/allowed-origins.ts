import { type Issue, ValidationError } from "@closeloop/core";

/** The entry that lets every origin use an environment's public-key routes. */
export const ANY_ORIGIN = "*";
/** Most origins one environment may list. */
export const MAX_ALLOWED_ORIGINS = 100;
/** Longest origin taken: a scheme, a 253-character host and a port fit well within it. */
const MAX_ORIGIN_LENGTH = 300;

/**
 * Why `value` is not an origin a browser could send in its `Origin` header, or `undefined` when
 * it is one. An origin is a scheme (http or https), a host and an optional port, written as
 * browsers serialise it: lower case, no default port, no path, query, fragment or trailing
 * slash. A near miss names the origin it meant.
 *
 * @example
 * originProblem("https://shop.example");  // undefined
 * originProblem("https://shop.example/"); // 'must be an origin without path, … did you mean "https://shop.example"?'
 */
export function originProblem(value: string): string | undefined {
  if (value.length > MAX_ORIGIN_LENGTH) return `must be at most ${MAX_ORIGIN_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an origin such as https://shop.example (scheme, host, optional port)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `must be an http or https origin, not ${url.protocol.slice(0, -1)}`;
  }
  if (url.origin !== value) {
    return `must be an origin as browsers send it (lower case, no default port, no user, path, query, fragment or trailing slash): did you mean "${url.origin}"?`;
  }
  return undefined;
}

/**
 * Checks an allow-list: each entry an origin ({@link originProblem}), or `*` alone for any
 * origin; at most {@link MAX_ALLOWED_ORIGINS}. Answers it without repeats, in its order; throws a
 * `ValidationError` naming every bad entry by its index under `path` (e.g. `origins.2`).
 *
 * @example
 * parseAllowedOrigins(["https://shop.example", "http://localhost:3000"], "origins");
 */
export function parseAllowedOrigins(input: readonly string[], path: string): string[] {
  if (input.length > MAX_ALLOWED_ORIGINS) {
    // Alone: a huge list's entries are not worth an issue each.
    throw new ValidationError("allowed origins", [
      {
        path,
        code: "too_many",
        message: `must list at most ${MAX_ALLOWED_ORIGINS} origins, not ${input.length}`,
      },
    ]);
  }
  const issues: Issue[] = [];
  input.forEach((value, index) => {
    if (value === ANY_ORIGIN) {
      if (input.length > 1) {
        issues.push({
          path: `${path}.${index}`,
          code: "not_alone",
          message: `"*" allows every origin, so it must be the only entry`,
        });
      }
      return;
    }
    const problem = originProblem(value);
    if (problem)
      issues.push({ path: `${path}.${index}`, code: "invalid_origin", message: problem });
  });
  if (issues.length > 0) throw new ValidationError("allowed origins", issues);
  return [...new Set(input)];
}

/**
 * Whether a browser on `origin` may use the environment's public-key routes: yes when the
 * environment never set a list (`undefined`), when its list is `["*"]`, or when the list holds
 * that exact origin.
 */
export function originAllowed(allowed: readonly string[] | undefined, origin: string): boolean {
  return allowed === undefined || allowed.includes(ANY_ORIGIN) || allowed.includes(origin);
}
