import type * as z from "zod/mini";
import { type Issue, ValidationError } from "../errors.js";

type ZodIssueLike = z.core.$ZodIssue;

/** Joins a zod path into the dotted form our issues use. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};
const UNITS: Record<string, string> = { string: " characters", array: " items", set: " items" };

/**
 * What a zod issue that kept zod's bare "Invalid input" means, naming what is allowed: the
 * bound and its unit, the type, the values, the format. `value` is the input at the issue's
 * path, so that a missing field reads "is required" rather than "must be text".
 */
function describe(i: ZodIssueLike, value: unknown): string {
  switch (i.code) {
    case "too_small":
    case "too_big": {
      const bound = Number(i.code === "too_small" ? i.minimum : i.maximum);
      const unit = UNITS[i.origin] ?? "";
      const word = i.code === "too_small" ? "at least" : "at most";
      const exact =
        i.inclusive === false ? (i.code === "too_small" ? "more than" : "less than") : word;
      return `must be ${exact} ${bound}${unit}`;
    }
    case "invalid_type":
      return value === undefined && i.path.length > 0
        ? "is required"
        : `must be ${TYPE_NAMES[i.expected] ?? i.expected}`;
    case "invalid_value":
      return `must be one of: ${i.values.map((v) => String(v)).join(", ")}`;
    case "invalid_format":
      return i.format === "regex" ? "has the wrong format" : `must be a valid ${i.format}`;
    case "invalid_union":
      return "matches none of the allowed forms";
    case "not_multiple_of":
      return `must be a multiple of ${String(i.divisor)}`;
    default:
      return "is not valid";
  }
}

/** The value at `path` inside `input`, or undefined. */
function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Converts zod issues (including those nested inside unions) into our `Issue` shape. Unknown
 * keys become one issue each, at the key's own path, so the answer names the field to remove.
 * Where zod gave only "Invalid input", the message says what is allowed instead.
 */
export function toIssues(
  issues: readonly ZodIssueLike[],
  prefix: readonly PropertyKey[] = [],
  input?: unknown,
): Issue[] {
  return issues.flatMap((i): Issue[] =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({
          path: joinPath([...prefix, ...i.path, key]),
          code: i.code,
          message: "is not a known field",
        }))
      : [
          {
            path: joinPath([...prefix, ...i.path]),
            code: i.code,
            message: i.message === "Invalid input" ? describe(i, at(input, i.path)) : i.message,
          },
        ],
  );
}

/**
 * Parses `input` with `schema`; on failure throws a `ValidationError` listing every issue.
 * The single entry point for outside data in core.
 */
export function parseWith<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = (schema as unknown as z.ZodMiniType).safeParse(input);
  if (!result.success) throw new ValidationError(what, toIssues(result.error.issues, [], input));
  return result.data as z.output<S>;
}
