// What both stores keep beside a document so that SQL can filter without parsing JSON. Derived
// here, once, so the SQLite and PostgreSQL layouts cannot drift apart.
import { deadlines, type Loop, type LoopState } from "@closeloop/core";
import type { LoopMeta, RespondentRef } from "./types.js";

// Timestamps `ms` parsed lately: an ingested batch converts its arrival time (`now`) and the
// deadlines counted from it for every row, claim and event it writes, so most calls repeat one.
const parsed = new Map<string, number>();

/** Milliseconds since the epoch of an ISO-8601 timestamp; throws on a string that is not one. */
export function ms(iso: string, what = "timestamp"): number {
  const hit = parsed.get(iso);
  if (hit !== undefined) return hit;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`${what} is not an ISO-8601 timestamp: ${iso}`);
  // A handful per batch: kept small, so a lookup stays cheaper than the parse it saves.
  if (parsed.size >= 16) parsed.clear();
  parsed.set(iso, t);
  return t;
}

/** `ms` for optional values, `null` for SQL. */
export function msOrNull(iso: string | undefined): number | null {
  return iso === undefined ? null : ms(iso);
}

/** The two columns a respondent reference is kept in: exactly one of them is set. */
export function respondentColumns(r: RespondentRef | undefined): {
  respondentId: string | null;
  anonymousId: string | null;
} {
  if (r === undefined) return { respondentId: null, anonymousId: null };
  return "id" in r
    ? { respondentId: r.id, anonymousId: null }
    : { respondentId: null, anonymousId: r.anonymousId };
}

/** The loop's columns (times in epoch ms, absent values `null`). */
export interface LoopColumns {
  id: string;
  sourceKind: string;
  sourceId: string;
  state: LoopState;
  owner: string | null;
  segment: string;
  surveyId: string | null;
  journey: string | null;
  touchpoint: string | null;
  region: string | null;
  channel: string | null;
  customerId: string | null;
  customerValue: number | null;
  openedAt: number;
  updatedAt: number;
  /** Deadlines of the current cycle, from core's `deadlines(loop)`. */
  acknowledgeBy: number | null;
  closeBy: number | null;
  /** When each deadline was met in the current cycle, `null` while it is pending. */
  acknowledgedAt: number | null;
  closedAt: number | null;
  /**
   * The next deadline the SLA sweeper has to look at: the earliest pending one. The sweeper moves
   * it past each deadline it fires (`setBreachDue`), so its index holds only what is unfired.
   */
  breachDue: number | null;
  respondentId: string | null;
  anonymousId: string | null;
  /** The route's action: feedback owed a follow-up counts towards value at risk. */
  action: string;
  /** The opening response's scoring answer (metrics and risk signals). */
  scoreType: string | null;
  score: number | null;
  /** When the loop first reached each state, whatever reopened it since (loop health's times). */
  firstAcknowledgedAt: number | null;
  firstClosedAt: number | null;
}

/** When the loop first reached `to`, as core's `loopHealth` measures it; `null` if never. */
function firstReached(loop: Loop, to: LoopState): number | null {
  const e = loop.events.find((x) => x.to === to);
  return e === undefined ? null : ms(e.at);
}

/**
 * When the current cycle's target states were first reached, mirroring core's `deadlines.ts`:
 * a cycle starts at the opening or the last reopening; a deadline is met by the first later event
 * into `acknowledged` (resp. `closed`). Together with the deadlines this is all that
 * `isBreached(loop, now)` looks at, so `breached` can be answered in SQL for any `now`.
 */
function metTimes(loop: Loop): { acknowledgedAt: number | null; closedAt: number | null } {
  let start = 0;
  for (let i = loop.events.length - 1; i > 0; i--) {
    if (loop.events[i]?.to === "reopened") {
      start = i;
      break;
    }
  }
  let acknowledgedAt: number | null = null;
  let closedAt: number | null = null;
  for (let i = start + 1; i < loop.events.length; i++) {
    const e = loop.events[i] as Loop["events"][number];
    if (e.to === "acknowledged" && acknowledgedAt === null) acknowledgedAt = ms(e.at);
    else if (e.to === "closed" && closedAt === null) closedAt = ms(e.at);
  }
  return { acknowledgedAt, closedAt };
}

/** The earlier of two instants that may be absent. */
const earlier = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * The columns kept beside a loop. Deadlines are derived from the loop itself rather than taken
 * from `meta`, so the `breached` filter agrees with `isBreached` even if a caller's meta lags.
 */
export function loopColumns(loop: Loop, meta: LoopMeta): LoopColumns {
  const due = deadlines(loop);
  const acknowledgeBy = msOrNull(due.acknowledgeBy);
  const closeBy = msOrNull(due.closeBy);
  const met = metTimes(loop);
  const context = loop.context ?? {};
  return {
    id: loop.id,
    sourceKind: loop.source.kind,
    sourceId: loop.source.id,
    state: loop.state,
    owner: loop.owner ?? null,
    segment: loop.segment,
    surveyId: context.surveyId ?? null,
    journey: context.journey ?? null,
    touchpoint: context.touchpoint ?? null,
    // As core's loopDimension("region"): the loop's own region, else its customer's.
    region: context.region ?? loop.customer?.region ?? null,
    channel: context.channel ?? null,
    customerId: loop.customer?.id ?? null,
    customerValue: loop.customer?.value ?? null,
    openedAt: ms(loop.openedAt),
    updatedAt: ms(loop.updatedAt),
    acknowledgeBy,
    closeBy,
    acknowledgedAt: met.acknowledgedAt,
    closedAt: met.closedAt,
    // core's pendingDeadlines(loop)[0]: the earliest deadline of the cycle not met yet.
    breachDue: earlier(
      met.acknowledgedAt === null ? acknowledgeBy : null,
      met.closedAt === null ? closeBy : null,
    ),
    ...respondentColumns(meta.respondent),
    action: loop.route.action,
    scoreType: meta.score?.type ?? null,
    score: meta.score?.value ?? null,
    firstAcknowledgedAt: firstReached(loop, "acknowledged"),
    firstClosedAt: firstReached(loop, "closed"),
  };
}

/**
 * The instant `breached` is judged at: `filter.now`, else the current time. Throws on a `now`
 * that is not a timestamp rather than comparing against NaN.
 */
export function breachInstant(now: string | undefined): number {
  return now === undefined ? Date.now() : ms(now, "filter.now");
}

/** JSON with object keys sorted, so two equal surveys compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}

/** `limit` of a page: a positive integer, or a RangeError (never an unbounded scan). */
export function pageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  }
  return limit;
}
