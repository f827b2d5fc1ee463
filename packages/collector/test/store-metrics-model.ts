// A fast-check property: `store.metrics` over random loops agrees with core's metric functions
// (nps, csat, ces, loopHealth, valueAtRisk, riskSignals, customerAssetGrowth) applied to the same
// loops in memory, grouped with core's loopDimension. Risk signals are stored as ingest stores
// them (judged per answer, in time order); the store counts them per period and group.

import type { GroupMetrics, MetricsReport } from "@closeloop/core";
import {
  type CustomerEvent,
  canTransition,
  ces,
  createLoop,
  csat,
  customerAssetGrowth,
  DIMENSIONS,
  type Dimension,
  type Loop,
  type LoopState,
  loopDimension,
  loopHealth,
  NEGATIVE_SEGMENTS,
  NONE,
  nps,
  type Route,
  riskSignals,
  segmentForScore,
  TRANSITIONS,
  transition,
  valueAtRisk,
} from "@closeloop/core";
import fc from "fast-check";
import { expect } from "vitest";
import type { StoredRiskSignal } from "../src/store/risk-signals.js";
import type { CollectorStore, LoopScore } from "../src/store/types.js";
import { at, environment } from "./store-fixtures.js";

const TYPES = ["nps", "csat", "ces"] as const;
const MAX = { nps: 10, csat: 5, ces: 7 } as const;

interface Spec {
  loop: Loop;
  respondent?: string;
  score?: LoopScore;
}

const routeArb = fc.record({
  acknowledgeWithin: fc.constantFrom<string | undefined>(undefined, "1h"),
  closeWithin: fc.constantFrom<string | undefined>(undefined, "1d"),
  action: fc.constantFrom<Route["action"]>("follow-up", "none"),
});

const specArb = fc.record({
  type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
  /** Feedback loops have no score: their segment is the channel. */
  feedback: fc.boolean(),
  raw: fc.nat({ max: 1000 }),
  respondent: fc.option(fc.constantFrom("u1", "u2", "u3"), { nil: undefined }),
  customer: fc.option(
    fc.record({
      id: fc.constantFrom("c1", "c2", "c3"),
      value: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      region: fc.option(fc.constantFrom("eu", "us"), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  survey: fc.option(fc.constantFrom("s1", "s2"), { nil: undefined }),
  journey: fc.option(fc.constantFrom("onboarding", "checkout"), { nil: undefined }),
  touchpoint: fc.option(fc.constantFrom("first-week"), { nil: undefined }),
  region: fc.option(fc.constantFrom("eu", "apac"), { nil: undefined }),
  route: routeArb,
  gap: fc.integer({ min: 1, max: 20 * 24 * 60 }),
  walk: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3000 })), { maxLength: 7 }),
});

type SpecInput = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

/** Loops opened at strictly increasing minutes (risk signals order answers by time). */
function build(specs: SpecInput[]): Spec[] {
  let t = 0;
  return specs.map((s, i) => {
    t += s.gap;
    const route: Route = {
      action: s.route.action,
      owner: "support",
      acknowledge: { message: { en: "Thanks" } },
    };
    if (s.route.acknowledgeWithin) route.acknowledgeWithin = s.route.acknowledgeWithin;
    if (s.route.closeWithin) route.closeWithin = s.route.closeWithin;
    const feedback = s.feedback;
    const score =
      !feedback && s.type
        ? {
            type: s.type,
            value:
              (s.raw % (MAX[s.type] + (s.type === "nps" ? 1 : 0))) + (s.type === "nps" ? 0 : 1),
          }
        : undefined;
    const context: Loop["context"] = {};
    if (s.survey) context.surveyId = s.survey;
    if (s.journey) context.journey = s.journey;
    if (s.touchpoint) context.touchpoint = s.touchpoint;
    if (s.region) context.region = s.region;
    const customer = s.customer
      ? {
          id: s.customer.id,
          ...(s.customer.value !== undefined ? { value: s.customer.value } : {}),
          ...(s.customer.region ? { region: s.customer.region } : {}),
        }
      : undefined;
    let loop = createLoop({
      id: `L${String(i).padStart(4, "0")}`,
      source: { kind: feedback ? "feedback" : "response", id: `R${i}` },
      segment: feedback
        ? "support"
        : score
          ? segmentForScore({ type: score.type }, score.value)
          : "all",
      route,
      at: at(t),
      context,
      ...(customer ? { customer } : {}),
    });
    let state: LoopState = "received";
    let when = t;
    for (const [pick, gap] of s.walk) {
      const moves: readonly LoopState[] = TRANSITIONS[state].filter((next) =>
        canTransition(state, next, route.action),
      );
      const to: LoopState | undefined = moves[pick % moves.length];
      if (to === undefined) break;
      when += gap;
      const o = { actor: "agent", at: at(when) };
      loop = transition(
        loop,
        to,
        to === "closed" ? { ...o, informedVia: "email", message: "Done." } : o,
      );
      state = to;
    }
    return {
      loop,
      ...(s.respondent ? { respondent: s.respondent } : {}),
      ...(score ? { score } : {}),
    };
  });
}

/** Core's figures for one group of the period's loops; `history` is every loop opened before `to`. */
/**
 * The loop as value at risk sees it: its customer is its feedback customer, else its respondent,
 * worth the loop's own value, else the last `gained` value recorded for them (ties: larger id).
 */
function withCustomer(s: Spec, events: readonly (CustomerEvent & { id: string })[]): Loop {
  const id = s.loop.customer?.id ?? s.respondent;
  if (id === undefined) return s.loop;
  const last = events
    .filter((e) => e.customerId === id && e.event === "gained" && e.value !== undefined)
    .sort(
      (a, b) => Date.parse(b.at) - Date.parse(a.at) || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0),
    )[0];
  const value = s.loop.customer?.value ?? last?.value;
  return {
    ...s.loop,
    customer: { ...s.loop.customer, id, ...(value !== undefined ? { value } : {}) },
  };
}

/**
 * The risk signals ingest keeps as each answer arrives (core's `riskSignals` per respondent and
 * scoring type, in time order), with the loop of the answer that raised each.
 */
function signalsOf(specs: Spec[]): StoredRiskSignal[] {
  const byCustomer: Record<string, { at: string; score: number; segment: string }[]> = {};
  const loopAt = new Map<string, Spec>();
  for (const s of specs) {
    if (!s.respondent || !s.score) continue;
    const k = `${s.respondent}\u0000${s.score.type}`;
    byCustomer[k] ??= [];
    byCustomer[k].push({ at: s.loop.openedAt, score: s.score.value, segment: s.loop.segment });
    loopAt.set(`${k}\u0000${s.loop.openedAt}`, s);
  }
  return riskSignals(byCustomer).map((signal) => {
    const s = loopAt.get(`${signal.customerId}\u0000${signal.at}`) as Spec;
    return {
      customerId: s.respondent as string,
      loopId: s.loop.id,
      at: signal.at,
      reason: signal.reason,
    };
  });
}

function expected(
  group: Spec[],
  history: Spec[],
  from: number,
  asOf: Date,
  events: readonly (CustomerEvent & { id: string })[],
): GroupMetrics {
  const scores = (type: LoopScore["type"]) =>
    group.filter((s) => s.score?.type === type).map((s) => s.score?.value as number);
  const inGroup = new Set(group.map((s) => s.loop.id));
  const atRisk = new Set<string>();
  for (const signal of signalsOf(history)) {
    if (Date.parse(signal.at) >= from && inGroup.has(signal.loopId)) atRisk.add(signal.customerId);
  }
  return {
    nps: nps(scores("nps")),
    csat: csat(scores("csat")),
    ces: ces(scores("ces"), { scale: 7 }),
    loops: loopHealth(
      group.map((s) => s.loop),
      asOf,
    ),
    valueAtRisk: valueAtRisk(
      group.map((s) => withCustomer(s, events)),
      {
        isNegative: (l) =>
          NEGATIVE_SEGMENTS.has(l.segment) ||
          (l.source.kind === "feedback" && l.route.action === "follow-up"),
      },
    ),
    atRisk: { customers: atRisk.size },
  };
}

export async function metricsAgreeWithCore(store: CollectorStore, numRuns: number): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArb, { maxLength: 40 }),
      fc.array(
        fc.record({
          event: fc.constantFrom<"gained" | "lost">("gained", "lost"),
          value: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
          minute: fc.integer({ min: 0, max: 400 * 24 * 60 }),
        }),
        { maxLength: 8 },
      ),
      fc.integer({ min: 0, max: 200 * 24 * 60 }),
      fc.integer({ min: 0, max: 400 * 24 * 60 }),
      fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }),
      async (raw, rawEvents, a, b, groupBy) => {
        const envId = `m${run++}`;
        await store.createEnvironment(environment(envId));
        const specs = build(raw);
        const events: CustomerEvent[] = rawEvents.map((e, i) => ({
          customerId: ["c1", "c2", "u1", "u2"][i % 4] as string,
          event: e.event,
          ...(e.value !== undefined ? { value: e.value } : {}),
          at: at(e.minute),
        }));
        const withIds = events.map((e, n) => ({ ...e, id: `E${n}` }));
        await store.transaction(async (tx) => {
          for (const s of specs) {
            await tx.putLoop(envId, s.loop, {
              ...(s.respondent ? { respondent: { id: s.respondent } } : {}),
              ...(s.score ? { score: s.score } : {}),
            });
          }
          for (const e of withIds) await tx.insertCustomerEvent(envId, e.id, e);
          for (const signal of signalsOf(specs)) await tx.putRiskSignal(envId, signal);
        });
        const [from, to] = [at(Math.min(a, b)), at(Math.max(a, b))];
        const asOf = at(Math.max(a, b) - 60);
        const report = await store.metrics(envId, {
          from,
          to,
          asOf,
          ...(groupBy ? { groupBy } : {}),
        });
        const fromMs = Date.parse(from);
        const toMs = Date.parse(to);
        const history = specs.filter((s) => Date.parse(s.loop.openedAt) < toMs);
        const period = history.filter((s) => Date.parse(s.loop.openedAt) >= fromMs);
        const asOfDate = new Date(asOf);
        const want: MetricsReport = {
          from,
          to,
          groupBy: groupBy ?? null,
          asOf,
          total: expected(period, history, fromMs, asOfDate, withIds),
          customers: customerAssetGrowth(events, { from, to }),
        };
        if (groupBy) {
          const keyOf = (l: Loop) => loopDimension(groupBy as Dimension)(l) ?? NONE;
          const groups: Record<string, GroupMetrics> = {};
          for (const k of [...new Set(period.map((s) => keyOf(s.loop)))].sort()) {
            groups[k] = expected(
              period.filter((s) => keyOf(s.loop) === k),
              history,
              fromMs,
              asOfDate,
              withIds,
            );
          }
          want.groups = groups;
        }
        expect(report).toStrictEqual(want);
        if (groupBy) {
          // Without the groups' durations (the desk's weekly charts): the rest is the same.
          const lean = await store.metrics(
            envId,
            { from, to, asOf, groupBy },
            { groupDurations: false },
          );
          const none = { p50: null, p90: null };
          const groups = Object.fromEntries(
            Object.entries(want.groups ?? {}).map(([k, m]) => [
              k,
              { ...m, loops: { ...m.loops, timeToAcknowledge: none, timeToClose: none } },
            ]),
          );
          expect(lean).toStrictEqual({ ...want, groups });
        }
      },
    ),
    { numRuns },
  );
}
