import {
  canTransition,
  createLoop,
  deadlines,
  LOOP_STATES,
  type Loop,
  pendingDeadlines,
  type Route,
  transition,
} from "@closeloop/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loopColumns } from "../src/store/columns.js";

const T0 = Date.parse("2026-11-23T10:00:00.000Z");

/** A loop walked through legal moves, `steps` giving each move's pick and delay. */
function walk(route: Route, steps: { pick: number; dtMin: number }[]): Loop {
  let at = T0;
  let loop = createLoop({
    source: { kind: "response", id: "r1" },
    segment: "detractor",
    route,
    at: new Date(at).toISOString(),
  });
  for (const { pick, dtMin } of steps) {
    const next = LOOP_STATES.filter((s) => canTransition(loop.state, s, route.action));
    if (next.length === 0) break;
    at += dtMin * 60_000;
    loop = transition(loop, next[pick % next.length] as Loop["state"], {
      actor: "agent:ana",
      at: new Date(at).toISOString(),
      owner: "agent:ana",
      informedVia: "email",
      message: "Fixed.",
    });
  }
  return loop;
}

const routeArb = fc.record({
  action: fc.constantFrom("follow-up" as const, "none" as const),
  acknowledgeWithin: fc.option(fc.constantFrom("30m", "4h", "2d"), { nil: undefined }),
  closeWithin: fc.option(fc.constantFrom("1h", "48h", "7d"), { nil: undefined }),
});

describe("loopColumns", () => {
  it("keeps core's deadlines, the cycle's met times and its earliest pending deadline (property)", () => {
    fc.assert(
      fc.property(
        routeArb,
        fc.array(fc.record({ pick: fc.nat(5), dtMin: fc.nat(4_000) }), { maxLength: 12 }),
        (r, steps) => {
          const route = {
            acknowledge: { message: { en: "Thanks." } },
            owner: "support",
            ...(r.acknowledgeWithin ? { acknowledgeWithin: r.acknowledgeWithin } : {}),
            ...(r.closeWithin ? { closeWithin: r.closeWithin } : {}),
            action: r.action,
          } as Route;
          const loop = walk(route, steps);
          const columns = loopColumns(loop, {});
          const due = deadlines(loop);
          expect(columns.acknowledgeBy).toBe(
            due.acknowledgeBy ? Date.parse(due.acknowledgeBy) : null,
          );
          expect(columns.closeBy).toBe(due.closeBy ? Date.parse(due.closeBy) : null);
          expect(columns.breachDue).toBe(pendingDeadlines(loop)[0]?.due ?? null);
          // Met in the current cycle: after the last reopening, if any.
          let start = 0;
          loop.events.forEach((e, i) => {
            if (i > 0 && e.to === "reopened") start = i;
          });
          const cycle = loop.events.slice(start + 1);
          const firstInto = (to: string) => cycle.find((e) => e.to === to)?.at;
          const ack = firstInto("acknowledged");
          const closed = firstInto("closed");
          expect(columns.acknowledgedAt).toBe(ack ? Date.parse(ack) : null);
          expect(columns.closedAt).toBe(closed ? Date.parse(closed) : null);
        },
      ),
      { numRuns: 500 },
    );
  });
});
