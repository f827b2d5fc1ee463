import type * as z from "zod/mini";
import { type Issue, ValidationError } from "../errors.js";

type ZodIssueLike = z.core.$ZodIssue;

/** Joins a zod path into the dotted form our issues use. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/**
 * Converts zod issues (including those nested inside unions) into our `Issue` shape. Unknown
 * keys become one issue each, at the key's own path, so the answer names the field to remove.
 */
export function toIssues(
  issues: readonly ZodIssueLike[],
  prefix: readonly PropertyKey[] = [],
): Issue[] {
  return issues.flatMap((i): Issue[] =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({
          path: joinPath([...prefix, ...i.path, key]),
          code: i.code,
          message: "is not a known field",
        }))
      : [{ path: joinPath([...prefix, ...i.path]), code: i.code, message: i.message }],
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
  if (!result.success) throw new ValidationError(what, toIssues(result.error.issues));
  return result.data as z.output<S>;
}
