// A fast path for parsing a plainly valid response, the common case: zod's ResponseSchema walk
// was ~8% of ingest's CPU. It accepts only inputs it can fully check (JSON scalars as answers, no
// unknown key, every field within bounds), and then answers exactly what zod would, field for
// field and in the same key order (test/fast-response.test.ts holds it to that). Anything else —
// every invalid input and the rarer valid shapes ({ other } answers, lists) — returns undefined,
// and the caller parses with zod, which also words the issues.
import {
  ID_PATTERN as ID,
  LOCALE_PATTERN as LOCALE,
  type Response,
  ResponseSchema,
  TIMESTAMP_PATTERN as TIMESTAMP,
} from "@closeloop/core";
import { regexes } from "zod";

// The very patterns the schemas check with: core's, and zod's for `z.uuid()`.
const UUID = regexes.uuid();

const KEYS = [
  "id",
  "surveyId",
  "surveyVersion",
  "respondent",
  "answers",
  "finished",
  "locale",
  "context",
  "createdAt",
  "idempotencyKey",
];
const CONTEXT_KEYS = ["url", "userAgent", "journey", "touchpoint", "region"];

/** Off if core's schema ever gains or loses a field: the fast path would no longer be zod's twin. */
const ENABLED =
  JSON.stringify(Object.keys(shapeOf(ResponseSchema))) === JSON.stringify(KEYS) &&
  JSON.stringify(Object.keys(shapeOf(shapeOf(ResponseSchema).context))) ===
    JSON.stringify(CONTEXT_KEYS);

function shapeOf(schema: unknown): Record<string, unknown> {
  const def = (schema as { _zod?: { def?: { shape?: unknown; innerType?: unknown } } })._zod?.def;
  if (def?.shape) return def.shape as Record<string, unknown>;
  return def?.innerType ? shapeOf(def.innerType) : {};
}

type Obj = Record<string, unknown>;
const has = Object.hasOwn;
const plain = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === "string" && v.length >= min && v.length <= max;
const id = (v: unknown): v is string => typeof v === "string" && ID.test(v);

/** Whether every own key of `o` is one of `keys` (JSON objects have no inherited keys). */
function only(o: Obj, keys: readonly string[]): boolean {
  for (const k of Object.keys(o)) if (!keys.includes(k)) return false;
  return true;
}

function respondent(v: unknown): Response["respondent"] | undefined {
  if (!plain(v)) return undefined;
  if (has(v, "anonymousId")) {
    return only(v, ["anonymousId"]) && text(v.anonymousId, 16, 128)
      ? { anonymousId: v.anonymousId }
      : undefined;
  }
  if (!only(v, ["id", "token"]) || !text(v.id, 1, 256)) return undefined;
  if (!has(v, "token")) return { id: v.id };
  return text(v.token, 1, 256) ? { id: v.id, token: v.token } : undefined;
}

function answers(v: unknown): Response["answers"] | undefined {
  if (!plain(v)) return undefined;
  const out: Response["answers"] = {};
  for (const k of Object.keys(v)) {
    const a = v[k];
    const ok =
      (typeof a === "number" && Number.isFinite(a)) || typeof a === "boolean" || text(a, 0, 10_000);
    if (!ok || !ID.test(k)) return undefined;
    out[k] = a as string | number | boolean;
  }
  return out;
}

function context(v: unknown): Response["context"] | undefined {
  if (v === undefined) return {};
  if (!plain(v) || !only(v, CONTEXT_KEYS)) return undefined;
  if (has(v, "url") && !text(v.url, 0, 2_000)) return undefined;
  if (has(v, "userAgent") && !text(v.userAgent, 0, 1_000)) return undefined;
  const out: Obj = {};
  for (const k of CONTEXT_KEYS) {
    if (!has(v, k)) continue;
    if (k !== "url" && k !== "userAgent" && !id(v[k])) return undefined;
    out[k] = v[k];
  }
  return out as Response["context"];
}

/** `ResponseSchema`'s output for `input`, or undefined when zod should parse it instead. */
export function fastResponse(input: Obj): Response | undefined {
  if (!ENABLED || !only(input, KEYS)) return undefined;
  const { surveyVersion: version, createdAt } = input;
  if (typeof input.id !== "string" || !UUID.test(input.id) || !id(input.surveyId)) return undefined;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1)
    return undefined;
  if (typeof input.finished !== "boolean") return undefined;
  if (typeof input.locale !== "string" || !LOCALE.test(input.locale)) return undefined;
  if (typeof createdAt !== "string" || !TIMESTAMP.test(createdAt)) return undefined;
  if (Number.isNaN(Date.parse(createdAt)) || !text(input.idempotencyKey, 1, 200)) return undefined;
  const who = respondent(input.respondent);
  const given = answers(input.answers);
  const where = context(input.context);
  if (!who || !given || !where) return undefined;
  return {
    id: input.id,
    surveyId: input.surveyId,
    surveyVersion: version,
    respondent: who,
    answers: given,
    finished: input.finished,
    locale: input.locale,
    context: where,
    createdAt,
    idempotencyKey: input.idempotencyKey,
  };
}
