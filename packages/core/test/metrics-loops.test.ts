import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Customer,
  type CustomerEvent,
  createLoop,
  customerAssetGrowth,
  DIMENSIONS,
  defineSurvey,
  groupBy,
  type Loop,
  type LoopState,
  loopDimension,
  loopHealth,
  metricBy,
  NONE,
  nps,
  type Response,
  type Route,
  responseDimension,
  riskSignals,
  type ScoredAnswer,
  segmentOf,
  transition,
  ValidationError,
  valueAtRisk,
} from "../src/index.js";
import { onboardingNps } from "./fixtures.js";

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** ISO time `ms` after T0. */
function at(ms: number): string {
  return new Date(T0 + ms).toISOString();
}

const followUp: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you. Thank you." } },
};

const noAction: Route = {
  action: "none",
  acknowledge: { message: { en: "Thank you!" } },
};

interface LoopSpec {
  id: string;
  route?: Route;
  segment?: string;
  /** Offset from T0 of the opening. */
  openedAt?: number;
  /** Moves after the opening, each at an offset from T0. */
  steps?: [LoopState, number][];
  context?: { surveyId?: string; journey?: string; touchpoint?: string; region?: string };
  customer?: Customer;
}

/** Builds a loop with createLoop and transition, at fixed times. */
function makeLoop(spec: LoopSpec): Loop {
  let loop = createLoop({
    id: spec.id,
    source: { kind: "response", id: `r-${spec.id}` },
    segment: spec.segment ?? "detractor",
    route: spec.route ?? followUp,
    at: at(spec.openedAt ?? 0),
    ...(spec.context ? { context: spec.context } : {}),
    ...(spec.customer ? { customer: spec.customer } : {}),
  });
  for (const [to, offset] of spec.steps ?? []) {
    loop = step(loop, to, offset);
  }
  return loop;
}

/** Moves `loop` to `to` at `offset` after T0; closing tells the customer by email. */
function step(loop: Loop, to: LoopState, offset: number): Loop {
  return transition(loop, to, {
    actor: "agent:ana",
    at: at(offset),
    ...(to === "closed"
      ? { informedVia: "email", message: "We fixed the import; thank you for telling us." }
      : {}),
  });
}

/** Runs `fn`, expects a ValidationError, and returns it. */
function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

describe("loopHealth", () => {
  // A: acknowledged at 1h, closed at 20h — on time.
  const a = makeLoop({
    id: "a",
    steps: [
      ["acknowledged", 1 * HOUR],
      ["assigned", 2 * HOUR],
      ["resolved", 10 * HOUR],
      ["closed", 20 * HOUR],
    ],
  });
  // B: acknowledged at 3h, closed late at 50h (due 48h) — closed but breached.
  const b = makeLoop({
    id: "b",
    steps: [
      ["acknowledged", 3 * HOUR],
      ["assigned", 3 * HOUR],
      ["resolved", 30 * HOUR],
      ["closed", 50 * HOUR],
    ],
  });
  // C: acknowledged late at 5h (due 4h), still assigned — open and breached.
  const c = makeLoop({
    id: "c",
    steps: [
      ["acknowledged", 5 * HOUR],
      ["assigned", 6 * HOUR],
    ],
  });
  // D: never acknowledged — open, breached once 4h have passed.
  const d = makeLoop({ id: "d" });
  // E: a no-action route acknowledged in 1 minute and closed at 2 minutes; no SLAs.
  const e = makeLoop({
    id: "e",
    route: noAction,
    segment: "promoter",
    steps: [
      ["acknowledged", 1 * MIN],
      ["closed", 2 * MIN],
    ],
  });
  // F: closed at 8h, reopened at 50h — open; its SLAs restart at the reopening (ack due 54h).
  const f = makeLoop({
    id: "f",
    steps: [
      ["acknowledged", 2 * HOUR],
      ["assigned", 2 * HOUR],
      ["resolved", 4 * HOUR],
      ["closed", 8 * HOUR],
      ["reopened", 50 * HOUR],
    ],
  });
  const loops = [a, b, c, d, e, f];

  it("builds the loops it is given (sanity)", () => {
    expect(loops.map((l) => l.state)).toEqual([
      "closed",
      "closed",
      "assigned",
      "received",
      "closed",
      "reopened",
    ]);
  });

  it("counts open and closed loops and the closure rate", () => {
    const h = loopHealth(loops, new Date(at(52 * HOUR)));
    expect(h.total).toBe(6);
    expect(h.open).toBe(3);
    expect(h.closed).toBe(3);
    expect(h.closureRate).toBe(0.5);
  });

  it("counts breached loops as of `now`", () => {
    // at 52h: B (closed late), C (acknowledged late), D (never acknowledged)
    expect(loopHealth(loops, new Date(at(52 * HOUR))).breached).toBe(3);
    // at 56h F's new acknowledgement deadline (54h) has passed too
    expect(loopHealth(loops, new Date(at(56 * HOUR))).breached).toBe(4);
    // D alone: not breached at 3h, breached after 4h
    expect(loopHealth([d], new Date(at(3 * HOUR))).breached).toBe(0);
    expect(loopHealth([d], new Date(at(4 * HOUR))).breached).toBe(0);
    expect(loopHealth([d], new Date(at(4 * HOUR + 1))).breached).toBe(1);
  });

  it("gives p50/p90 time to acknowledge from the first acknowledgement", () => {
    // A 1h, B 3h, C 5h, E 1m, F 2h → sorted [1m, 1h, 2h, 3h, 5h]; D never acknowledged
    const h = loopHealth(loops, new Date(at(52 * HOUR)));
    expect(h.timeToAcknowledge.p50).toBe(2 * HOUR);
    // pos = 4 · 0.9 = 3.6 → 3h + 0.6 · 2h = 4.2h
    expect(h.timeToAcknowledge.p90).toBeCloseTo(4.2 * HOUR, 0);
  });

  it("gives p50/p90 time to close from the first closing, reopened loops included", () => {
    // A 20h, B 50h, E 2m, F 8h (closed once, then reopened) → sorted [2m, 8h, 20h, 50h]
    const h = loopHealth(loops, new Date(at(52 * HOUR)));
    // pos = 1.5 → (8h + 20h) / 2
    expect(h.timeToClose.p50).toBe(14 * HOUR);
    // pos = 2.7 → 20h + 0.7 · 30h = 41h
    expect(h.timeToClose.p90).toBeCloseTo(41 * HOUR, 0);
  });

  it("measures from the opening, not from T0", () => {
    const late = makeLoop({
      id: "late",
      openedAt: 10 * DAY,
      steps: [
        ["acknowledged", 10 * DAY + 30 * MIN],
        ["assigned", 10 * DAY + 1 * HOUR],
        ["resolved", 10 * DAY + 2 * HOUR],
        ["closed", 10 * DAY + 6 * HOUR],
      ],
    });
    const h = loopHealth([late], new Date(at(11 * DAY)));
    expect(h.timeToAcknowledge).toEqual({ p50: 30 * MIN, p90: 30 * MIN });
    expect(h.timeToClose).toEqual({ p50: 6 * HOUR, p90: 6 * HOUR });
    expect(h.breached).toBe(0);
    expect(h.closureRate).toBe(1);
  });

  it("counts the first acknowledgement only for a reopened, re-acknowledged loop", () => {
    const again = step(f, "acknowledged", 51 * HOUR);
    const h = loopHealth([again], new Date(at(52 * HOUR)));
    expect(h.timeToAcknowledge).toEqual({ p50: 2 * HOUR, p90: 2 * HOUR });
    expect(h.timeToClose).toEqual({ p50: 8 * HOUR, p90: 8 * HOUR });
    expect(h.open).toBe(1);
    expect(h.breached).toBe(0);
  });

  it("gives nulls with no loops, and null percentiles until a loop gets there", () => {
    expect(loopHealth([], new Date(T0))).toEqual({
      total: 0,
      open: 0,
      closed: 0,
      closureRate: null,
      breached: 0,
      timeToAcknowledge: { p50: null, p90: null },
      timeToClose: { p50: null, p90: null },
    });
    const h = loopHealth([d], new Date(at(1 * HOUR)));
    expect(h).toEqual({
      total: 1,
      open: 1,
      closed: 0,
      closureRate: 0,
      breached: 0,
      timeToAcknowledge: { p50: null, p90: null },
      timeToClose: { p50: null, p90: null },
    });
  });

  it("does not change the loops it reads", () => {
    const before = JSON.stringify(loops);
    loopHealth(loops, new Date(at(52 * HOUR)));
    expect(JSON.stringify(loops)).toBe(before);
  });
});

describe("customerAssetGrowth", () => {
  const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" };
  const events: CustomerEvent[] = [
    { customerId: "c1", event: "gained", value: 1_000, at: "2026-03-01T00:00:00.000Z" }, // at from: in
    { customerId: "c2", event: "gained", value: 500, at: "2026-03-15T12:00:00.000Z" },
    { customerId: "c3", event: "gained", at: "2026-03-31T23:59:59.999Z" }, // no value: 0
    { customerId: "c4", event: "lost", value: 300, at: "2026-03-10T00:00:00.000Z" },
    { customerId: "c5", event: "gained", value: 9_999, at: "2026-04-01T00:00:00.000Z" }, // at to: out
    { customerId: "c6", event: "lost", value: 7_777, at: "2026-02-28T23:59:59.999Z" }, // before: out
  ];

  it("counts gained, lost and net in count and value within [from, to)", () => {
    expect(customerAssetGrowth(events, period)).toEqual({
      gained: { count: 3, value: 1_500 },
      lost: { count: 1, value: 300 },
      net: { count: 2, value: 1_200 },
    });
  });

  it("includes `from` and excludes `to`", () => {
    const onFrom: CustomerEvent[] = [{ customerId: "x", event: "lost", value: 5, at: period.from }];
    const onTo: CustomerEvent[] = [{ customerId: "x", event: "lost", value: 5, at: period.to }];
    expect(customerAssetGrowth(onFrom, period).lost).toEqual({ count: 1, value: 5 });
    expect(customerAssetGrowth(onTo, period).lost).toEqual({ count: 0, value: 0 });
  });

  it("refuses non-ISO dates, a period that ends before it starts, and unknown events", () => {
    const bad = [
      { customerId: "a", event: "won", value: 1, at: "2026-03-02T00:00:00.000Z" },
      { customerId: "b", event: "lost", value: 1, at: "March 3, 2026" },
    ] as unknown as CustomerEvent[];
    let caught: unknown;
    try {
      customerAssetGrowth(bad, { from: period.to, to: period.from });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      ["to", "invalid_period"],
      ["events.0.event", "invalid_value"],
      ["events.1.at", "invalid_date"],
    ]);
  });

  it("goes negative when more is lost than gained", () => {
    const r = customerAssetGrowth(
      [
        { customerId: "a", event: "lost", value: 800, at: "2026-03-02T00:00:00.000Z" },
        { customerId: "b", event: "lost", value: 200, at: "2026-03-03T00:00:00.000Z" },
        { customerId: "c", event: "gained", value: 100, at: "2026-03-04T00:00:00.000Z" },
      ],
      period,
    );
    expect(r.net).toEqual({ count: -1, value: -900 });
  });

  it("honours UTC offsets in event times", () => {
    // 2026-03-01T02:00+05:00 is 2026-02-28T21:00Z: before the period
    const r = customerAssetGrowth(
      [{ customerId: "a", event: "gained", value: 1, at: "2026-03-01T02:00:00+05:00" }],
      period,
    );
    expect(r.gained).toEqual({ count: 0, value: 0 });
  });

  it("gives zeros for no events", () => {
    expect(customerAssetGrowth([], period)).toEqual({
      gained: { count: 0, value: 0 },
      lost: { count: 0, value: 0 },
      net: { count: 0, value: 0 },
    });
  });

  it("throws a ValidationError for unparseable period bounds", () => {
    const err = validationErrorOf(() =>
      customerAssetGrowth(events, { from: "yesterday", to: "not a date" }),
    );
    expect(err.issues.map((i) => [i.path, i.code])).toEqual([
      ["from", "invalid_date"],
      ["to", "invalid_date"],
    ]);
  });

  it("throws a ValidationError naming every bad event time and value", () => {
    const err = validationErrorOf(() =>
      customerAssetGrowth(
        [
          { customerId: "a", event: "gained", value: -1, at: "2026-03-02T00:00:00.000Z" },
          { customerId: "b", event: "gained", value: 1, at: "soon" },
          { customerId: "c", event: "lost", value: Number.NaN, at: "2026-03-02T00:00:00.000Z" },
          { customerId: "d", event: "lost", value: Number.POSITIVE_INFINITY, at: "later" },
          { customerId: "e", event: "lost", value: 0, at: "2026-03-02T00:00:00.000Z" },
        ],
        period,
      ),
    );
    expect(err.name).toBe("ValidationError");
    expect(err.issues.map((i) => [i.path, i.code])).toEqual([
      ["events.0.value", "invalid_value"],
      ["events.1.at", "invalid_date"],
      ["events.2.value", "invalid_value"],
      ["events.3.at", "invalid_date"],
      ["events.3.value", "invalid_value"],
    ]);
  });

  it("property: net = gained − lost, and the counts add up to the events in the period", () => {
    const eventArb = fc.record({
      customerId: fc.constantFrom("a", "b", "c"),
      event: fc.constantFrom<"gained" | "lost">("gained", "lost"),
      value: fc.integer({ min: 0, max: 10_000 }),
      at: fc.integer({ min: -10 * DAY, max: 40 * DAY }).map((ms) => at(ms)),
    });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (evs) => {
        const r = customerAssetGrowth(evs, period);
        const inPeriod = evs.filter(
          (e) =>
            Date.parse(e.at) >= Date.parse(period.from) && Date.parse(e.at) < Date.parse(period.to),
        );
        expect(r.gained.count + r.lost.count).toBe(inPeriod.length);
        expect(r.net.count).toBe(r.gained.count - r.lost.count);
        expect(r.net.value).toBe(r.gained.value - r.lost.value);
        expect(r.gained.value).toBe(
          inPeriod.filter((e) => e.event === "gained").reduce((s, e) => s + e.value, 0),
        );
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe("valueAtRisk", () => {
  const customer = (id: string, value?: number): Customer =>
    value === undefined ? { id } : { id, value };

  it("sums customer.value of open loops in negative segments, each customer once", () => {
    const loops = [
      makeLoop({ id: "1", segment: "detractor", customer: customer("cus_1", 1_000) }),
      // a second open detractor loop of the same customer: counted once
      makeLoop({
        id: "2",
        segment: "detractor",
        customer: customer("cus_1", 1_000),
        steps: [["acknowledged", HOUR]],
      }),
      makeLoop({ id: "3", segment: "unsatisfied", customer: customer("cus_2", 500) }),
      makeLoop({ id: "4", segment: "high-effort", customer: customer("cus_3", 250) }),
      // no value: counted as a customer, adds 0
      makeLoop({ id: "5", segment: "low", customer: customer("cus_4") }),
      // reopened is open
      makeLoop({
        id: "6",
        segment: "detractor",
        customer: customer("cus_8", 100),
        steps: [
          ["acknowledged", HOUR],
          ["assigned", HOUR],
          ["resolved", 2 * HOUR],
          ["closed", 3 * HOUR],
          ["reopened", 4 * HOUR],
        ],
      }),
    ];
    expect(valueAtRisk(loops)).toEqual({ value: 1_850, customers: 5 });
  });

  it("ignores closed loops, non-negative segments and loops without a customer", () => {
    const loops = [
      makeLoop({
        id: "closed",
        segment: "detractor",
        customer: customer("cus_5", 9_999),
        steps: [
          ["acknowledged", HOUR],
          ["assigned", HOUR],
          ["resolved", 2 * HOUR],
          ["closed", 3 * HOUR],
        ],
      }),
      makeLoop({ id: "p", segment: "passive", route: noAction, customer: customer("cus_6", 10) }),
      makeLoop({ id: "pr", segment: "promoter", route: noAction, customer: customer("cus_7", 20) }),
      makeLoop({ id: "n", segment: "neutral", route: noAction, customer: customer("cus_9", 30) }),
      makeLoop({
        id: "s",
        segment: "satisfied",
        route: noAction,
        customer: customer("cus_10", 40),
      }),
      makeLoop({ id: "le", segment: "low-effort", customer: customer("cus_11", 50) }),
      makeLoop({ id: "hi", segment: "high", customer: customer("cus_12", 60) }),
      makeLoop({ id: "un", segment: "unscored", customer: customer("cus_13", 70) }),
      makeLoop({ id: "all", segment: "all", customer: customer("cus_14", 80) }),
      makeLoop({ id: "anon", segment: "detractor" }),
    ];
    expect(valueAtRisk(loops)).toEqual({ value: 0, customers: 0 });
  });

  it("counts a customer whose closed loop sits beside an open detractor loop", () => {
    const closed = makeLoop({
      id: "x1",
      segment: "detractor",
      customer: customer("cus_1", 400),
      steps: [
        ["acknowledged", HOUR],
        ["assigned", HOUR],
        ["resolved", 2 * HOUR],
        ["closed", 3 * HOUR],
      ],
    });
    const open = makeLoop({ id: "x2", segment: "detractor", customer: customer("cus_1", 400) });
    expect(valueAtRisk([closed, open])).toEqual({ value: 400, customers: 1 });
    expect(valueAtRisk([open, closed])).toEqual({ value: 400, customers: 1 });
  });

  it("counts a customer once at the highest value seen, whatever the order", () => {
    const a = makeLoop({ id: "v1", customer: { id: "c", value: 100 } });
    const b = makeLoop({ id: "v2", customer: { id: "c", value: 900 } });
    expect(valueAtRisk([a, b])).toEqual({ value: 900, customers: 1 });
    expect(valueAtRisk([b, a])).toEqual({ value: 900, customers: 1 });
  });

  it("takes an isNegative predicate so feedback loops (segment = channel) can count", () => {
    const ticket = makeLoop({ id: "f1", segment: "support", customer: { id: "c9", value: 40 } });
    expect(valueAtRisk([ticket])).toEqual({ value: 0, customers: 0 });
    expect(valueAtRisk([ticket], { isNegative: (l) => l.segment === "support" })).toEqual({
      value: 40,
      customers: 1,
    });
  });

  it("groups a loop by its customer's region when its context has none", () => {
    const l = makeLoop({ id: "g1", customer: { id: "c1", region: "apac" } });
    expect(loopDimension("region")(l)).toBe("apac");
  });

  it("is zero for no loops", () => {
    expect(valueAtRisk([])).toEqual({ value: 0, customers: 0 });
  });
});

describe("riskSignals", () => {
  const ans = (day: number, score: number, segment?: string): ScoredAnswer => ({
    at: at(day * DAY),
    score,
    segment: segment ?? (score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter"),
  });

  it("fires score_drop when a score drops by 3 or more between consecutive answers", () => {
    expect(riskSignals({ cus_1: [ans(0, 9), ans(30, 5)] })).toStrictEqual([
      { customerId: "cus_1", reason: "score_drop", at: at(30 * DAY), from: 9, to: 5 },
    ]);
    // exactly 3
    expect(riskSignals({ cus_1: [ans(0, 10), ans(30, 7)] })).toStrictEqual([
      { customerId: "cus_1", reason: "score_drop", at: at(30 * DAY), from: 10, to: 7 },
    ]);
  });

  it("does not fire for a drop of 2, a rise, or a slide spread over several answers", () => {
    expect(riskSignals({ cus_1: [ans(0, 10), ans(30, 8)] })).toEqual([]);
    expect(riskSignals({ cus_1: [ans(0, 2, "low"), ans(30, 9)] })).toEqual([]);
    // 10 → 8 → 7 → 9: no consecutive drop of 3 (10 → 7 overall, but not consecutive)
    expect(riskSignals({ cus_1: [ans(0, 10), ans(10, 8), ans(20, 7), ans(30, 9)] })).toEqual([]);
  });

  it("fires once per drop", () => {
    expect(
      riskSignals({ cus_1: [ans(0, 10), ans(200, 7), ans(400, 10), ans(600, 7)] }).map((s) => [
        s.reason,
        s.at,
      ]),
    ).toEqual([
      ["score_drop", at(200 * DAY)],
      ["score_drop", at(600 * DAY)],
    ]);
  });

  it("fires one repeat_detractor for two detractor answers within 90 days", () => {
    expect(riskSignals({ cus_1: [ans(0, 6), ans(60, 6)] })).toStrictEqual([
      { customerId: "cus_1", reason: "repeat_detractor", at: at(60 * DAY) },
    ]);
  });

  it("counts exactly 90 days as within, and 91 days apart as not", () => {
    expect(riskSignals({ cus_1: [ans(0, 5), ans(90, 5)] })).toStrictEqual([
      { customerId: "cus_1", reason: "repeat_detractor", at: at(90 * DAY) },
    ]);
    expect(riskSignals({ cus_1: [ans(0, 5), ans(91, 5)] })).toEqual([]);
  });

  it("fires repeat_detractor only once per customer, however many detractor answers", () => {
    const signals = riskSignals({ cus_1: [ans(0, 4), ans(10, 4), ans(20, 4), ans(30, 4)] });
    expect(signals).toStrictEqual([
      { customerId: "cus_1", reason: "repeat_detractor", at: at(10 * DAY) },
    ]);
  });

  it("uses the latest detractor answer as the start of the 90-day window", () => {
    // 0 and 100 are 100 days apart; 100 and 150 are 50 days apart
    expect(riskSignals({ cus_1: [ans(0, 5), ans(100, 5), ans(150, 5)] })).toStrictEqual([
      { customerId: "cus_1", reason: "repeat_detractor", at: at(150 * DAY) },
    ]);
  });

  it("is not fooled by a non-detractor answer in between", () => {
    expect(
      riskSignals({ cus_1: [ans(0, 6), ans(20, 9), ans(40, 6)] }).map((s) => s.reason),
    ).toEqual(["score_drop", "repeat_detractor"]);
  });

  it("reports a drop and a repeat on the same answer, drop first", () => {
    expect(riskSignals({ cus_1: [ans(0, 6), ans(10, 2)] })).toStrictEqual([
      { customerId: "cus_1", reason: "score_drop", at: at(10 * DAY), from: 6, to: 2 },
      { customerId: "cus_1", reason: "repeat_detractor", at: at(10 * DAY) },
    ]);
  });

  it("sorts unsorted answers by time before comparing", () => {
    // given newest first: in time it is 9 → 5 (a drop), not 5 → 9
    expect(riskSignals({ cus_1: [ans(30, 5), ans(0, 9)] })).toStrictEqual([
      { customerId: "cus_1", reason: "score_drop", at: at(30 * DAY), from: 9, to: 5 },
    ]);
    // 2 → 9 in time: a rise, no signal, though given as 9 then 2
    expect(riskSignals({ cus_1: [ans(30, 9), ans(0, 2, "low")] })).toEqual([]);
  });

  it("compares times, not strings, across UTC offsets", () => {
    // 2026-03-01T01:00+02:00 (= 2026-02-28T23:00Z) is before 2026-03-01T00:00Z
    const signals = riskSignals({
      cus_1: [
        { at: "2026-03-01T00:00:00.000Z", score: 4, segment: "detractor" },
        { at: "2026-03-01T01:00:00+02:00", score: 9, segment: "promoter" },
      ],
    });
    expect(signals).toStrictEqual([
      { customerId: "cus_1", reason: "score_drop", at: "2026-03-01T00:00:00.000Z", from: 9, to: 4 },
    ]);
  });

  it("ignores answers with unparseable times", () => {
    expect(
      riskSignals({
        cus_1: [ans(0, 10), { at: "whenever", score: 1, segment: "detractor" }, ans(10, 9)],
      }),
    ).toEqual([]);
  });

  it("keeps customers apart", () => {
    const signals = riskSignals({
      cus_1: [ans(0, 10)],
      cus_2: [ans(10, 3)],
      cus_3: [ans(0, 6), ans(5, 6)],
    });
    expect(signals).toStrictEqual([
      { customerId: "cus_3", reason: "repeat_detractor", at: at(5 * DAY) },
    ]);
  });

  it("gives nothing for no customers or a single answer", () => {
    expect(riskSignals({})).toEqual([]);
    expect(riskSignals({ cus_1: [ans(0, 0)] })).toEqual([]);
    expect(riskSignals({ cus_1: [] })).toEqual([]);
  });

  it("property: the result does not depend on the order the answers are given in", () => {
    const answerArb = fc
      .tuple(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 10 }))
      .map(([day, score]) => ans(day, score));
    fc.assert(
      fc.property(
        fc.uniqueArray(answerArb, { maxLength: 12, selector: (a) => a.at }),
        (answers) => {
          const reversed = riskSignals({ c: [...answers].reverse() });
          expect(reversed).toEqual(riskSignals({ c: answers }));
          const repeats = reversed.filter((s) => s.reason === "repeat_detractor");
          expect(repeats.length).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 31, numRuns: 200 },
    );
  });
});

describe("grouping", () => {
  it("groupBy splits items by key, in first-seen order, missing keys under (none)", () => {
    const items = [{ id: 1, k: "b" }, { id: 2 }, { id: 3, k: "a" }, { id: 4, k: "b" }, { id: 5 }];
    const groups = groupBy(items, (i: { id: number; k?: string }) => i.k);
    expect(NONE).toBe("(none)");
    expect([...groups.keys()]).toEqual(["b", "(none)", "a"]);
    expect(groups.get("b")?.map((i) => i.id)).toEqual([1, 4]);
    expect(groups.get("(none)")?.map((i) => i.id)).toEqual([2, 5]);
    expect(groups.get("a")?.map((i) => i.id)).toEqual([3]);
  });

  it("groupBy of nothing is empty", () => {
    expect(groupBy([], () => "x").size).toBe(0);
  });

  it("property: groupBy partitions the items without losing or reordering any", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined }), { maxLength: 50 }),
        (keys) => {
          const items = keys.map((k, i) => ({ i, k }));
          const groups = groupBy(items, (x) => x.k);
          let total = 0;
          for (const [key, group] of groups) {
            total += group.length;
            expect(group.every((x) => (x.k ?? NONE) === key)).toBe(true);
            const order = group.map((x) => x.i);
            expect(order).toEqual([...order].sort((p, q) => p - q));
          }
          expect(total).toBe(items.length);
        },
      ),
      { seed: 41, numRuns: 200 },
    );
  });

  it("lists the five dimensions", () => {
    expect(DIMENSIONS).toEqual(["survey", "journey", "touchpoint", "region", "segment"]);
  });

  const full = makeLoop({
    id: "full",
    segment: "detractor",
    context: {
      surveyId: "onboarding-nps",
      journey: "onboarding",
      touchpoint: "first-week",
      region: "eu",
    },
  });
  const bare = makeLoop({ id: "bare", segment: "promoter", route: noAction });

  it("loopDimension reads each dimension of a loop", () => {
    expect(loopDimension("survey")(full)).toBe("onboarding-nps");
    expect(loopDimension("journey")(full)).toBe("onboarding");
    expect(loopDimension("touchpoint")(full)).toBe("first-week");
    expect(loopDimension("region")(full)).toBe("eu");
    expect(loopDimension("segment")(full)).toBe("detractor");
  });

  it("loopDimension gives undefined for a missing context, grouped under (none)", () => {
    for (const dim of ["survey", "journey", "touchpoint", "region"] as const) {
      expect(loopDimension(dim)(bare)).toBeUndefined();
      expect([...groupBy([full, bare], loopDimension(dim)).keys()]).toEqual([
        loopDimension(dim)(full),
        "(none)",
      ]);
    }
    expect(loopDimension("segment")(bare)).toBe("promoter");
  });

  const survey = defineSurvey(onboardingNps());
  const response = (
    n: number,
    score: number | undefined,
    context: Response["context"],
  ): Response => ({
    id: `0195a000-0000-7000-8000-${String(n).padStart(12, "0")}`,
    surveyId: "onboarding-nps",
    surveyVersion: 1,
    respondent: { id: `user-${n}` },
    answers: score === undefined ? {} : { score },
    finished: true,
    locale: "en",
    context,
    createdAt: at(n * MIN),
    idempotencyKey: `k-${n}`,
  });

  it("responseDimension reads each dimension of a response", () => {
    const r = response(1, 3, { journey: "onboarding", touchpoint: "first-week", region: "eu" });
    expect(responseDimension("survey")(r)).toBe("onboarding-nps");
    expect(responseDimension("journey")(r)).toBe("onboarding");
    expect(responseDimension("touchpoint")(r)).toBe("first-week");
    expect(responseDimension("region")(r)).toBe("eu");
    expect(responseDimension("segment", (x) => segmentOf(survey, x.answers))(r)).toBe("detractor");
  });

  it("responseDimension gives undefined for a missing context or no segment function", () => {
    const r = response(2, 10, {});
    expect(responseDimension("journey")(r)).toBeUndefined();
    expect(responseDimension("region")(r)).toBeUndefined();
    expect(responseDimension("segment")(r)).toBeUndefined();
    expect([...groupBy([r], responseDimension("segment")).keys()]).toEqual(["(none)"]);
    expect(responseDimension("segment", (x) => segmentOf(survey, x.answers))(r)).toBe("promoter");
    expect(
      responseDimension("segment", (x) => segmentOf(survey, x.answers))(response(3, undefined, {})),
    ).toBe("unscored");
  });

  it("metricBy applies loopHealth per journey", () => {
    const onb = (id: string, steps: [LoopState, number][]) =>
      makeLoop({ id, context: { journey: "onboarding" }, steps });
    const loops = [
      onb("o1", [
        ["acknowledged", 1 * HOUR],
        ["assigned", 1 * HOUR],
        ["resolved", 2 * HOUR],
        ["closed", 3 * HOUR],
      ]),
      onb("o2", []),
      makeLoop({
        id: "b1",
        context: { journey: "billing" },
        steps: [["acknowledged", 2 * HOUR]],
      }),
      makeLoop({ id: "x1" }),
    ];
    const now = new Date(at(5 * HOUR));
    const byJourney = metricBy(loops, loopDimension("journey"), (g) => loopHealth(g, now));
    expect(Object.keys(byJourney)).toEqual(["onboarding", "billing", "(none)"]);
    expect(byJourney.onboarding).toMatchObject({
      total: 2,
      open: 1,
      closed: 1,
      closureRate: 0.5,
      breached: 1, // o2 never acknowledged, due at 4h
      timeToAcknowledge: { p50: 1 * HOUR, p90: 1 * HOUR },
      timeToClose: { p50: 3 * HOUR, p90: 3 * HOUR },
    });
    expect(byJourney.billing).toMatchObject({
      total: 1,
      open: 1,
      closed: 0,
      closureRate: 0,
      breached: 0,
      timeToAcknowledge: { p50: 2 * HOUR, p90: 2 * HOUR },
      timeToClose: { p50: null, p90: null },
    });
    expect(byJourney["(none)"]).toMatchObject({ total: 1, open: 1, breached: 1 });
  });

  it("metricBy applies nps per journey", () => {
    const responses = [
      response(1, 10, { journey: "onboarding" }),
      response(2, 9, { journey: "onboarding" }),
      response(3, 3, { journey: "onboarding" }),
      response(4, 8, { journey: "onboarding" }),
      response(5, 2, { journey: "billing" }),
      response(6, 0, { journey: "billing" }),
      response(7, 10, {}),
    ];
    const scoreOf = (r: Response): number[] => {
      const s = r.answers.score;
      return typeof s === "number" ? [s] : [];
    };
    const byJourney = metricBy(responses, responseDimension("journey"), (g) =>
      nps(g.flatMap(scoreOf)),
    );
    expect(Object.keys(byJourney)).toEqual(["onboarding", "billing", "(none)"]);
    expect(byJourney.onboarding).toMatchObject({
      score: 25,
      n: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
    });
    expect(byJourney.billing).toMatchObject({ score: -100, n: 2, detractors: 2 });
    expect(byJourney["(none)"]).toMatchObject({ score: 100, n: 1, promoters: 1 });
  });

  it("metricBy by segment agrees with the segment counts of nps", () => {
    const responses = [0, 3, 6, 7, 8, 9, 10, 10].map((s, i) => response(i + 1, s, {}));
    const bySegment = metricBy(
      responses,
      responseDimension("segment", (r) => segmentOf(survey, r.answers)),
      (g) => g.length,
    );
    expect(bySegment).toEqual({ detractor: 3, passive: 2, promoter: 3 });
  });

  it("metricBy of nothing is an empty record", () => {
    expect(metricBy([], loopDimension("survey"), (g) => g.length)).toEqual({});
  });
});
