import { ValidationError } from "./errors.js";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Pattern of a duration string: a positive integer and one unit of `s`, `m`, `h`, `d` or `w`. */
export const DURATION_PATTERN = /^([1-9][0-9]{0,6})([smhdw])$/;

/**
 * Converts a duration such as `"30m"`, `"48h"` or `"7d"` to milliseconds.
 *
 * @throws ValidationError when the string is not a duration.
 * @example parseDuration("48h") // 172800000
 */
export function parseDuration(duration: string): number {
  const m = DURATION_PATTERN.exec(duration);
  if (!m) {
    throw new ValidationError("duration", [
      {
        path: "",
        code: "invalid_duration",
        message: `"${duration}" is not a duration like 30m, 48h or 7d`,
      },
    ]);
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
