import * as z from "zod/mini";
import { DURATION_PATTERN } from "../duration.js";
import { ID_PATTERN, isTimestamp, LOCALE_PATTERN } from "../patterns.js";

/** An identifier chosen by a person: letters, digits, `_`, `-`, `.` and `:`, 1–128 characters. */
export const IdSchema = z
  .string()
  .check(z.regex(ID_PATTERN, "must be 1–128 letters, digits, or _ . : -"));

/** A BCP 47 language tag such as `en`, `fr` or `pt-BR`. */
export const LocaleSchema = z
  .string()
  .check(z.regex(LOCALE_PATTERN, "must be a language tag like en or pt-BR"));
/** @see LocaleSchema */
export type Locale = z.infer<typeof LocaleSchema>;

/**
 * A record whose keys are checked by `key`. zod drops an own `__proto__` key without a word, so
 * it is refused here with an issue: input is never lost silently.
 */
export function dictionary<K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(
  key: K,
  value: V,
) {
  const record = z.record(key, value);
  return z.pipe(
    z.custom<z.input<typeof record>>(
      (v) => !(typeof v === "object" && v !== null && Object.hasOwn(v, "__proto__")),
      { error: "__proto__ is a reserved key", path: ["__proto__"] },
    ),
    record,
  );
}

/** Text in several languages, keyed by locale: `{ en: "Thanks", fr: "Merci" }`. */
export const LocalizedTextSchema = dictionary(
  LocaleSchema,
  z.string().check(z.minLength(1, "must not be empty"), z.maxLength(10_000)),
);
/** @see LocalizedTextSchema */
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** A duration such as `30m`, `48h` or `7d` (units s, m, h, d, w). */
export const DurationSchema = z
  .string()
  .check(z.regex(DURATION_PATTERN, "must be a duration like 30m, 48h or 7d"));

/** An ISO-8601 timestamp with a UTC offset, e.g. `2026-11-23T10:00:00.000Z`. */
export const TimestampSchema = z
  .string()
  .check(
    z.refine(
      isTimestamp,
      "must be an ISO-8601 timestamp with an offset, e.g. 2026-11-23T10:00:00Z",
    ),
  );

/** A UUID (Closeloop generates version 7 for responses). */
export const UuidSchema = z.uuid();
