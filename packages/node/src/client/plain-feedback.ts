// A fast path for checking a plainly valid feedback item, the common case: zod's FeedbackSchema
// walk was about a third of a capture's synchronous time (docs/benchmarks.md). It passes only
// items it can fully check (no unknown key, every field within its bounds, no email, which zod
// checks with its own pattern), and zod would accept every one of them
// (test/plain-feedback.test.ts holds it to that). Anything else — every invalid item, and the
// rarer shapes — answers false, and the caller parses with zod, which also words the issues.
// The client sends the caller's own fields (plus the id), not zod's output, so a yes is all it
// needs.
import {
  CustomerSchema,
  FeedbackSchema,
  ID_PATTERN,
  LOCALE_PATTERN,
  MAX_CUSTOMER_VALUE,
  RespondentSchema,
  ResponseContextSchema,
  TIMESTAMP_PATTERN,
} from "@closeloop/core";

const KEYS = [
  "id",
  "channel",
  "text",
  "rating",
  "tags",
  "customer",
  "respondent",
  "context",
  "journey",
  "locale",
  "createdAt",
];
const CUSTOMER_KEYS = ["id", "email", "value", "region"];
const CONTEXT_KEYS = ["url", "userAgent", "journey", "touchpoint", "region"];

function shapeOf(schema: unknown): Record<string, unknown> {
  const def = (schema as { _zod?: { def?: { shape?: unknown; options?: unknown[] } } })._zod?.def;
  return (def?.shape as Record<string, unknown>) ?? {};
}
const sameKeys = (schema: unknown, keys: readonly string[]) =>
  JSON.stringify(Object.keys(shapeOf(schema))) === JSON.stringify(keys);

/** Off if core's schemas ever gain or lose a field: this would no longer be zod's twin. */
const ENABLED =
  sameKeys(FeedbackSchema, KEYS) &&
  sameKeys(CustomerSchema, CUSTOMER_KEYS) &&
  sameKeys(ResponseContextSchema, CONTEXT_KEYS) &&
  ((RespondentSchema as unknown as { _zod: { def: { options: unknown[] } } })._zod.def.options
    ?.length ?? 0) === 2;

type Obj = Record<string, unknown>;
const has = Object.hasOwn;
const plain = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === "string" && v.length >= min && v.length <= max;
const id = (v: unknown): v is string => typeof v === "string" && ID_PATTERN.test(v);
const number = (v: unknown, min: number, max: number): boolean =>
  typeof v === "number" && v >= min && v <= max; // NaN fails both comparisons
/** Absent, or given as undefined, is how zod's optional fields read too. */
const optional = (o: Obj, key: string, ok: (v: unknown) => boolean) =>
  o[key] === undefined || ok(o[key]);

/** Whether every enumerable key of `o` is one of `keys` (zod's strict objects ignore the rest). */
function only(o: Obj, keys: readonly string[]): boolean {
  for (const k in o) if (!has(o, k) || !keys.includes(k)) return false;
  return true;
}

/** As core's `isTimestamp`, which the schema refines with. */
const timestamp = (v: unknown) =>
  typeof v === "string" && TIMESTAMP_PATTERN.test(v) && !Number.isNaN(Date.parse(v));

function tags(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 50) return false;
  for (let i = 0; i < v.length; i++) if (!text(v[i], 1, 64)) return false;
  return true;
}

function customer(v: unknown): boolean {
  return (
    plain(v) &&
    only(v, CUSTOMER_KEYS) &&
    text(v.id, 1, 256) &&
    v.email === undefined &&
    optional(v, "value", (x) => number(x, 0, MAX_CUSTOMER_VALUE)) &&
    optional(v, "region", id)
  );
}

function respondent(v: unknown): boolean {
  if (!plain(v)) return false;
  if (has(v, "anonymousId")) return only(v, ["anonymousId"]) && text(v.anonymousId, 16, 128);
  return (
    only(v, ["id", "token"]) && text(v.id, 1, 256) && optional(v, "token", (t) => text(t, 1, 256))
  );
}

function context(v: unknown): boolean {
  return (
    plain(v) &&
    only(v, CONTEXT_KEYS) &&
    optional(v, "url", (x) => text(x, 0, 2_000)) &&
    optional(v, "userAgent", (x) => text(x, 0, 1_000)) &&
    optional(v, "journey", id) &&
    optional(v, "touchpoint", id) &&
    optional(v, "region", id)
  );
}

/**
 * Whether `FeedbackSchema` accepts `v`, when that is plain to see; `false` means "ask zod", not
 * "invalid".
 */
export function isPlainFeedback(v: unknown): boolean {
  return (
    ENABLED &&
    plain(v) &&
    only(v, KEYS) &&
    id(v.channel) &&
    text(v.text, 1, 10_000) &&
    optional(v, "id", (x) => text(x, 1, 128)) &&
    optional(v, "rating", (x) => number(x, 0, 10)) &&
    optional(v, "tags", tags) &&
    optional(v, "customer", customer) &&
    optional(v, "respondent", respondent) &&
    optional(v, "context", context) &&
    optional(v, "journey", id) &&
    optional(v, "locale", (x) => typeof x === "string" && LOCALE_PATTERN.test(x)) &&
    optional(v, "createdAt", timestamp)
  );
}
