import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinHeap } from "../src/heap.js";
import {
  canTransition,
  createLoop,
  createLoopClock,
  type DeadlineKind,
  type DueDeadline,
  LOOP_STATES,
  type Loop,
  type LoopClock,
  type LoopState,
  type Route,
  type TransitionOptions,
  transition,
} from "../src/index.js";

const T0 = "2026-11-23T10:00:00.000Z";
const T0_MS = Date.parse(T0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function iso(ms: number): string {
  return new Date(T0_MS + ms).toISOString();
}
function date(ms: number): Date {
  return new Date(T0_MS + ms);
}

const followUp: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "Sorry — we will call you. Thank you." } },
};
const noSla: Route = { action: "none", acknowledge: { message: { en: "Thank you." } } };

function open(id: string, route: Route = followUp, atMs = 0): Loop {
  return createLoop({
    id,
    source: { kind: "response", id: `r-${id}` },
    segment: "detractor",
    route,
    at: iso(atMs),
  });
}

function opts(ms: number): TransitionOptions {
  return { actor: "agent:ana", at: iso(ms), informedVia: "email", message: "Fixed." };
}

function walk(loop: Loop, steps: [LoopState, number][]): Loop {
  return steps.reduce((l, [to, ms]) => transition(l, to, opts(ms)), loop);
}

function closed(loop: Loop, ms: number): Loop {
  return walk(loop, [
    ["acknowledged", ms],
    ["assigned", ms],
    ["resolved", ms],
    ["closed", ms],
  ]);
}

describe("createLoopClock", () => {
  it("starts empty", () => {
    const clock = createLoopClock();
    expect(clock.size).toBe(0);
    expect(clock.next()).toBeUndefined();
    expect(clock.due(date(1_000 * HOUR))).toEqual([]);
  });

  it("schedules a loop's deadlines and yields each once, when due", () => {
    const clock = createLoopClock();
    clock.schedule(open("a"));
    expect(clock.size).toBe(1);
    expect(clock.next()).toEqual({ loopId: "a", deadline: "acknowledge", due: iso(4 * HOUR) });
    expect(clock.due(date(4 * HOUR - 1))).toEqual([]);
    expect(clock.due(date(4 * HOUR))).toEqual([
      { loopId: "a", deadline: "acknowledge", due: iso(4 * HOUR) },
    ]);
    expect(clock.due(date(4 * HOUR))).toEqual([]);
    expect(clock.due(date(47 * HOUR))).toEqual([]);
    expect(clock.next()).toEqual({ loopId: "a", deadline: "close", due: iso(48 * HOUR) });
    expect(clock.due(date(100 * HOUR))).toEqual([
      { loopId: "a", deadline: "close", due: iso(48 * HOUR) },
    ]);
    expect(clock.due(date(1_000 * HOUR))).toEqual([]);
    expect(clock.next()).toBeUndefined();
  });

  it("yields every deadline due at once, earliest first, across loops", () => {
    const clock = createLoopClock();
    clock.schedule(open("late", followUp, 3 * HOUR)); // ack 7h, close 51h
    clock.schedule(open("early", followUp, 0)); // ack 4h, close 48h
    clock.schedule(open("mid", followUp, 1 * HOUR)); // ack 5h, close 49h
    expect(clock.size).toBe(3);
    expect(clock.next()?.loopId).toBe("early");
    const out = clock.due(date(60 * HOUR));
    expect(out.map((d) => `${d.loopId}:${d.deadline}`)).toEqual([
      "early:acknowledge",
      "mid:acknowledge",
      "late:acknowledge",
      "early:close",
      "mid:close",
      "late:close",
    ]);
    expect(out.map((d) => d.due)).toEqual([
      iso(4 * HOUR),
      iso(5 * HOUR),
      iso(7 * HOUR),
      iso(48 * HOUR),
      iso(49 * HOUR),
      iso(51 * HOUR),
    ]);
  });

  it("yields deadlines in time order when time advances in steps", () => {
    const clock = createLoopClock();
    for (let i = 0; i < 10; i++) clock.schedule(open(`l${i}`, followUp, ((i * 7) % 10) * HOUR));
    const yielded: DueDeadline[] = [];
    for (let h = 0; h <= 80; h++) yielded.push(...clock.due(date(h * HOUR)));
    expect(yielded).toHaveLength(20);
    const dues = yielded.map((d) => Date.parse(d.due));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(new Set(yielded.map((d) => `${d.loopId}:${d.deadline}`)).size).toBe(20);
  });

  it("drops met deadlines when rescheduled after a transition", () => {
    const clock = createLoopClock();
    const loop = open("a");
    clock.schedule(loop);
    const acked = transition(loop, "acknowledged", opts(HOUR));
    clock.schedule(acked);
    expect(clock.size).toBe(1);
    expect(clock.next()).toEqual({ loopId: "a", deadline: "close", due: iso(48 * HOUR) });
    expect(clock.due(date(100 * HOUR))).toEqual([
      { loopId: "a", deadline: "close", due: iso(48 * HOUR) },
    ]);
  });

  it("drops a loop once it is closed", () => {
    const clock = createLoopClock();
    const loop = open("a");
    clock.schedule(loop);
    clock.schedule(open("b"));
    clock.schedule(closed(loop, HOUR));
    expect(clock.size).toBe(1);
    expect(clock.due(date(100 * HOUR)).map((d) => d.loopId)).toEqual(["b", "b"]);
  });

  it("does not track a closed loop, nor one whose route has no SLA", () => {
    const clock = createLoopClock();
    clock.schedule(closed(open("a"), HOUR));
    clock.schedule(open("b", noSla));
    expect(clock.size).toBe(0);
    expect(clock.next()).toBeUndefined();
    expect(clock.due(date(1_000 * HOUR))).toEqual([]);
  });

  it("tracks a reopened loop again, with deadlines from the reopening", () => {
    const clock = createLoopClock();
    const c = closed(open("a"), HOUR);
    clock.schedule(c);
    expect(clock.size).toBe(0);
    clock.schedule(transition(c, "reopened", opts(10 * HOUR)));
    expect(clock.size).toBe(1);
    expect(clock.due(date(100 * HOUR))).toEqual([
      { loopId: "a", deadline: "acknowledge", due: iso(14 * HOUR) },
      { loopId: "a", deadline: "close", due: iso(58 * HOUR) },
    ]);
  });

  it("remove stops tracking a loop; removing an unknown id does nothing", () => {
    const clock = createLoopClock();
    clock.schedule(open("a"));
    clock.schedule(open("b", followUp, HOUR));
    clock.remove("a");
    clock.remove("nope");
    expect(clock.size).toBe(1);
    expect(clock.next()).toEqual({ loopId: "b", deadline: "acknowledge", due: iso(5 * HOUR) });
    expect(clock.due(date(100 * HOUR)).map((d) => `${d.loopId}:${d.deadline}`)).toEqual([
      "b:acknowledge",
      "b:close",
    ]);
    clock.remove("b");
    expect(clock.size).toBe(0);
  });

  it("does not duplicate deadlines when the same loop is scheduled many times", () => {
    const clock = createLoopClock();
    const loop = open("a");
    for (let i = 0; i < 200; i++) clock.schedule(loop);
    clock.schedule(open("b", followUp, HOUR));
    expect(clock.size).toBe(2);
    expect(clock.due(date(100 * HOUR)).map((d) => `${d.loopId}:${d.deadline}`)).toEqual([
      "a:acknowledge",
      "b:acknowledge",
      "a:close",
      "b:close",
    ]);
  });

  it("does not yield a deadline again when the loop is rescheduled after it came due", () => {
    const clock = createLoopClock();
    const loop = open("a");
    clock.schedule(loop);
    expect(clock.due(date(5 * HOUR)).map((d) => d.deadline)).toEqual(["acknowledge"]);
    // Rescheduling the same, still unacknowledged state must not re-arm the missed deadline.
    clock.schedule(loop);
    expect(clock.next()).toEqual({ loopId: "a", deadline: "close", due: iso(48 * HOUR) });
    expect(clock.due(date(6 * HOUR))).toEqual([]);
    expect(clock.due(date(50 * HOUR))).toEqual([
      { loopId: "a", deadline: "close", due: iso(48 * HOUR) },
    ]);
    // Acknowledged and assigned late, rescheduled after each transition: the missed close
    // deadline is still unmet but was already yielded.
    const acked = transition(loop, "acknowledged", opts(51 * HOUR));
    clock.schedule(acked);
    clock.schedule(transition(acked, "assigned", opts(52 * HOUR)));
    expect(clock.size).toBe(1);
    expect(clock.next()).toBeUndefined();
    expect(clock.due(date(1_000 * HOUR))).toEqual([]);
  });

  it("yields a deadline again once the loop was removed and scheduled anew", () => {
    const clock = createLoopClock();
    const loop = open("a");
    clock.schedule(loop);
    expect(clock.due(date(5 * HOUR))).toHaveLength(1);
    clock.remove("a");
    clock.schedule(loop);
    expect(clock.due(date(5 * HOUR))).toEqual([
      { loopId: "a", deadline: "acknowledge", due: iso(4 * HOUR) },
    ]);
  });

  it("yields the reopened cycle's deadlines even if the earlier cycle's came due", () => {
    const clock = createLoopClock();
    const loop = open("a");
    clock.schedule(loop);
    expect(clock.due(date(5 * HOUR))).toHaveLength(1);
    const resolved = walk(loop, [
      ["acknowledged", 6 * HOUR],
      ["assigned", 6 * HOUR],
      ["resolved", 7 * HOUR],
    ]);
    clock.schedule(resolved);
    clock.schedule(transition(resolved, "reopened", opts(8 * HOUR)));
    expect(clock.due(date(100 * HOUR))).toEqual([
      { loopId: "a", deadline: "acknowledge", due: iso(12 * HOUR) },
      { loopId: "a", deadline: "close", due: iso(56 * HOUR) },
    ]);
  });

  it("yields deadlines due at the same instant together", () => {
    const clock = createLoopClock();
    const same: Route = { ...followUp, acknowledgeWithin: "2d", closeWithin: "48h" };
    clock.schedule(open("a", same));
    const out = clock.due(date(48 * HOUR));
    expect(out.map((d) => d.deadline).sort()).toEqual(["acknowledge", "close"]);
    expect(out.map((d) => d.due)).toEqual([iso(48 * HOUR), iso(48 * HOUR)]);
  });

  // Correctness only; the timeout is generous so that a slow CI machine does not fail it.
  it("schedules 100k loops and drains every deadline once, in order", { timeout: 30_000 }, () => {
    const n = 100_000;
    const clock = createLoopClock();
    for (let i = 0; i < n; i++) {
      // A permutation of 0..n-1 seconds, so loops are not scheduled in deadline order.
      const openedAt = iso(((i * 7_919) % n) * 1_000);
      const loop: Loop = {
        id: `loop-${i}`,
        source: { kind: "response", id: `r-${i}` },
        segment: "detractor",
        route: followUp,
        state: "received",
        openedAt,
        updatedAt: openedAt,
        context: {},
        events: [{ from: null, to: "received", actor: "system", at: openedAt }],
      };
      clock.schedule(loop);
    }
    expect(clock.size).toBe(n);
    // Acknowledgements fall due between 4h and 32h, closes between 48h and 76h.
    const first = clock.due(date(40 * HOUR));
    const rest = clock.due(date(1_000 * HOUR));
    expect(first).toHaveLength(n);
    expect(first.every((d) => d.deadline === "acknowledge")).toBe(true);
    expect(rest).toHaveLength(n);
    expect(rest.every((d) => d.deadline === "close")).toBe(true);
    const all = [...first, ...rest];
    let sorted = true;
    for (let i = 1; i < all.length; i++) {
      if ((all[i - 1] as DueDeadline).due > (all[i] as DueDeadline).due) sorted = false;
    }
    expect(sorted).toBe(true);
    expect(new Set(first.map((d) => d.loopId)).size).toBe(n);
    expect(new Set(rest.map((d) => d.loopId)).size).toBe(n);
    expect(first[0]).toEqual({ loopId: "loop-0", deadline: "acknowledge", due: iso(4 * HOUR) });
    expect(clock.next()).toBeUndefined();
    expect(clock.due(date(10_000 * HOUR))).toEqual([]);
  });
});

describe("MinHeap", () => {
  it("pops in sorted order for random inputs", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000, max: 1_000 }), { maxLength: 300 }), (xs) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        for (const x of xs) heap.push(x);
        expect(heap.size).toBe(xs.length);
        const out: number[] = [];
        for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
        expect(out).toEqual([...xs].sort((a, b) => a - b));
        expect(heap.size).toBe(0);
        expect(heap.peek()).toBeUndefined();
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("matches a sorted-array model under interleaved push, pop and retain", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), value: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant("pop" as const) }),
      fc.record({ kind: fc.constant("retain" as const), mod: fc.integer({ min: 2, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        let model: number[] = [];
        for (const o of ops) {
          if (o.kind === "push") {
            heap.push(o.value);
            model.push(o.value);
            model.sort((a, b) => a - b);
          } else if (o.kind === "pop") {
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.retain((x) => x % o.mod !== 0);
            model = model.filter((x) => x % o.mod !== 0);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model[0]);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("orders by the given comparator", () => {
    const heap = new MinHeap<{ due: number; id: string }>((a, b) => a.due > b.due);
    for (const [due, id] of [
      [3, "c"],
      [9, "i"],
      [1, "a"],
      [5, "e"],
    ] as const) {
      heap.push({ due, id });
    }
    const out: string[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x.id);
    expect(out).toEqual(["i", "e", "c", "a"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Model test: the clock against a brute-force oracle.

const DURATION_MS: Record<string, number> = { s: 1_000, m: MIN, h: HOUR };

/** Brute-force reading of a route duration (the test's own, independent of parseDuration). */
function durationMs(d: string): number {
  const unit = d.slice(-1);
  return Number(d.slice(0, -1)) * (DURATION_MS[unit] ?? Number.NaN);
}

/** Unmet deadlines of the loop's current cycle, computed from scratch. */
function oraclePending(loop: Loop): { deadline: DeadlineKind; due: number }[] {
  let start = 0;
  loop.events.forEach((e, i) => {
    if (e.to === "reopened") start = i;
  });
  const base = Date.parse((loop.events[start] as { at: string }).at);
  const after = loop.events.slice(start + 1);
  const out: { deadline: DeadlineKind; due: number }[] = [];
  if (loop.route.acknowledgeWithin && !after.some((e) => e.to === "acknowledged")) {
    out.push({ deadline: "acknowledge", due: base + durationMs(loop.route.acknowledgeWithin) });
  }
  if (loop.route.closeWithin && !after.some((e) => e.to === "closed")) {
    out.push({ deadline: "close", due: base + durationMs(loop.route.closeWithin) });
  }
  return out;
}

/** The clock as a plain list: what is tracked, what is pending, what was already yielded. */
class OracleClock {
  private readonly tracked = new Map<
    string,
    { pending: { deadline: DeadlineKind; due: number }[]; fired: Set<string> }
  >();

  schedule(loop: Loop): void {
    const pending = oraclePending(loop);
    if (loop.state === "closed" || pending.length === 0) {
      this.tracked.delete(loop.id);
      return;
    }
    const fired = this.tracked.get(loop.id)?.fired ?? new Set<string>();
    this.tracked.set(loop.id, {
      pending: pending.filter((p) => !fired.has(`${p.deadline}@${p.due}`)),
      fired,
    });
  }

  remove(loopId: string): void {
    this.tracked.delete(loopId);
  }

  hasFired(loopId: string): boolean {
    return (this.tracked.get(loopId)?.fired.size ?? 0) > 0;
  }

  due(now: number): DueDeadline[] {
    const out: { loopId: string; deadline: DeadlineKind; due: number }[] = [];
    for (const [loopId, t] of this.tracked) {
      for (const p of t.pending) {
        if (p.due <= now) {
          out.push({ loopId, ...p });
          t.fired.add(`${p.deadline}@${p.due}`);
        }
      }
      t.pending = t.pending.filter((p) => p.due > now);
    }
    return out.map((d) => ({ ...d, due: new Date(d.due).toISOString() }));
  }

  nextDue(): string | undefined {
    let min = Number.POSITIVE_INFINITY;
    for (const t of this.tracked.values()) for (const p of t.pending) min = Math.min(min, p.due);
    return Number.isFinite(min) ? new Date(min).toISOString() : undefined;
  }

  get size(): number {
    return this.tracked.size;
  }
}

function canonical(ds: DueDeadline[]): string[] {
  return ds.map((d) => `${d.due} ${d.loopId} ${d.deadline}`).sort();
}

const routeArb: fc.Arbitrary<Route> = fc
  .record({
    action: fc.constantFrom("follow-up" as const, "none" as const),
    ack: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    close: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
    ackUnit: fc.constantFrom("s", "m"),
  })
  .map(({ action, ack, close, ackUnit }) => {
    const route: Route = { action, owner: "support", acknowledge: { message: { en: "Thanks." } } };
    if (ack !== undefined) route.acknowledgeWithin = `${ack}${ackUnit}`;
    if (close !== undefined) route.closeWithin = `${close}m`;
    return route;
  });

interface WalkSpec {
  route: Route;
  openedMin: number;
  steps: { pick: number; dtMin: number }[];
}

/** A loop's successive snapshots: opened at a random time, then random legal moves. */
const walkArb: fc.Arbitrary<WalkSpec> = fc.record({
  route: routeArb,
  openedMin: fc.integer({ min: 0, max: 120 }),
  steps: fc.array(fc.record({ pick: fc.nat(), dtMin: fc.integer({ min: 0, max: 90 }) }), {
    maxLength: 12,
    size: "max",
  }),
});

function history(id: string, { route, openedMin, steps }: WalkSpec): Loop[] {
  let loop = open(id, route, openedMin * MIN);
  let t = openedMin * MIN;
  const snapshots = [loop];
  for (const s of steps) {
    const legal = LOOP_STATES.filter((to) => canTransition(loop.state, to, route.action));
    const to = legal[s.pick % legal.length] as LoopState;
    t += s.dtMin * MIN;
    loop = transition(loop, to, opts(t));
    snapshots.push(loop);
  }
  return snapshots;
}

const LOOPS = 12;
const opArb = fc.oneof(
  {
    weight: 5,
    // Moves the loop's snapshot forward by 0–3 transitions, as a caller rescheduling after each
    // transition (or rescheduling the same state again) would.
    arbitrary: fc.record({
      kind: fc.constant("schedule" as const),
      loop: fc.nat({ max: LOOPS - 1 }),
      forward: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("remove" as const), loop: fc.nat({ max: LOOPS }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      dtMs: fc.oneof(fc.integer({ min: 0, max: 90 * MIN }), fc.constant(0)),
    }),
  },
);

describe("LoopClock model test", () => {
  it("agrees with a brute-force oracle over random schedule/remove/advance sequences", () => {
    // How much the runs exercised, to check the generators reach the interesting cases.
    const seen = { yielded: 0, rescheduledAfterYield: 0, closed: 0, reopened: 0 };
    fc.assert(
      fc.property(
        fc.array(walkArb, { minLength: LOOPS, maxLength: LOOPS }),
        fc.array(opArb, { minLength: 20, maxLength: 200, size: "max" }),
        (walks, ops) => {
          const histories = walks.map((w, i) => history(`loop-${i}`, w));
          const clock: LoopClock = createLoopClock();
          const oracle = new OracleClock();
          const cursor = histories.map(() => 0);
          let now = T0_MS;
          for (const op of ops) {
            if (op.kind === "schedule") {
              const snaps = histories[op.loop] as Loop[];
              const at = Math.min((cursor[op.loop] as number) + op.forward, snaps.length - 1);
              cursor[op.loop] = at;
              const loop = snaps[at] as Loop;
              if (oracle.hasFired(loop.id)) seen.rescheduledAfterYield++;
              if (loop.state === "closed") seen.closed++;
              if (loop.events.some((e) => e.to === "reopened")) seen.reopened++;
              clock.schedule(loop);
              oracle.schedule(loop);
            } else if (op.kind === "remove") {
              clock.remove(`loop-${op.loop}`);
              oracle.remove(`loop-${op.loop}`);
            } else {
              now += op.dtMs;
              const got = clock.due(new Date(now));
              const want = oracle.due(now);
              expect(canonical(got)).toEqual(canonical(want));
              seen.yielded += got.length;
              const dues = got.map((d) => d.due);
              expect(dues).toEqual([...dues].sort());
            }
            expect(clock.size).toBe(oracle.size);
            expect(clock.next()?.due).toBe(oracle.nextDue());
          }
          // Drain: everything still pending comes out once.
          const rest = clock.due(new Date(now + 10_000 * HOUR));
          expect(canonical(rest)).toEqual(canonical(oracle.due(now + 10_000 * HOUR)));
          expect(clock.next()).toBeUndefined();
        },
      ),
      { seed: 42, numRuns: 300 },
    );
    expect(seen.yielded).toBeGreaterThan(2_000);
    expect(seen.rescheduledAfterYield).toBeGreaterThan(1_000);
    expect(seen.closed).toBeGreaterThan(500);
    expect(seen.reopened).toBeGreaterThan(1_000);
  });
});
