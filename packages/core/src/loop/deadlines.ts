import { parseDuration } from "../duration.js";
import type { Loop, LoopState } from "../schemas/loop.js";

/** Which SLA a deadline belongs to. */
export type DeadlineKind = "acknowledge" | "close";

/** The loop's current deadlines (ISO-8601), from its route's SLAs. */
export interface Deadlines {
  acknowledgeBy?: string;
  closeBy?: string;
}

/** A deadline that was missed: met late, or not met and already past. */
export interface Breach {
  deadline: DeadlineKind;
  /** When it was due. */
  due: string;
  /** When it was met, if it was (late). */
  metAt?: string;
}

const TARGET: Record<DeadlineKind, LoopState> = { acknowledge: "acknowledged", close: "closed" };

/** Index of the event the SLAs count from: the last reopening, else the opening. */
function cycleStart(loop: Loop): number {
  for (let i = loop.events.length - 1; i > 0; i--) {
    if (loop.events[i]?.to === "reopened") return i;
  }
  return 0;
}

interface DeadlineStatus {
  kind: DeadlineKind;
  due: number;
  metAt?: string;
}

/** When the first event into `to` after `start` happened, if one did. */
function metAfter(loop: Loop, start: number, to: LoopState): string | undefined {
  for (let i = start + 1; i < loop.events.length; i++) {
    const e = loop.events[i] as Loop["events"][number];
    if (e.to === to) return e.at;
  }
  return undefined;
}

/** Each SLA of the current cycle, with when it was met (if it was). */
function statuses(loop: Loop): DeadlineStatus[] {
  const start = cycleStart(loop);
  const base = Date.parse(loop.events[start]?.at ?? loop.openedAt);
  const out: DeadlineStatus[] = [];
  const { acknowledgeWithin, closeWithin } = loop.route;
  // Written out rather than looped over a table of kinds: this runs for every loop a collector
  // stores, several times per save.
  if (acknowledgeWithin) out.push(status(loop, start, "acknowledge", base, acknowledgeWithin));
  if (closeWithin) out.push(status(loop, start, "close", base, closeWithin));
  return out;
}

function status(
  loop: Loop,
  start: number,
  kind: DeadlineKind,
  base: number,
  within: string,
): DeadlineStatus {
  const s: DeadlineStatus = { kind, due: base + parseDuration(within) };
  const met = metAfter(loop, start, TARGET[kind]);
  if (met !== undefined) s.metAt = met;
  return s;
}

/**
 * The loop's deadlines, derived from its route: `acknowledgeBy` from `acknowledgeWithin` and
 * `closeBy` from `closeWithin`, counted from the opening (or from the last reopening).
 */
export function deadlines(loop: Loop): Deadlines {
  const out: Deadlines = {};
  for (const s of statuses(loop)) {
    if (s.kind === "acknowledge") out.acknowledgeBy = isoText(s.due);
    else out.closeBy = isoText(s.due);
  }
  return out;
}

// Recent deadlines as text: loops opened together (a batch) share them, and formatting a date
// is the dearest step here. Kept small, so a lookup stays cheaper than the formatting it saves.
const formatted = new Map<number, string>();

function isoText(t: number): string {
  let text = formatted.get(t);
  if (text === undefined) {
    text = new Date(t).toISOString();
    if (formatted.size >= 16) formatted.clear();
    formatted.set(t, text);
  }
  return text;
}

/** Deadlines of the current cycle that were missed as of `now`: met late, or unmet and past. */
export function breaches(loop: Loop, now: Date): Breach[] {
  return statuses(loop).flatMap((s) => {
    const late = s.metAt ? Date.parse(s.metAt) > s.due : now.getTime() > s.due;
    if (!late) return [];
    const b: Breach = { deadline: s.kind, due: new Date(s.due).toISOString() };
    if (s.metAt) b.metAt = s.metAt;
    return [b];
  });
}

/**
 * Whether the loop missed a deadline of its current cycle as of `now`. Breach is a flag, not a
 * state: a loop acknowledged late stays breached.
 */
export function isBreached(loop: Loop, now: Date): boolean {
  return breaches(loop, now).length > 0;
}

/** Deadlines not met yet, earliest first (what a sweeper waits on). */
export function pendingDeadlines(loop: Loop): { deadline: DeadlineKind; due: number }[] {
  return statuses(loop)
    .filter((s) => s.metAt === undefined)
    .map((s) => ({ deadline: s.kind, due: s.due }))
    .sort((a, b) => a.due - b.due);
}
