import { isBreached } from "../loop/deadlines.js";
import { OPEN_STATES } from "../loop/transition.js";
import type { Loop, LoopState } from "../schemas/loop.js";
import { quantile } from "./quantile.js";

/** p50 and p90 of a duration in milliseconds; `null` when no loop got there yet. */
export interface Percentiles {
  p50: number | null;
  p90: number | null;
}

/** How well loops are being closed. */
export interface LoopHealth {
  total: number;
  open: number;
  closed: number;
  /** closed / total, 0–1; `null` with no loops. */
  closureRate: number | null;
  /** Loops that missed a deadline of their current cycle as of `now`. */
  breached: number;
  /** From opening to the first acknowledgement, in ms. */
  timeToAcknowledge: Percentiles;
  /** From opening to the first closing, in ms. */
  timeToClose: Percentiles;
}

function firstReach(loop: Loop, state: LoopState): number | undefined {
  const e = loop.events.find((ev) => ev.to === state);
  return e ? Date.parse(e.at) - Date.parse(loop.openedAt) : undefined;
}

function percentiles(values: number[]): Percentiles {
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9) };
}

/**
 * Loop health: open and closed counts, closure rate, breached count, and p50/p90 time to
 * acknowledge and to close (first time each was reached).
 */
export function loopHealth(loops: readonly Loop[], now: Date): LoopHealth {
  let open = 0;
  let breached = 0;
  const toAck: number[] = [];
  const toClose: number[] = [];
  for (const loop of loops) {
    if (OPEN_STATES.has(loop.state)) open++;
    if (isBreached(loop, now)) breached++;
    const a = firstReach(loop, "acknowledged");
    if (a !== undefined) toAck.push(a);
    const c = firstReach(loop, "closed");
    if (c !== undefined) toClose.push(c);
  }
  return loopHealthFromCounts({
    total: loops.length,
    open,
    breached,
    timeToAcknowledge: percentiles(toAck),
    timeToClose: percentiles(toClose),
  });
}

/**
 * {@link loopHealth} from what a database aggregates: counts, and the percentiles it computed
 * (for example with `quantileOfSorted` over the order statistics `quantileRanks` names).
 * `closed` and `closureRate` follow from the counts.
 */
export function loopHealthFromCounts(c: {
  total: number;
  open: number;
  breached: number;
  timeToAcknowledge: Percentiles;
  timeToClose: Percentiles;
}): LoopHealth {
  const closed = c.total - c.open;
  return {
    total: c.total,
    open: c.open,
    closed,
    closureRate: c.total === 0 ? null : closed / c.total,
    breached: c.breached,
    timeToAcknowledge: c.timeToAcknowledge,
    timeToClose: c.timeToClose,
  };
}
