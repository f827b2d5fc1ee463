import type * as z from "zod/mini";
import { parseWith } from "./schemas/issues.js";

/**
 * Parses outside input with one of core's schemas; on failure throws `ValidationError` listing
 * every issue with its path. The one way input from outside enters typed code.
 *
 * @example const response = parse(ResponseSchema, body, "response");
 */
export function parse<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  what = "input",
): z.output<S> {
  return parseWith(schema, input, what);
}
