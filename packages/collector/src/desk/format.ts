// How the desk writes times and amounts: short, unambiguous, and the same on every page.

const UNITS: [number, string][] = [
  [24 * 60 * 60 * 1000, "d"],
  [60 * 60 * 1000, "h"],
  [60 * 1000, "min"],
];

/** A duration as its largest whole unit: `3 d`, `5 h`, `12 min`, `now`. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, unit] of UNITS) {
    if (abs >= size) return `${Math.floor(abs / size)} ${unit}`;
  }
  return "now";
}

/** How long ago `at` was, seen from `now`. */
export const age = (at: string, now: string): string => duration(Date.parse(now) - Date.parse(at));

/** A deadline seen from `now`: `in 5 h`, or `3 h late`. */
export function due(at: string, now: string): string {
  const left = Date.parse(at) - Date.parse(now);
  return left >= 0 ? `in ${duration(left)}` : `${duration(left)} late`;
}

/** An instant as `2026-12-06 14:05 UTC`: one zone for the whole team. */
export const instant = (at: string): string =>
  `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

// Made once, as the module loads: the first number format of a process loads its locale data
// (tens of milliseconds), which would otherwise fall on the first desk page a person opens.
const WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole number with thousands separated: `12,345`. */
export const count = (n: number): string => WHOLE.format(n);

/** A customer value, in whole units with thousands separated. */
export const money = (value: number): string => WHOLE.format(Math.round(value));

/** A segment as a person reads it: a feedback policy's catch-all route `*` is "other channels". */
export const segmentName = (segment: string): string =>
  segment === "*" ? "other channels" : segment;
