import type { Targeting } from "@closeloop/core";

/** One event trigger of a survey: an event name and its property filters. */
export type EventTrigger = Targeting["events"][number];
/** One property filter of an event trigger. */
export type PropertyFilter = EventTrigger["where"][number];

/**
 * Whether one property filter passes (docs/targeting.md). Only the event's own top-level
 * properties are read (`"a.b"` names a key with a dot, `toString` is not inherited). Types must
 * fit, or the filter fails — `neq` included, which means "present, same type, another value":
 * `eq`/`neq`/`lt`/`lte`/`gt`/`gte` compare two numbers, two strings (in code-unit order, right
 * for ISO dates) or two booleans (`false < true`); `in` needs an array value
 * holding the property; `contains` is a substring of a string property, or an element of an
 * array property; `exists` passes when the property is neither missing nor null (with value
 * `false`: when it is). Never throws.
 */
export function filterPasses(filter: PropertyFilter, props: object): boolean {
  const { property, op, value: w } = filter;
  const v = Object.hasOwn(props, property)
    ? (props as Record<string, string>)[property]
    : undefined;
  if (op === "exists") return (v != null) === (w !== false);
  if (op === "in") return Array.isArray(w) && w.includes(v as string);
  if (op === "contains") {
    return (typeof v === "string" && typeof w === "string") || Array.isArray(v)
      ? (v as string).includes(w as string)
      : false;
  }
  // Same type, and a type with an order: string, number or boolean (not an array, not missing).
  if (typeof v !== typeof w || w == null || Array.isArray(w)) return false;
  if (op === "eq") return v === w;
  if (op === "neq") return v !== w;
  // lt, lte, gt, gte: the strict order, or with `e` at the end, equality too.
  return (op[0] === "l" ? (v as string) < w : (v as string) > w) || (op[2] === "e" && v === w);
}

/**
 * Whether a `track(name, props)` call fires an event trigger: same name and every filter passes.
 *
 * @example
 * matchesEvent({ name: "export", where: [{ property: "rows", op: "gte", value: 1000 }] },
 *   "export", { rows: 5000 }); // true
 */
export function matchesEvent(trigger: EventTrigger, name: string, props?: object | null): boolean {
  return trigger.name === name && trigger.where.every((f) => filterPasses(f, props ?? {}));
}
