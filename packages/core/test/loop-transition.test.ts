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
  TRANSITIONS,
  type TransitionOptions,
  transition,
} from "../src/index.js";

const T0 = "2026-11-23T10:00:00.000Z";
const T0_MS = Date.parse(T0);

/** T0 plus `minutes`, as an ISO timestamp. */
function at(minutes: number): string {
  return new Date(T0_MS + minutes * 60_000).toISOString();
}

const followUp: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "4h",
  closeWithin: "48h",
  acknowledge: { message: { en: "We're sorry. We will contact you. Thank you." } },
};

const noAction: Route = {
  action: "none",
  acknowledge: { message: { en: "Thank you — we read every answer." } },
};

/** A follow-up route that names no owner. */
const unowned: Route = {
  action: "follow-up",
  closeWithin: "48h",
  acknowledge: { message: { en: "Thanks, someone will look at it." } },
};

function open(route: Route = followUp, when: string = T0): Loop {
  return createLoop({
    source: { kind: "response", id: "resp-1" },
    segment: "detractor",
    route,
    at: when,
  });
}

/** Options that satisfy every target state's requirements. */
function full(minutes: number): TransitionOptions {
  return {
    actor: "agent:ana",
    at: at(minutes),
    message: "We fixed the export; it works again.",
    informedVia: "email",
    owner: "agent:ana",
  };
}

/** The canonical path from `received` to each state (route with action follow-up). */
const PATH: Record<Exclude<LoopState, "captured">, LoopState[]> = {
  received: [],
  acknowledged: ["acknowledged"],
  assigned: ["acknowledged", "assigned"],
  resolved: ["acknowledged", "assigned", "resolved"],
  closed: ["acknowledged", "assigned", "resolved", "closed"],
  reopened: ["acknowledged", "assigned", "resolved", "closed", "reopened"],
};

/** A loop in `state`, one minute per step after T0. */
function reach(state: LoopState, route: Route = followUp): Loop {
  if (state === "captured") {
    const loop = open(route);
    return {
      ...loop,
      state: "captured",
      events: [{ from: null, to: "captured", actor: "respondent", at: T0 }],
    };
  }
  let loop = open(route);
  PATH[state].forEach((to, i) => {
    loop = transition(loop, to, full(i + 1));
  });
  expect(loop.state).toBe(state);
  return loop;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw, got none");
}

function expectTransitionError(
  fn: () => unknown,
  expected: { reason: string; from: string; to: string },
): LoopTransitionError {
  const err = catchError(fn);
  expect(err).toBeInstanceOf(LoopTransitionError);
  const e = err as LoopTransitionError;
  expect(e.name).toBe("LoopTransitionError");
  expect(e.code).toBe("loop_transition_invalid");
  expect({ reason: e.reason, from: e.from, to: e.to }).toEqual(expected);
  return e;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createLoop", () => {
  it("opens a loop in state received with one event from null", () => {
    const loop = open();
    expect(loop.state).toBe("received");
    expect(loop.openedAt).toBe(T0);
    expect(loop.updatedAt).toBe(T0);
    expect(loop.segment).toBe("detractor");
    expect(loop.source).toEqual({ kind: "response", id: "resp-1" });
    expect(loop.route).toEqual(followUp);
    expect(loop.context).toEqual({});
    expect(loop.events).toEqual([{ from: null, to: "received", actor: "system", at: T0 }]);
  });

  it("records the given actor on the opening event", () => {
    const loop = createLoop({
      source: { kind: "feedback", id: "fb-9" },
      segment: "negative",
      route: followUp,
      at: T0,
      actor: "collector",
    });
    expect(loop.events).toEqual([{ from: null, to: "received", actor: "collector", at: T0 }]);
    expect(loop.source).toEqual({ kind: "feedback", id: "fb-9" });
  });

  it("gives a UUIDv7 id carrying the `at` milliseconds when no id is given", () => {
    const a = open();
    const b = open();
    expect(a.id).toMatch(UUID_V7);
    expect(b.id).toMatch(UUID_V7);
    expect(a.id).not.toBe(b.id);
    const ms = Number.parseInt(a.id.replace(/-/g, "").slice(0, 12), 16);
    expect(ms).toBe(T0_MS);
  });

  it("keeps the given id", () => {
    const loop = createLoop({
      id: "loop-42",
      source: { kind: "response", id: "r" },
      segment: "passive",
      route: noAction,
      at: T0,
    });
    expect(loop.id).toBe("loop-42");
  });

  it("takes the owner from the route, and has none when the route names none", () => {
    expect(open(followUp).owner).toBe("support");
    const loop = open(unowned);
    expect(loop.owner).toBeUndefined();
    expect(Object.hasOwn(loop, "owner")).toBe(false);
  });

  it("copies the source and context instead of sharing them", () => {
    const source = { kind: "response" as const, id: "resp-1" };
    const context = { surveyId: "onboarding-nps", journey: "onboarding" };
    const loop = createLoop({ source, segment: "detractor", route: followUp, at: T0, context });
    source.id = "changed";
    context.journey = "changed";
    expect(loop.source.id).toBe("resp-1");
    expect(loop.context).toEqual({ surveyId: "onboarding-nps", journey: "onboarding" });
  });

  it("produces a loop that LoopSchema accepts", () => {
    const loop = open();
    const parsed = LoopSchema.safeParse(loop);
    expect(parsed.success).toBe(true);
  });

  it.each(["not a date", "", "2026-11-23", "2026-11-23 10:00:00", "2026-13-40T10:00:00Z"])(
    "throws LoopTransitionError for a bad `at` (%j)",
    (bad) => {
      const e = expectTransitionError(() => open(followUp, bad), {
        reason: "invalid_options",
        from: "none",
        to: "received",
      });
      expect(e.message).toBe('Loop cannot go none → received: "at" must be an ISO-8601 timestamp');
    },
  );

  it("accepts a timestamp with a UTC offset", () => {
    const loop = open(followUp, "2026-11-23T12:00:00+02:00");
    expect(loop.openedAt).toBe("2026-11-23T12:00:00+02:00");
    expect(Number.parseInt(loop.id.replace(/-/g, "").slice(0, 12), 16)).toBe(T0_MS);
  });
});

describe("transition: legal edges", () => {
  const edges = LOOP_STATES.flatMap((from) => TRANSITIONS[from].map((to) => ({ from, to })));

  it("TRANSITIONS lists exactly the edges of the loop diagram (docs/concepts.md)", () => {
    expect(edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(
      [
        "captured>received",
        "received>acknowledged",
        "acknowledged>assigned",
        "acknowledged>closed",
        "assigned>assigned",
        "assigned>resolved",
        "resolved>closed",
        "resolved>reopened",
        "closed>reopened",
        "reopened>acknowledged",
      ].sort(),
    );
  });

  for (const route of [followUp, noAction]) {
    for (const { from, to } of edges) {
      if (!canTransition(from, to, route.action)) continue;
      it(`${from} → ${to} (action ${route.action}) appends one event`, () => {
        const before = reach(from, route);
        const opts = full(100);
        const after = transition(before, to, opts);
        expect(after.state).toBe(to);
        expect(after.updatedAt).toBe(opts.at);
        expect(after.events).toHaveLength(before.events.length + 1);
        expect(after.events.slice(0, -1)).toEqual(before.events);
        const event = after.events.at(-1);
        expect(event?.from).toBe(from);
        expect(event?.to).toBe(to);
        expect(event?.actor).toBe("agent:ana");
        expect(event?.at).toBe(opts.at);
        expect(event?.message).toBe(opts.message);
        expect(event?.informedVia).toBe("email");
      });
    }
  }

  it("canTransition allows acknowledged → closed only for action none", () => {
    expect(canTransition("acknowledged", "closed", "none")).toBe(true);
    expect(canTransition("acknowledged", "closed", "follow-up")).toBe(false);
  });

  it("canTransition agrees with TRANSITIONS on every other pair, for both actions", () => {
    for (const from of LOOP_STATES) {
      for (const to of LOOP_STATES) {
        if (from === "acknowledged" && to === "closed") continue;
        const expected = TRANSITIONS[from].includes(to);
        expect(canTransition(from, to, "follow-up")).toBe(expected);
        expect(canTransition(from, to, "none")).toBe(expected);
      }
    }
  });

  it("records a note when one is given, and no keys for options not given", () => {
    const loop = transition(open(), "acknowledged", {
      actor: "agent:ana",
      at: at(5),
      note: "called back",
    });
    expect(loop.events[1]).toEqual({
      from: "received",
      to: "acknowledged",
      actor: "agent:ana",
      at: at(5),
      note: "called back",
    });
  });

  it("closes an action-none loop straight from acknowledged", () => {
    const acked = transition(open(noAction), "acknowledged", {
      actor: "respondent",
      at: at(1),
      informedVia: "in-app",
    });
    const closed = transition(acked, "closed", {
      actor: "system",
      at: at(1),
      informedVia: "in-app",
      message: "Thank you — we read every answer.",
    });
    expect(closed.state).toBe("closed");
    expect(closed.events.map((e) => e.to)).toEqual(["received", "acknowledged", "closed"]);
    expect(closed.events[2]).toEqual({
      from: "acknowledged",
      to: "closed",
      actor: "system",
      at: at(1),
      informedVia: "in-app",
      message: "Thank you — we read every answer.",
    });
  });
});

describe("transition: illegal edges", () => {
  const illegal = LOOP_STATES.flatMap((from) =>
    LOOP_STATES.filter((to) => !canTransition(from, to, "follow-up")).map((to) => ({ from, to })),
  );

  it("covers every pair not in TRANSITIONS, plus acknowledged → closed for follow-up", () => {
    expect(illegal).toHaveLength(7 * 7 - 9);
    expect(illegal).toContainEqual({ from: "acknowledged", to: "closed" });
  });

  for (const { from, to } of illegal) {
    it(`${from} → ${to} throws reason illegal (follow-up route)`, () => {
      const loop = reach(from);
      expectTransitionError(() => transition(loop, to, full(100)), { reason: "illegal", from, to });
    });
  }

  it("names the allowed moves in the message", () => {
    const e = expectTransitionError(() => transition(open(), "closed", full(1)), {
      reason: "illegal",
      from: "received",
      to: "closed",
    });
    expect(e.message).toBe(
      'Loop cannot go received → closed: allowed from "received": acknowledged',
    );
  });

  it("does not offer acknowledged → closed to a follow-up route", () => {
    const e = expectTransitionError(() => transition(reach("acknowledged"), "closed", full(100)), {
      reason: "illegal",
      from: "acknowledged",
      to: "closed",
    });
    expect(e.message).toBe(
      'Loop cannot go acknowledged → closed: allowed from "acknowledged": assigned',
    );
  });

  it("offers acknowledged → closed to an action-none route", () => {
    const e = expectTransitionError(
      () => transition(reach("acknowledged", noAction), "resolved", full(100)),
      { reason: "illegal", from: "acknowledged", to: "resolved" },
    );
    expect(e.message).toBe(
      'Loop cannot go acknowledged → resolved: allowed from "acknowledged": assigned, closed',
    );
  });

  it("a LoopTransitionError is an Error with a readable message", () => {
    const err = catchError(() => transition(open(), "resolved", full(1)));
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).toBe(
      'LoopTransitionError: Loop cannot go received → resolved: allowed from "received": acknowledged',
    );
  });
});

describe("transition: closing needs proof the customer was informed", () => {
  const resolved = () => reach("resolved");

  it("refuses closed without informedVia", () => {
    expectTransitionError(
      () => transition(resolved(), "closed", { actor: "agent:ana", at: at(10), message: "Fixed." }),
      { reason: "missing_informed_via", from: "resolved", to: "closed" },
    );
  });

  it("refuses closed without a message", () => {
    expectTransitionError(
      () =>
        transition(resolved(), "closed", { actor: "agent:ana", at: at(10), informedVia: "call" }),
      { reason: "missing_message", from: "resolved", to: "closed" },
    );
  });

  it.each(["", "   ", "\n\t"])("refuses closed with a blank message (%j)", (message) => {
    expectTransitionError(
      () =>
        transition(resolved(), "closed", {
          actor: "agent:ana",
          at: at(10),
          informedVia: "call",
          message,
        }),
      { reason: "missing_message", from: "resolved", to: "closed" },
    );
  });

  it("reports missing informedVia first when both are missing", () => {
    expectTransitionError(() => transition(resolved(), "closed", { actor: "a", at: at(10) }), {
      reason: "missing_informed_via",
      from: "resolved",
      to: "closed",
    });
  });

  it("requires the same of an action-none loop closing from acknowledged", () => {
    const acked = reach("acknowledged", noAction);
    expectTransitionError(() => transition(acked, "closed", { actor: "system", at: at(10) }), {
      reason: "missing_informed_via",
      from: "acknowledged",
      to: "closed",
    });
    expectTransitionError(
      () => transition(acked, "closed", { actor: "system", at: at(10), informedVia: "in-app" }),
      { reason: "missing_message", from: "acknowledged", to: "closed" },
    );
  });

  it.each([
    "in-app",
    "email",
    "call",
    "sms",
    "chat",
    "meeting",
    "webhook:crm",
    "webhook:zendesk.prod-1",
  ])("accepts informedVia %j and records it with the message", (informedVia) => {
    const closed = transition(resolved(), "closed", {
      actor: "agent:ana",
      at: at(10),
      informedVia,
      message: "We refunded the order.",
    });
    expect(closed.state).toBe("closed");
    expect(closed.events.at(-1)).toEqual({
      from: "resolved",
      to: "closed",
      actor: "agent:ana",
      at: at(10),
      informedVia,
      message: "We refunded the order.",
    });
  });

  it.each(["pigeon", "webhook:", "webhook:has space", "Email", " email", ""])(
    "refuses informedVia %j with reason invalid_options",
    (informedVia) => {
      const e = expectTransitionError(
        () =>
          transition(resolved(), "closed", {
            actor: "agent:ana",
            at: at(10),
            informedVia,
            message: "Done.",
          }),
        { reason: "invalid_options", from: "resolved", to: "closed" },
      );
      expect(e.message).toContain("informedVia");
    },
  );

  it("refuses an invalid informedVia on any transition, not only closed", () => {
    expectTransitionError(
      () => transition(open(), "acknowledged", { actor: "x", at: at(1), informedVia: "pigeon" }),
      { reason: "invalid_options", from: "received", to: "acknowledged" },
    );
  });
});

describe("transition: options are validated", () => {
  it.each([
    { actor: "", at: at(1) },
    { actor: "agent", at: "yesterday" },
    { actor: "agent", at: "2026-11-23" },
    { actor: "a".repeat(257), at: at(1) },
    { actor: "agent", at: at(1), note: "n".repeat(10_001) },
    { actor: "agent", at: at(1), owner: "" },
    { actor: "agent", at: at(1), owner: "Ana Silva" },
    { actor: "agent", at: at(1), message: "m".repeat(10_001) },
  ])("refuses %j with reason invalid_options", (opts) => {
    expectTransitionError(() => transition(open(), "acknowledged", opts), {
      reason: "invalid_options",
      from: "received",
      to: "acknowledged",
    });
  });

  it("checks options before legality", () => {
    expectTransitionError(() => transition(open(), "closed", { actor: "", at: at(1) }), {
      reason: "invalid_options",
      from: "received",
      to: "closed",
    });
  });
});

describe("transition: assigning needs an owner", () => {
  it("takes the owner from the options over the route's", () => {
    const loop = transition(reach("acknowledged"), "assigned", {
      actor: "lead",
      at: at(10),
      owner: "agent:bo",
    });
    expect(loop.owner).toBe("agent:bo");
    expect(loop.events.at(-1)).toEqual({
      from: "acknowledged",
      to: "assigned",
      actor: "lead",
      at: at(10),
      owner: "agent:bo",
    });
  });

  it("takes the owner from the route when none is given", () => {
    const loop = transition(reach("acknowledged"), "assigned", { actor: "lead", at: at(10) });
    expect(loop.owner).toBe("support");
    expect(loop.events.at(-1)?.owner).toBe("support");
  });

  it("takes the owner from the loop when the route names none", () => {
    const acked = transition(open(unowned), "acknowledged", { actor: "a", at: at(1) });
    const withOwner: Loop = { ...acked, owner: "agent:cy" };
    const loop = transition(withOwner, "assigned", { actor: "lead", at: at(10) });
    expect(loop.owner).toBe("agent:cy");
    expect(loop.events.at(-1)?.owner).toBe("agent:cy");
  });

  it("prefers the loop's current owner to the route's when reassigning without an owner", () => {
    const assigned = transition(reach("acknowledged"), "assigned", {
      actor: "lead",
      at: at(10),
      owner: "agent:bo",
    });
    const again = transition(assigned, "assigned", { actor: "lead", at: at(11) });
    expect(again.owner).toBe("agent:bo");
    expect(again.events.at(-1)?.owner).toBe("agent:bo");
  });

  it("reassigns assigned → assigned to a new owner", () => {
    const first = transition(open(unowned), "acknowledged", { actor: "a", at: at(1) });
    const a1 = transition(first, "assigned", { actor: "lead", at: at(2), owner: "agent:ana" });
    const a2 = transition(a1, "assigned", { actor: "lead", at: at(3), owner: "agent:bo" });
    expect(a2.owner).toBe("agent:bo");
    expect(a2.events.map((e) => e.owner)).toEqual([undefined, undefined, "agent:ana", "agent:bo"]);
  });

  it("refuses assigned with no owner anywhere (reason missing_owner)", () => {
    const acked = transition(open(unowned), "acknowledged", { actor: "a", at: at(1) });
    expectTransitionError(() => transition(acked, "assigned", { actor: "lead", at: at(2) }), {
      reason: "missing_owner",
      from: "acknowledged",
      to: "assigned",
    });
  });

  it("does not set an owner on other transitions", () => {
    const acked = transition(open(unowned), "acknowledged", {
      actor: "a",
      at: at(1),
      owner: "agent:ana",
    });
    expect(acked.owner).toBeUndefined();
    expect(acked.events.at(-1)?.owner).toBeUndefined();
  });

  it("produces loops that LoopSchema accepts", () => {
    const loop = transition(reach("acknowledged"), "assigned", {
      actor: "lead",
      at: at(10),
      owner: "team.billing",
    });
    expect(LoopSchema.safeParse(loop).success).toBe(true);
  });
});

describe("transition: time", () => {
  it("refuses an `at` earlier than the last event (reason out_of_order)", () => {
    const acked = transition(open(), "acknowledged", { actor: "a", at: at(30) });
    const e = expectTransitionError(
      () => transition(acked, "assigned", { actor: "a", at: at(29) }),
      { reason: "out_of_order", from: "acknowledged", to: "assigned" },
    );
    expect(e.message).toBe(
      `Loop cannot go acknowledged → assigned: "at" ${at(29)} is before the last event (${at(30)})`,
    );
  });

  it("refuses an `at` earlier than the opening", () => {
    expectTransitionError(() => transition(open(), "acknowledged", { actor: "a", at: at(-1) }), {
      reason: "out_of_order",
      from: "received",
      to: "acknowledged",
    });
  });

  it("compares instants, not strings, across UTC offsets", () => {
    // 11:00+02:00 is 09:00Z: one hour before T0 though it sorts after it as text.
    expectTransitionError(
      () => transition(open(), "acknowledged", { actor: "a", at: "2026-11-23T11:00:00+02:00" }),
      { reason: "out_of_order", from: "received", to: "acknowledged" },
    );
    // 09:30-01:00 is 10:30Z: after T0 though it sorts before it as text.
    const ok = transition(open(), "acknowledged", { actor: "a", at: "2026-11-23T09:30:00-01:00" });
    expect(ok.state).toBe("acknowledged");
    expect(ok.updatedAt).toBe("2026-11-23T09:30:00-01:00");
  });

  it("accepts an `at` equal to the last event", () => {
    const loop = transition(open(), "acknowledged", { actor: "a", at: T0 });
    expect(loop.events.map((e) => e.at)).toEqual([T0, T0]);
  });
});

describe("transition is pure", () => {
  it("does not mutate the input loop or its events array", () => {
    const before = reach("assigned");
    const snapshot = structuredClone(before);
    const events = before.events;
    const length = events.length;
    const after = transition(before, "resolved", full(100));
    expect(before).toEqual(snapshot);
    expect(before.state).toBe("assigned");
    expect(before.events).toBe(events);
    expect(events).toHaveLength(length);
    expect(after.events).not.toBe(events);
    expect(after).not.toBe(before);
  });

  it("works on a deeply frozen loop", () => {
    const frozen = deepFreeze(reach("acknowledged"));
    const assigned = transition(frozen, "assigned", full(100));
    expect(assigned.state).toBe("assigned");
    expect(assigned.owner).toBe("agent:ana");
    expect(frozen.state).toBe("acknowledged");
    expect(frozen.owner).toBe("support");
  });

  it("does not mutate the input when it throws", () => {
    const before = reach("resolved");
    const snapshot = structuredClone(before);
    expect(() => transition(before, "closed", { actor: "a", at: at(100) })).toThrow(
      LoopTransitionError,
    );
    expect(before).toEqual(snapshot);
  });

  it("only grows the history: each step keeps every earlier event unchanged", () => {
    let loop = open();
    const seen: Loop[] = [loop];
    for (const [i, to] of PATH.reopened.entries()) {
      loop = transition(loop, to, full(i + 1));
      seen.push(loop);
    }
    for (let i = 1; i < seen.length; i++) {
      const prev = seen[i - 1] as Loop;
      const next = seen[i] as Loop;
      expect(next.events).toHaveLength(prev.events.length + 1);
      prev.events.forEach((e, j) => {
        expect(next.events[j]).toBe(e);
      });
    }
    // Every snapshot still has the state it had.
    expect(seen.map((l) => l.state)).toEqual([
      "received",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
      "reopened",
    ]);
  });
});

describe("reopening", () => {
  it("reopens from resolved, then goes back to acknowledged", () => {
    const resolved = reach("resolved");
    const reopened = transition(resolved, "reopened", {
      actor: "respondent",
      at: at(200),
      note: "still broken",
    });
    expect(reopened.state).toBe("reopened");
    const acked = transition(reopened, "acknowledged", { actor: "agent:ana", at: at(210) });
    expect(acked.state).toBe("acknowledged");
    expect(acked.events.map((e) => [e.from, e.to])).toEqual([
      [null, "received"],
      ["received", "acknowledged"],
      ["acknowledged", "assigned"],
      ["assigned", "resolved"],
      ["resolved", "reopened"],
      ["reopened", "acknowledged"],
    ]);
    expect(acked.events[4]?.note).toBe("still broken");
  });

  it("reopens from closed, then goes back to acknowledged and closes again", () => {
    const closed = reach("closed");
    const reopened = transition(closed, "reopened", { actor: "respondent", at: at(300) });
    const acked = transition(reopened, "acknowledged", { actor: "agent:ana", at: at(301) });
    const assigned = transition(acked, "assigned", { actor: "lead", at: at(302) });
    const resolved = transition(assigned, "resolved", { actor: "agent:ana", at: at(303) });
    const closedAgain = transition(resolved, "closed", {
      actor: "agent:ana",
      at: at(304),
      informedVia: "webhook:crm",
      message: "Fixed for good this time.",
    });
    expect(closedAgain.state).toBe("closed");
    expect(closedAgain.events.map((e) => e.to)).toEqual([
      "received",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
      "reopened",
      "acknowledged",
      "assigned",
      "resolved",
      "closed",
    ]);
    expect(closedAgain.events.filter((e) => e.to === "closed").map((e) => e.informedVia)).toEqual([
      "email",
      "webhook:crm",
    ]);
  });

  it("does not allow a reopened loop to skip acknowledgement", () => {
    const reopened = reach("reopened");
    for (const to of ["assigned", "resolved", "closed", "received"] as const) {
      expectTransitionError(() => transition(reopened, to, full(100)), {
        reason: "illegal",
        from: "reopened",
        to,
      });
    }
  });

  it("does not reopen an open loop", () => {
    for (const from of ["received", "acknowledged", "assigned"] as const) {
      expectTransitionError(() => transition(reach(from), "reopened", full(100)), {
        reason: "illegal",
        from,
        to: "reopened",
      });
    }
  });
});
