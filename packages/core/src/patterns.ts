// Patterns shared by the zod schemas and by the zod-free runtime paths (session, loop), so the
// browser bundle can check input without pulling in every schema.

/**
 * An identifier chosen by a person: letters, digits, `_`, `-`, `.` and `:`, 1–128 characters;
 * never `__proto__`, which would reach an object's prototype when used as a key.
 */
export const ID_PATTERN = /^(?!__proto__$)[A-Za-z0-9_.:-]{1,128}$/;

/** A BCP 47 language tag such as `en`, `fr` or `pt-BR`. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** How the customer was told: `in-app`, `email`, `call`, `sms`, `chat`, `meeting` or `webhook:<name>`. */
export const INFORMED_VIA_PATTERN =
  /^(in-app|email|call|sms|chat|meeting|webhook:[A-Za-z0-9_.-]{1,64})$/;

/** An ISO-8601 date-time with a `Z` or `±hh:mm` offset. */
export const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `value` is an ISO-8601 timestamp with an offset that denotes a real instant. */
export function isTimestamp(value: unknown): value is string {
  return (
    typeof value === "string" && TIMESTAMP_PATTERN.test(value) && !Number.isNaN(Date.parse(value))
  );
}

/** Question types whose answer places a respondent in a segment. */
export const SCORING_TYPES = ["nps", "csat", "ces", "rating"] as const;

/** Item types accepted by `POST /v1/batch`. */
export const ITEM_TYPES = ["response", "feedback", "ack-seen", "closure-seen", "customer"] as const;
