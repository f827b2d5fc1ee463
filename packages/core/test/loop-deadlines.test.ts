import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  breaches,
  createLoop,
  deadlines,
  isBreached,
  type Loop,
  type LoopState,
  parseDuration,
  pendingDeadlines,
  type Route,
  type TransitionOptions,
  transition,
  ValidationError,
} from "../src/index.js";

const T0 = "2026-11-23T10:00:00.000Z";
const T0_MS = Date.parse(T0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** T0 plus `ms`, as an ISO timestamp. */
function iso(ms: number): string {
  return new Date(T0_MS + ms).toISOString();
}
/** T0 plus `ms`, as a Date. */
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
const closeOnly: Route = {
  action: "follow-up",
  owner: "support",
  closeWithin: "2d",
  acknowledge: { message: { en: "Thanks." } },
};
const ackOnly: Route = {
  action: "follow-up",
  owner: "support",
  acknowledgeWithin: "30m",
  acknowledge: { message: { en: "Thanks." } },
};
const noSla: Route = { action: "none", acknowledge: { message: { en: "Thank you." } } };

function open(route: Route = followUp, at: string = T0): Loop {
  return createLoop({ source: { kind: "response", id: "r-1" }, segment: "detractor", route, at });
}

function opts(ms: number): TransitionOptions {
  return { actor: "agent:ana", at: iso(ms), informedVia: "email", message: "Fixed." };
}

/** Applies `steps` ([state, ms after T0]) in order. */
function walk(loop: Loop, steps: [LoopState, number][]): Loop {
  return steps.reduce((l, [to, ms]) => transition(l, to, opts(ms)), loop);
}

/** A loop acknowledged at `ackMs` and closed at `closeMs` (ms after T0). */
function closedAt(ackMs: number, closeMs: number, route: Route = followUp): Loop {
  return walk(open(route), [
    ["acknowledged", ackMs],
    ["assigned", ackMs],
    ["resolved", closeMs],
    ["closed", closeMs],
  ]);
}

describe("deadlines", () => {
  it("counts acknowledgeWithin and closeWithin from openedAt", () => {
    expect(deadlines(open())).toEqual({ acknowledgeBy: iso(4 * HOUR), closeBy: iso(48 * HOUR) });
  });

  it("gives only the deadlines the route has", () => {
    expect(deadlines(open(closeOnly))).toEqual({ closeBy: iso(48 * HOUR) });
    expect(deadlines(open(ackOnly))).toEqual({ acknowledgeBy: iso(30 * MIN) });
    const none = deadlines(open(noSla));
    expect(none).toEqual({});
    expect(Object.keys(none)).toEqual([]);
  });

  it("does not move as the loop progresses within a cycle", () => {
    const loop = walk(open(), [
      ["acknowledged", 1 * HOUR],
      ["assigned", 2 * HOUR],
      ["resolved", 30 * HOUR],
    ]);
    expect(deadlines(loop)).toEqual({ acknowledgeBy: iso(4 * HOUR), closeBy: iso(48 * HOUR) });
  });

  it("counts from the reopening after a loop is reopened from closed", () => {
    const reopened = transition(closedAt(HOUR, 10 * HOUR), "reopened", opts(72 * HOUR));
    expect(deadlines(reopened)).toEqual({
      acknowledgeBy: iso(76 * HOUR),
      closeBy: iso(120 * HOUR),
    });
  });

  it("counts from the reopening after a loop is reopened from resolved", () => {
    const loop = walk(open(), [
      ["acknowledged", HOUR],
      ["assigned", HOUR],
      ["resolved", 5 * HOUR],
      ["reopened", 6 * HOUR],
    ]);
    expect(deadlines(loop)).toEqual({ acknowledgeBy: iso(10 * HOUR), closeBy: iso(54 * HOUR) });
  });

  it("counts from the last of several reopenings", () => {
    let loop = transition(closedAt(HOUR, 10 * HOUR), "reopened", opts(20 * HOUR));
    loop = walk(loop, [
      ["acknowledged", 21 * HOUR],
      ["assigned", 21 * HOUR],
      ["resolved", 22 * HOUR],
      ["closed", 22 * HOUR],
      ["reopened", 100 * HOUR],
      ["acknowledged", 101 * HOUR],
    ]);
    expect(deadlines(loop)).toEqual({ acknowledgeBy: iso(104 * HOUR), closeBy: iso(148 * HOUR) });
  });

  it("handles openedAt with a UTC offset", () => {
    const loop = open(followUp, "2026-11-23T12:00:00+02:00");
    expect(deadlines(loop)).toEqual({
      acknowledgeBy: "2026-11-23T14:00:00.000Z",
      closeBy: "2026-11-25T10:00:00.000Z",
    });
  });

  it("pendingDeadlines lists unmet deadlines, earliest first", () => {
    const loop = open();
    expect(pendingDeadlines(loop)).toEqual([
      { deadline: "acknowledge", due: T0_MS + 4 * HOUR },
      { deadline: "close", due: T0_MS + 48 * HOUR },
    ]);
    const acked = transition(loop, "acknowledged", opts(HOUR));
    expect(pendingDeadlines(acked)).toEqual([{ deadline: "close", due: T0_MS + 48 * HOUR }]);
    expect(pendingDeadlines(closedAt(HOUR, 2 * HOUR))).toEqual([]);
    expect(pendingDeadlines(open(noSla))).toEqual([]);
  });

  it("pendingDeadlines sorts by due time, not by kind", () => {
    const odd: Route = { ...followUp, acknowledgeWithin: "3d", closeWithin: "1d" };
    expect(pendingDeadlines(open(odd)).map((p) => p.deadline)).toEqual(["close", "acknowledge"]);
  });
});

describe("breaches and isBreached", () => {
  it("is not breached before the acknowledge deadline, nor exactly at it", () => {
    const loop = open();
    expect(isBreached(loop, date(0))).toBe(false);
    expect(isBreached(loop, date(4 * HOUR - 1))).toBe(false);
    expect(isBreached(loop, date(4 * HOUR))).toBe(false);
    expect(breaches(loop, date(4 * HOUR))).toEqual([]);
  });

  it("is breached just after the acknowledge deadline", () => {
    const loop = open();
    expect(isBreached(loop, date(4 * HOUR + 1))).toBe(true);
    expect(breaches(loop, date(4 * HOUR + 1))).toEqual([
      { deadline: "acknowledge", due: iso(4 * HOUR) },
    ]);
  });

  it("lists both deadlines once both are past and unmet", () => {
    expect(breaches(open(), date(49 * HOUR))).toEqual([
      { deadline: "acknowledge", due: iso(4 * HOUR) },
      { deadline: "close", due: iso(48 * HOUR) },
    ]);
  });

  it("stays breached when acknowledged late, with metAt set", () => {
    const late = transition(open(), "acknowledged", opts(5 * HOUR));
    const expected = [{ deadline: "acknowledge", due: iso(4 * HOUR), metAt: iso(5 * HOUR) }];
    expect(isBreached(late, date(6 * HOUR))).toBe(true);
    expect(breaches(late, date(6 * HOUR))).toEqual(expected);
    // Still only the acknowledgement before the close deadline passes.
    expect(breaches(late, date(48 * HOUR))).toEqual(expected);
  });

  it("is not breached when acknowledged in time, until the close deadline passes", () => {
    const acked = transition(open(), "acknowledged", opts(4 * HOUR));
    expect(isBreached(acked, date(10 * HOUR))).toBe(false);
    expect(breaches(acked, date(48 * HOUR))).toEqual([]);
    expect(breaches(acked, date(48 * HOUR + 1))).toEqual([
      { deadline: "close", due: iso(48 * HOUR) },
    ]);
  });

  it("is never breached when acknowledged and closed in time", () => {
    const loop = closedAt(HOUR, 40 * HOUR);
    expect(isBreached(loop, date(100 * HOUR))).toBe(false);
    expect(isBreached(loop, date(10_000 * HOUR))).toBe(false);
    expect(breaches(loop, date(10_000 * HOUR))).toEqual([]);
  });

  it("counts a close exactly at the deadline as in time", () => {
    expect(isBreached(closedAt(HOUR, 48 * HOUR), date(100 * HOUR))).toBe(false);
  });

  it("stays breached when closed late, with metAt set", () => {
    const loop = closedAt(HOUR, 50 * HOUR);
    expect(isBreached(loop, date(100 * HOUR))).toBe(true);
    expect(breaches(loop, date(100 * HOUR))).toEqual([
      { deadline: "close", due: iso(48 * HOUR), metAt: iso(50 * HOUR) },
    ]);
  });

  it("never breaches a route without SLAs", () => {
    const loop = open(noSla);
    expect(isBreached(loop, date(365 * 24 * HOUR))).toBe(false);
    expect(breaches(loop, date(365 * 24 * HOUR))).toEqual([]);
    const acked = transition(loop, "acknowledged", opts(500 * HOUR));
    expect(isBreached(acked, date(1000 * HOUR))).toBe(false);
  });

  it("judges only the current cycle after a reopening", () => {
    // Acknowledged late in the first cycle, then closed and reopened at +100h.
    const first = closedAt(5 * HOUR, 10 * HOUR);
    expect(isBreached(first, date(20 * HOUR))).toBe(true);
    const reopened = transition(first, "reopened", opts(100 * HOUR));
    expect(isBreached(reopened, date(101 * HOUR))).toBe(false);
    expect(isBreached(reopened, date(104 * HOUR))).toBe(false);
    expect(breaches(reopened, date(104 * HOUR + 1))).toEqual([
      { deadline: "acknowledge", due: iso(104 * HOUR) },
    ]);
  });

  it("the acknowledgement of the first cycle does not meet the reopened cycle's", () => {
    const reopened = transition(closedAt(HOUR, 2 * HOUR), "reopened", opts(3 * HOUR));
    expect(pendingDeadlines(reopened).map((p) => p.deadline)).toEqual(["acknowledge", "close"]);
    const again = transition(reopened, "acknowledged", opts(8 * HOUR));
    expect(breaches(again, date(9 * HOUR))).toEqual([
      { deadline: "acknowledge", due: iso(7 * HOUR), metAt: iso(8 * HOUR) },
    ]);
  });

  it("isBreached agrees with breaches for random acknowledge and check times", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * HOUR }),
        fc.integer({ min: 0, max: 100 * HOUR }),
        fc.boolean(),
        (ackMs, nowMs, ack) => {
          const loop = ack ? transition(open(), "acknowledged", opts(ackMs)) : open();
          const now = date(nowMs);
          const list = breaches(loop, now);
          expect(isBreached(loop, now)).toBe(list.length > 0);
          const ackLate = ack ? ackMs > 4 * HOUR : nowMs > 4 * HOUR;
          const closeLate = nowMs > 48 * HOUR;
          expect(list.map((b) => b.deadline)).toEqual([
            ...(ackLate ? ["acknowledge"] : []),
            ...(closeLate ? ["close"] : []),
          ]);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("parseDuration", () => {
  it.each([
    ["1s", 1_000],
    ["30s", 30_000],
    ["30m", 1_800_000],
    ["1h", 3_600_000],
    ["48h", 172_800_000],
    ["7d", 604_800_000],
    ["2w", 1_209_600_000],
    ["9999999s", 9_999_999_000],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    "48",
    "0h",
    "1y",
    "",
    "h",
    "-1h",
    "1.5h",
    " 1h",
    "1h ",
    "1H",
    "01h",
    "1h30m",
    "10000000s",
  ])("throws ValidationError for %j", (text) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const e = caught as ValidationError;
    expect(e.name).toBe("ValidationError");
    expect(e.code).toBe("validation_failed");
    expect(e.issues).toEqual([
      {
        path: "",
        code: "invalid_duration",
        message: `"${text}" is not a duration like 30m, 48h or 7d`,
      },
    ]);
  });

  it("is n times the unit for every n in 1..9999999 and every unit", () => {
    const units = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.constantFrom("s", "m", "h", "d", "w"),
        (n, unit) => {
          expect(parseDuration(`${n}${unit}`)).toBe(n * units[unit]);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
