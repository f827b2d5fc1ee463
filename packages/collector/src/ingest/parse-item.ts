import { parse, ValidationError } from "@closeloop/core";
import { ItemRejection } from "./context.js";

/** Parses an item's data with a core schema; a failure rejects the item with every issue. */
export function parseItem<T>(schema: Parameters<typeof parse>[0], data: unknown, what: string): T {
  try {
    return parse(schema, data, what) as T;
  } catch (e) {
    if (e instanceof ValidationError) throw new ItemRejection("invalid", e.message, [...e.issues]);
    throw e;
  }
}
