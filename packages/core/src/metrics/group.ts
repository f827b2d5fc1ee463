import type { Loop } from "../schemas/loop.js";
import type { Response } from "../schemas/response.js";

/** Dimensions every metric can be grouped by. */
export const DIMENSIONS = ["survey", "journey", "touchpoint", "region", "segment"] as const;
/** @see DIMENSIONS */
export type Dimension = (typeof DIMENSIONS)[number];

/** Group key used when an item has no value for the dimension. */
export const NONE = "(none)";

/**
 * Splits items into groups by a key; items whose key is `undefined` go to `"(none)"`.
 *
 * @example groupBy(loops, loopDimension("journey"))
 */
export function groupBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item) ?? NONE;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The key of a loop for a dimension; `region` falls back to the customer's region. */
export function loopDimension(dimension: Dimension): (loop: Loop) => string | undefined {
  return (loop) =>
    dimension === "survey"
      ? loop.context.surveyId
      : dimension === "segment"
        ? loop.segment
        : dimension === "region"
          ? (loop.context.region ?? loop.customer?.region)
          : loop.context[dimension];
}

/**
 * The key of a response for a dimension. `segment` needs the survey, so it is given as a
 * function (usually `(r) => segmentOf(survey, r.answers)`).
 */
export function responseDimension(
  dimension: Dimension,
  segmentOfResponse?: (r: Response) => string,
): (r: Response) => string | undefined {
  return (r) =>
    dimension === "survey"
      ? r.surveyId
      : dimension === "segment"
        ? segmentOfResponse?.(r)
        : r.context[dimension];
}

/**
 * Applies a metric to each group: `metricBy(loops, loopDimension("journey"), (g) => loopHealth(g, now))`.
 */
export function metricBy<T, R>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  metric: (group: T[]) => R,
): Record<string, R> {
  const out: Record<string, R> = {};
  for (const [key, group] of groupBy(items, keyOf)) out[key] = metric(group);
  return out;
}
