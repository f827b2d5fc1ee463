import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ces,
  cesFromCounts,
  createLoop,
  csat,
  csatFromCounts,
  loopHealth,
  loopHealthFromCounts,
  nps,
  npsFromCounts,
  quantile,
  quantileOfSorted,
  quantileRanks,
  type Route,
  transition,
  ValidationError,
} from "../src/index.js";

// The `…FromCounts` variants exist so the collector can aggregate in SQL; they must agree with
// the functions over raw answers on every input, which is what these properties check.

function counts(scores: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of scores) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

describe("score metrics from counts", () => {
  it("npsFromCounts equals nps on the same answers", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 300 }), (scores) => {
        expect(npsFromCounts(counts(scores))).toEqual(nps(scores));
      }),
    );
  });

  it("csatFromCounts equals csat on the same answers", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 300 }), (scores) => {
        expect(csatFromCounts(counts(scores))).toEqual(csat(scores));
      }),
    );
  });

  it("cesFromCounts equals ces on both scales", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(5 as const, 7 as const),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 300 }),
        (scale, raw) => {
          const scores = raw.map((r) => 1 + (r % scale));
          expect(cesFromCounts(counts(scores), { scale })).toEqual(ces(scores, { scale }));
        },
      ),
    );
  });

  it("zero counts change nothing", () => {
    expect(
      npsFromCounts(
        new Map([
          [10, 2],
          [0, 0],
          [3, 1],
        ]),
      ),
    ).toEqual(nps([10, 10, 3]));
  });

  it("refuses a score outside the scale and a count that is not a count, naming each", () => {
    const err = (() => {
      try {
        npsFromCounts(
          new Map([
            [11, 1],
            [5, -1],
            [7, 1.5],
          ]),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["counts.11", "out_of_range"],
      ["counts.5", "invalid_count"],
      ["counts.7", "invalid_count"],
    ]);
    expect(() => csatFromCounts(new Map([[0, 1]]))).toThrow(ValidationError);
    expect(() => cesFromCounts(new Map([[6, 1]]), { scale: 5 })).toThrow(ValidationError);
    expect(() => cesFromCounts(new Map(), { scale: 6 as 7 })).toThrow(ValidationError);
  });
});

describe("quantiles by rank", () => {
  it("quantileOfSorted reads only the ranks quantileRanks names and equals quantile", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const read: number[] = [];
          const got = quantileOfSorted(sorted.length, q, (i) => {
            read.push(i);
            return sorted[i] as number;
          });
          expect(got).toBe(quantile(values, q));
          if (values.length > 0)
            expect(new Set(read)).toEqual(new Set(quantileRanks(values.length, q)));
          else expect(read).toEqual([]);
        },
      ),
    );
  });

  it("names the interpolation ranks", () => {
    expect(quantileRanks(11, 0.9)).toEqual([9, 9]);
    expect(quantileRanks(4, 0.5)).toEqual([1, 2]);
    expect(quantileRanks(1, 0.9)).toEqual([0, 0]);
  });
});

describe("loopHealthFromCounts", () => {
  const route: Route = {
    action: "follow-up",
    owner: "support",
    closeWithin: "48h",
    acknowledge: { message: { en: "Sorry, and thank you." } },
  };

  it("agrees with loopHealth given the same counts and percentiles", () => {
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const at = (m: number) => new Date(t0 + m * 60_000).toISOString();
    const loops = [0, 1, 2, 3].map((i) => {
      let loop = createLoop({
        source: { kind: "response", id: `r${i}` },
        segment: "detractor",
        route,
        at: at(0),
      });
      if (i > 0) loop = transition(loop, "acknowledged", { actor: "a", at: at(i * 10) });
      if (i > 1) {
        loop = transition(loop, "assigned", { actor: "a", at: at(i * 20) });
        loop = transition(loop, "resolved", { actor: "a", at: at(i * 30) });
        loop = transition(loop, "closed", {
          actor: "a",
          at: at(i * 40),
          informedVia: "email",
          message: "Fixed.",
        });
      }
      return loop;
    });
    const now = new Date(t0 + 3 * 86_400_000);
    const direct = loopHealth(loops, now);
    expect(direct.closed).toBe(2);
    expect(
      loopHealthFromCounts({
        total: direct.total,
        open: direct.open,
        breached: direct.breached,
        timeToAcknowledge: direct.timeToAcknowledge,
        timeToClose: direct.timeToClose,
      }),
    ).toEqual(direct);
    expect(
      loopHealthFromCounts({
        total: 0,
        open: 0,
        breached: 0,
        timeToAcknowledge: { p50: null, p90: null },
        timeToClose: { p50: null, p90: null },
      }).closureRate,
    ).toBeNull();
  });
});
