import { parse, ValidationError } from "@closeloop/core";
import type * as z from "zod/mini";
import { HttpError } from "./errors.js";

/**
 * Parses a request's body or query with a schema; a validation failure becomes a 400 with the
 * route's error `code` and every issue, anything else propagates.
 *
 * @example const body = parseRequest(TransitionBodySchema, raw, "transition", "invalid_transition");
 */
export function parseRequest<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: string,
): z.output<S> {
  try {
    return parse(schema, input, what);
  } catch (e) {
    if (e instanceof ValidationError)
      throw new HttpError(400, code, e.message, { issues: e.issues });
    throw e;
  }
}
