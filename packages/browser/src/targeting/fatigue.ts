import type { Display } from "@closeloop/core";

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** What has happened so far, as epoch milliseconds; 0 means never. */
export interface FatigueRecord {
  /** When this survey was last shown. */
  shown: number;
  /** When this survey was last answered. */
  answered: number;
  /** When any survey was last shown: the start of the global cooldown. */
  last: number;
}

/**
 * Whether fatigue rules let a survey be shown now (docs/targeting.md):
 * - the global cooldown: no survey within `cooldownMs` of the last survey shown, answered or not;
 * - `once`: never again once shown (or answered); `untilAnswered`: again until answered;
 *   `always`: no limit of its own;
 * - `recontactDays`: not within that many days of this survey's last show or last answer,
 *   whichever is later.
 * A time in the future (a clock set back) blocks until it is reached: rather late than nagging.
 *
 * @example
 * fatigueAllows({ mode: "untilAnswered", recontactDays: 3, modal: false },
 *   { shown: t0, answered: 0, last: t0 }, t0 + 4 * DAY_MS, 0); // true
 */
export function fatigueAllows(
  display: Display,
  record: FatigueRecord,
  now: number,
  cooldownMs: number,
): boolean {
  const seen = Math.max(record.shown, record.answered);
  const wait = (display.recontactDays ?? 0) * DAY_MS;
  return !(
    (record.last && now - record.last < cooldownMs) ||
    (display.mode === "once" && seen) ||
    (display.mode === "untilAnswered" && record.answered) ||
    (seen && now - seen < wait)
  );
}
