import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canTransition,
  createLoop,
  LOOP_STATES,
  type Loop,
  LoopSchema,
  type LoopState,
  LoopTransitionError,
  type Route,
  type TransitionOptions,
  transition,
} from "../src/index.js";

const T0_MS = Date.parse("2026-11-23T10:00:00.000Z");
const MIN = 60_000;
const HOUR = 60 * MIN;

/** The edges of the loop diagram in docs/concepts.md, written out independently of TRANSITIONS. */
const EDGES = new Set([
  "captured>received",
  "received>acknowledged",
  "acknowledged>assigned",
  "acknowledged>closed", // only when the route's action is "none"
  "assigned>assigned",
  "assigned>resolved",
  "resolved>closed",
  "resolved>reopened",
  "closed>reopened",
  "reopened>acknowledged",
]);

function allowed(from: LoopState, to: LoopState, action: Route["action"]): boolean {
  if (from === "acknowledged" && to === "closed") return action === "none";
  return EDGES.has(`${from}>${to}`);
}

const VALID_VIA = new Set(["in-app", "email", "call", "webhook:crm"]);
const VALID_OWNER = new Set(["agent:ana", "team.billing"]);

type Reason =
  | "invalid_options"
  | "illegal"
  | "out_of_order"
  | "missing_informed_via"
  | "missing_message"
  | "missing_owner";

interface Attempt {
  /** Either any state, or an index into the moves allowed from the current state. */
  target: { kind: "any"; state: LoopState } | { kind: "legal"; pick: number };
  /** Time since the last event; occasionally negative. */
  dtMs: number;
  actor: string;
  informedVia: string | undefined;
  message: string | undefined;
  owner: string | undefined;
  note: string | undefined;
}

const routeArb: fc.Arbitrary<Route> = fc
  .record({
    action: fc.constantFrom("follow-up" as const, "none" as const),
    owner: fc.option(fc.constantFrom("support", "team.billing"), { nil: undefined }),
    ack: fc.option(fc.constantFrom("30m", "4h", "1d"), { nil: undefined }),
    close: fc.option(fc.constantFrom("48h", "7d"), { nil: undefined }),
  })
  .map(({ action, owner, ack, close }) => {
    const route: Route = { action, acknowledge: { message: { en: "Thank you." } } };
    if (owner !== undefined) route.owner = owner;
    if (ack !== undefined) route.acknowledgeWithin = ack;
    if (close !== undefined) route.closeWithin = close;
    return route;
  });

const attemptArb: fc.Arbitrary<Attempt> = fc.record({
  target: fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("any" as const),
        state: fc.constantFrom(...LOOP_STATES),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("legal" as const), pick: fc.nat() }) },
  ),
  dtMs: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 * HOUR }) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -3 * HOUR, max: -1 }) },
  ),
  actor: fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom("agent:ana", "respondent", "system") },
    { weight: 1, arbitrary: fc.constant("") },
  ),
  informedVia: fc.option(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...VALID_VIA) },
      { weight: 1, arbitrary: fc.constantFrom("pigeon", "webhook:") },
    ),
    { nil: undefined, freq: 3 },
  ),
  message: fc.option(fc.constantFrom("We fixed it.", "Refunded.", "", "   "), {
    nil: undefined,
    freq: 3,
  }),
  owner: fc.option(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...VALID_OWNER) },
      { weight: 1, arbitrary: fc.constant("Ana Silva") },
    ),
    { nil: undefined, freq: 2 },
  ),
  note: fc.option(fc.constantFrom("called", "left a voicemail"), { nil: undefined, freq: 2 }),
});

function targetOf(loop: Loop, a: Attempt): LoopState {
  if (a.target.kind === "any") return a.target.state;
  const legal = LOOP_STATES.filter((to) => allowed(loop.state, to, loop.route.action));
  return legal[a.target.pick % legal.length] ?? "received";
}

function optionsOf(a: Attempt, at: string): TransitionOptions {
  const o: TransitionOptions = { actor: a.actor, at };
  if (a.informedVia !== undefined) o.informedVia = a.informedVia;
  if (a.message !== undefined) o.message = a.message;
  if (a.owner !== undefined) o.owner = a.owner;
  if (a.note !== undefined) o.note = a.note;
  return o;
}

/** Every reason the attempt should fail for, from the rules alone; empty when it must succeed. */
function expectedReasons(loop: Loop, to: LoopState, a: Attempt): Set<Reason> {
  const reasons = new Set<Reason>();
  const badVia = a.informedVia !== undefined && !VALID_VIA.has(a.informedVia);
  const badOwner = a.owner !== undefined && !VALID_OWNER.has(a.owner);
  if (a.actor === "" || badVia || badOwner) reasons.add("invalid_options");
  if (!allowed(loop.state, to, loop.route.action)) reasons.add("illegal");
  if (a.dtMs < 0) reasons.add("out_of_order");
  if (to === "closed" && !a.informedVia) reasons.add("missing_informed_via");
  if (to === "closed" && !a.message?.trim()) reasons.add("missing_message");
  if (to === "assigned" && !(a.owner ?? loop.owner ?? loop.route.owner)) {
    reasons.add("missing_owner");
  }
  return reasons;
}

/** Every invariant of a loop's history that the loop breaks (none, for a legal history). */
function violations(loop: Loop): string[] {
  const out: string[] = [];
  const [first, ...rest] = loop.events;
  if (!first || first.from !== null || first.to !== "received") out.push("bad opening event");
  if (first?.at !== loop.openedAt) out.push("openedAt is not the opening event's time");
  let prev = first;
  for (const [i, e] of rest.entries()) {
    const where = `event ${i + 1} (${e.from} → ${e.to})`;
    if (e.from !== prev?.to) out.push(`${where}: from is not the previous event's to`);
    const from = e.from ?? "captured";
    if (!canTransition(from, e.to, loop.route.action)) out.push(`${where}: canTransition refuses`);
    if (!allowed(from, e.to, loop.route.action)) out.push(`${where}: not an edge of the diagram`);
    if (Date.parse(e.at) < Date.parse(prev?.at ?? "")) out.push(`${where}: time goes back`);
    if (e.to === "closed" && !VALID_VIA.has(e.informedVia ?? "")) {
      out.push(`${where}: no valid informedVia`);
    }
    if (e.to === "closed" && !e.message?.trim()) out.push(`${where}: no message`);
    if (e.to === "assigned" && !e.owner) out.push(`${where}: no owner`);
    prev = e;
  }
  const last = loop.events.at(-1);
  if (loop.state !== last?.to) out.push(`state ${loop.state} is not the last event's to`);
  if (loop.updatedAt !== last?.at) out.push("updatedAt is not the last event's time");
  const lastAssigned = loop.events.filter((e) => e.to === "assigned").at(-1);
  if (loop.owner !== (lastAssigned ? lastAssigned.owner : loop.route.owner)) {
    out.push(`owner ${loop.owner} is not the last assignment's`);
  }
  if (!LoopSchema.safeParse(loop).success) out.push("LoopSchema refuses the loop");
  return out;
}

describe("loop properties", () => {
  it("random attempted transitions never yield an illegal history, and failures change nothing", () => {
    const succeeded = new Map<LoopState, number>();
    const failed = new Map<string, number>();
    let closedCycles = 0;
    fc.assert(
      fc.property(
        routeArb,
        fc.array(attemptArb, { minLength: 1, maxLength: 40, size: "max" }),
        (route, attempts) => {
          let loop = createLoop({
            source: { kind: "response", id: "r-1" },
            segment: "detractor",
            route,
            at: new Date(T0_MS).toISOString(),
          });
          let last = T0_MS;
          for (const a of attempts) {
            const to = targetOf(loop, a);
            const at = new Date(last + a.dtMs).toISOString();
            const expected = expectedReasons(loop, to, a);
            const before = JSON.stringify(loop);
            const events = loop.events;
            let next: Loop | undefined;
            let error: unknown;
            try {
              next = transition(loop, to, optionsOf(a, at));
            } catch (e) {
              error = e;
            }
            // Whatever happened, the input loop is exactly as it was.
            expect(JSON.stringify(loop)).toBe(before);
            expect(loop.events).toBe(events);
            if (error === undefined) {
              // It succeeded: it had to, and it appended exactly one event, keeping the others.
              expect([...expected]).toEqual([]);
              const ok = next as Loop;
              expect(ok.events.length).toBe(events.length + 1);
              expect(events.every((e, i) => ok.events[i] === e)).toBe(true);
              expect(ok.events.at(-1)).toMatchObject({ from: loop.state, to, at });
              loop = ok;
              last += a.dtMs;
              succeeded.set(to, (succeeded.get(to) ?? 0) + 1);
              if (to === "closed") closedCycles++;
            } else {
              // It failed: with a LoopTransitionError for one of the expected reasons.
              expect(error).toBeInstanceOf(LoopTransitionError);
              const e = error as LoopTransitionError;
              expect(e.name).toBe("LoopTransitionError");
              expect(e.code).toBe("loop_transition_invalid");
              expect({ from: e.from, to: e.to }).toEqual({ from: loop.state, to });
              expect([...expected]).toContain(e.reason);
              failed.set(e.reason, (failed.get(e.reason) ?? 0) + 1);
            }
          }
          expect(violations(loop)).toEqual([]);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
    // The generators reach every state and every kind of failure.
    for (const state of ["acknowledged", "assigned", "resolved", "closed", "reopened"] as const) {
      expect(succeeded.get(state) ?? 0).toBeGreaterThan(50);
    }
    for (const reason of [
      "invalid_options",
      "illegal",
      "out_of_order",
      "missing_informed_via",
      "missing_message",
      "missing_owner",
    ]) {
      expect(failed.get(reason) ?? 0).toBeGreaterThan(10);
    }
    expect(closedCycles).toBeGreaterThan(100);
  });

  it("a loop replayed through its own history is identical to it", () => {
    fc.assert(
      fc.property(
        routeArb,
        fc.array(attemptArb, { minLength: 1, maxLength: 30, size: "max" }),
        (route, attempts) => {
          const open = () =>
            createLoop({
              id: "loop-1",
              source: { kind: "response", id: "r-1" },
              segment: "detractor",
              route,
              at: new Date(T0_MS).toISOString(),
            });
          let loop = open();
          let last = T0_MS;
          for (const a of attempts) {
            try {
              loop = transition(
                loop,
                targetOf(loop, a),
                optionsOf(a, new Date(last + a.dtMs).toISOString()),
              );
              last += a.dtMs;
            } catch {
              // Refused attempts leave no trace; checked above.
            }
          }
          // Replaying each recorded event as a transition rebuilds the same loop.
          let replay = open();
          for (const e of loop.events.slice(1)) {
            const o: TransitionOptions = { actor: e.actor, at: e.at };
            if (e.note !== undefined) o.note = e.note;
            if (e.message !== undefined) o.message = e.message;
            if (e.informedVia !== undefined) o.informedVia = e.informedVia;
            if (e.owner !== undefined) o.owner = e.owner;
            replay = transition(replay, e.to, o);
          }
          expect(replay).toEqual(loop);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
