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

/** Each SLA of the current cycle, with when it was met (if it was). */
function statuses(loop: Loop): DeadlineStatus[] {
  const start = cycleStart(loop);
  const base = Date.parse(loop.events[start]?.at ?? loop.openedAt);
  const out: DeadlineStatus[] = [];
  const within = {
    acknowledge: loop.route.acknowledgeWithin,
    close: loop.route.closeWithin,
  };
  for (const kind of ["acknowledge", "close"] as const) {
    const duration = within[kind];
    if (!duration) continue;
    const status: DeadlineStatus = { kind, due: base + parseDuration(duration) };
    const met = loop.events.slice(start + 1).find((e) => e.to === TARGET[kind]);
    if (met) status.metAt = met.at;
    out.push(status);
  }
  return out;
}

/**
 * The loop's deadlines, derived from its route: `acknowledgeBy` from `acknowledgeWithin` and
 * `closeBy` from `closeWithin`, counted from the opening (or from the last reopening).
 */
export function deadlines(loop: Loop): Deadlines {
  const out: Deadlines = {};
  for (const s of statuses(loop)) {
    const iso = new Date(s.due).toISOString();
    if (s.kind === "acknowledge") out.acknowledgeBy = iso;
    else out.closeBy = iso;
  }
  return out;
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
