import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ces, csat, type Issue, nps, quantile, ValidationError } from "../src/index.js";

/** Runs `fn`, expects a ValidationError, and returns it so its issues can be checked. */
function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

function paths(issues: readonly Issue[]): string[] {
  return issues.map((i) => i.path);
}

/** The adjusted-Wald interval, written out independently of the implementation. */
function adjustedWald(n: number, promoters: number, detractors: number): [number, number] {
  const nAdj = n + 3;
  const p = (promoters + 0.75) / nAdj;
  const d = (detractors + 0.75) / nAdj;
  const center = p - d;
  const se = Math.sqrt((p + d - center ** 2) / nAdj);
  return [
    Math.max(-100, (center - 1.959964 * se) * 100),
    Math.min(100, (center + 1.959964 * se) * 100),
  ];
}

/** `actual` equals `exact` once rounded to `decimals` places (the metrics' reporting precision). */
function expectRounded(actual: number | null, exact: number, decimals: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? Number.NaN) - exact)).toBeLessThanOrEqual(
    0.5 * 10 ** -decimals + 1e-9,
  );
}

function repeat(value: number, times: number): number[] {
  return Array.from({ length: times }, () => value);
}

describe("nps", () => {
  it("is %promoters − %detractors with 9–10 promoters, 7–8 passives, 0–6 detractors", () => {
    const r = nps([10, 9, 3, 8]);
    expect(r.score).toBe(25);
    expect(r.n).toBe(4);
    expect(r.promoters).toBe(2);
    expect(r.passives).toBe(1);
    expect(r.detractors).toBe(1);
  });

  it("puts every score 0–10 in the right bucket", () => {
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const r = nps(all);
    expect(r).toMatchObject({ n: 11, detractors: 7, passives: 2, promoters: 2 });
    // (2 − 7) / 11 · 100 = −45.4545… → −45.5
    expect(r.score).toBe(-45.5);
    expect(nps([6]).detractors).toBe(1);
    expect(nps([7]).passives).toBe(1);
    expect(nps([8]).passives).toBe(1);
    expect(nps([9]).promoters).toBe(1);
  });

  it("reports the score to one decimal", () => {
    // 1 promoter, 0 detractors out of 3 → 33.333… → 33.3
    expect(nps([10, 7, 8]).score).toBe(33.3);
    // 2 promoters out of 3 → 66.666… → 66.7
    expect(nps([10, 9, 8]).score).toBe(66.7);
  });

  it("spans −100 to 100 at the extremes", () => {
    expect(nps(repeat(10, 5)).score).toBe(100);
    expect(nps(repeat(0, 5)).score).toBe(-100);
    expect(nps(repeat(7, 5)).score).toBe(0);
  });

  it("computes the adjusted-Wald 95% interval (n=100, 50 promoters, 20 detractors)", () => {
    const scores = [...repeat(10, 50), ...repeat(8, 30), ...repeat(2, 20)];
    const r = nps(scores);
    expect(r).toMatchObject({ n: 100, promoters: 50, passives: 30, detractors: 20, score: 30 });
    // n' = 103, p' = 50.75/103, d' = 20.75/103, centre p'−d' = 30/103 = 0.29126
    const p = 50.75 / 103;
    const d = 20.75 / 103;
    const center = p - d;
    const half = 1.959964 * Math.sqrt((p + d - center * center) / 103);
    expect(center - half).toBeCloseTo(0.14051, 4);
    expect(center + half).toBeCloseTo(0.44201, 4);
    expect(r.lower).not.toBeNull();
    expect(r.upper).not.toBeNull();
    expect(Math.abs((r.lower ?? Number.NaN) - 14.05)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((r.upper ?? Number.NaN) - 44.2)).toBeLessThanOrEqual(0.1);
    // reported to one decimal
    expect(r.lower).toBe(14.1);
    expect(r.upper).toBe(44.2);
  });

  it("centres the interval on the adjusted estimate, not the raw score", () => {
    // one promoter: raw score 100, but p' − d' = (1.75 − 0.75)/4 = 0.25
    const r = nps([10]);
    expect(r.score).toBe(100);
    expect(r.lower).toBe(-48.5);
    expect(r.upper).toBe(98.5);
    expect(((r.lower ?? 0) + (r.upper ?? 0)) / 2).toBeCloseTo(25, 0);
  });

  it("is symmetric around 0 when promoters equal detractors", () => {
    const r = nps([...repeat(10, 3), ...repeat(7, 4), ...repeat(0, 3)]);
    expect(r.score).toBe(0);
    expect(r.lower).toBe(-41.3);
    expect(r.upper).toBe(41.3);
  });

  it("clamps the interval to [−100, 100]", () => {
    const allPromoters = nps(repeat(10, 20));
    // unclamped upper would be 104.2
    expect(allPromoters.upper).toBe(100);
    expect(allPromoters.lower).toBe(69.7);
    const allDetractors = nps(repeat(0, 20));
    expect(allDetractors.lower).toBe(-100);
    expect(allDetractors.upper).toBe(-69.7);
  });

  it("narrows as n grows for the same proportions", () => {
    const small = nps([...repeat(10, 5), ...repeat(8, 3), ...repeat(2, 2)]);
    const large = nps([...repeat(10, 500), ...repeat(8, 300), ...repeat(2, 200)]);
    const width = (r: { lower: number | null; upper: number | null }) =>
      (r.upper ?? Number.NaN) - (r.lower ?? Number.NaN);
    expect(small.score).toBe(30);
    expect(large.score).toBe(30);
    expect(width(large)).toBeLessThan(width(small));
    // n = 1000: half-width ≈ 1.96·√((0.7 − 0.09)/1003) ≈ 4.83 points
    expect(width(large)).toBeCloseTo(9.7, 0);
  });

  it("gives null score and interval, and zero counts, for no scores", () => {
    expect(nps([])).toEqual({
      score: null,
      lower: null,
      upper: null,
      n: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
    });
  });

  it.each([
    [-1, "−1"],
    [11, "11"],
    [3.5, "3.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
  ])("throws a ValidationError naming scores.<i> for %s", (bad) => {
    const err = validationErrorOf(() => nps([10, 9, bad, 7]));
    expect(err.name).toBe("ValidationError");
    expect(err.code).toBe("validation_failed");
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.path).toBe("scores.2");
    expect(err.issues[0]?.code).toBe("out_of_range");
    expect(err.message).toContain("scores.2");
  });

  it("names every bad score, not only the first", () => {
    const err = validationErrorOf(() => nps([-1, 5, 11, 3.5, 10, Number.NaN]));
    expect(paths(err.issues)).toEqual(["scores.0", "scores.2", "scores.3", "scores.5"]);
  });

  it("lists every issue for a long run of bad scores", () => {
    const err = validationErrorOf(() => nps(repeat(42, 25)));
    expect(err.issues).toHaveLength(25);
    expect(err.issues[24]?.path).toBe("scores.24");
  });

  it("rounds halves away from zero on both sides and never reports -0", () => {
    expect(nps([10, ...repeat(8, 399)]).score).toBe(0.3);
    expect(nps([0, ...repeat(8, 399)]).score).toBe(-0.3);
    expect(Object.is(nps([0, ...repeat(8, 2999)]).score, 0)).toBe(true);
  });

  it("refuses a CES scale other than 5 or 7", () => {
    const err = validationErrorOf(() => ces([1], { scale: 10 as unknown as 7 }));
    expect(paths(err.issues)).toEqual(["scale"]);
  });

  it("property: counts add up to n and the score matches the formula", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 300 }),
        (s) => {
          const r = nps(s);
          const p = s.filter((x) => x >= 9).length;
          const d = s.filter((x) => x <= 6).length;
          expect(r.n).toBe(s.length);
          expect(r.promoters).toBe(p);
          expect(r.detractors).toBe(d);
          expect(r.passives).toBe(s.length - p - d);
          expectRounded(r.score, ((p - d) / s.length) * 100, 1);
          const [lo, hi] = adjustedWald(s.length, p, d);
          expectRounded(r.lower, lo, 1);
          expectRounded(r.upper, hi, 1);
        },
      ),
      { seed: 20260301, numRuns: 300 },
    );
  });

  it("property: order of the scores does not matter", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 100 }), (s) => {
        expect(nps([...s].reverse())).toEqual(nps(s));
        expect(nps([...s].sort((a, b) => a - b))).toEqual(nps(s));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("csat", () => {
  it("is the % of 4–5 answers on a 5-point scale", () => {
    expect(csat([5, 4, 2, 3])).toEqual({ score: 50, n: 4, satisfied: 2, scale: 5 });
  });

  it("counts 4 and 5 as satisfied and 1–3 as not", () => {
    expect(csat([1, 2, 3])).toEqual({ score: 0, n: 3, satisfied: 0, scale: 5 });
    expect(csat([4, 5])).toEqual({ score: 100, n: 2, satisfied: 2, scale: 5 });
    expect(csat([1, 2, 3, 4, 5]).satisfied).toBe(2);
    expect(csat([1, 2, 3, 4, 5]).score).toBe(40);
  });

  it("reports the score to one decimal", () => {
    expect(csat([5, 1, 1]).score).toBe(33.3);
    expect(csat([5, 4, 1]).score).toBe(66.7);
  });

  it("gives a null score for no answers but still reports the scale", () => {
    expect(csat([])).toEqual({ score: null, n: 0, satisfied: 0, scale: 5 });
  });

  it.each([[0], [6], [4.5], [-1], [Number.NaN]])("rejects %s with scores.<i>", (bad) => {
    const err = validationErrorOf(() => csat([5, bad]));
    expect(paths(err.issues)).toEqual(["scores.1"]);
    expect(err.issues[0]?.message).toContain("CSAT");
    expect(err.issues[0]?.message).toContain("1 to 5");
  });

  it("property: score = 100·satisfied/n", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 200 }),
        (s) => {
          const r = csat(s);
          const sat = s.filter((x) => x >= 4).length;
          expect(r.satisfied).toBe(sat);
          expect(r.n).toBe(s.length);
          expectRounded(r.score, (sat / s.length) * 100, 1);
          expect(r.scale).toBe(5);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("ces", () => {
  it("on the 7-point scale is the % of 5–7 answers, with the mean", () => {
    expect(ces([7, 6, 2], { scale: 7 })).toEqual({
      score: 66.7,
      mean: 5,
      n: 3,
      lowEffort: 2,
      scale: 7,
    });
  });

  it("defaults to the 7-point scale", () => {
    expect(ces([1, 2, 3, 4, 5, 6, 7])).toEqual({
      score: 42.9,
      mean: 4,
      n: 7,
      lowEffort: 3,
      scale: 7,
    });
  });

  it("counts 4 as not low-effort on the 7-point scale", () => {
    expect(ces([4, 4, 5, 5]).lowEffort).toBe(2);
    expect(ces([4, 4, 5, 5]).score).toBe(50);
  });

  it("on the 5-point scale is the % of 4–5 answers", () => {
    expect(ces([1, 2, 3, 4, 5], { scale: 5 })).toEqual({
      score: 40,
      mean: 3,
      n: 5,
      lowEffort: 2,
      scale: 5,
    });
    expect(ces([3, 4], { scale: 5 }).lowEffort).toBe(1);
  });

  it("reports the mean to two decimals", () => {
    // (7 + 6 + 6) / 3 = 6.333…
    expect(ces([7, 6, 6]).mean).toBe(6.33);
    // (1 + 2 + 2) / 3 = 1.666…
    expect(ces([1, 2, 2], { scale: 5 }).mean).toBe(1.67);
  });

  it("gives null score and mean for no answers, with the scale", () => {
    expect(ces([])).toEqual({ score: null, mean: null, n: 0, lowEffort: 0, scale: 7 });
    expect(ces([], { scale: 5 })).toEqual({
      score: null,
      mean: null,
      n: 0,
      lowEffort: 0,
      scale: 5,
    });
  });

  it.each([[0], [8], [6.5], [Number.NaN]])("rejects %s on the 7-point scale", (bad) => {
    const err = validationErrorOf(() => ces([7, bad], { scale: 7 }));
    expect(paths(err.issues)).toEqual(["scores.1"]);
    expect(err.issues[0]?.message).toContain("CES (7-point)");
  });

  it("rejects 6 and 7 on the 5-point scale, which the 7-point scale accepts", () => {
    const err = validationErrorOf(() => ces([5, 6, 7, 0], { scale: 5 }));
    expect(paths(err.issues)).toEqual(["scores.1", "scores.2", "scores.3"]);
    expect(err.issues[0]?.message).toContain("CES (5-point)");
    expect(ces([5, 6, 7], { scale: 7 }).lowEffort).toBe(3);
  });

  it("property: score and mean follow their formulas on both scales", () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<5 | 7>(5, 7)
          .chain((scale) =>
            fc.tuple(
              fc.constant(scale),
              fc.array(fc.integer({ min: 1, max: scale }), { minLength: 1, maxLength: 200 }),
            ),
          ),
        ([scale, s]) => {
          const r = ces(s, { scale });
          const low = s.filter((x) => x >= (scale === 7 ? 5 : 4)).length;
          expect(r.lowEffort).toBe(low);
          expect(r.scale).toBe(scale);
          expectRounded(r.score, (low / s.length) * 100, 1);
          expectRounded(r.mean, s.reduce((a, b) => a + b, 0) / s.length, 2);
          expect(r.mean).toBeGreaterThanOrEqual(1);
          expect(r.mean).toBeLessThanOrEqual(scale);
        },
      ),
      { seed: 13, numRuns: 200 },
    );
  });
});

describe("quantile", () => {
  it("returns null for no values", () => {
    expect(quantile([], 0.5)).toBeNull();
  });

  it("interpolates linearly between order statistics", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    // pos = 4 · 0.9 = 3.6 → 40 + 0.6 · 10
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 9);
    // pos = 3 · 0.25 = 0.75 → 0 + 0.75 · 100
    expect(quantile([0, 100, 200, 300], 0.25)).toBe(75);
  });

  it("gives the minimum at q=0 and the maximum at q=1", () => {
    expect(quantile([5, 3, 9, 1], 0)).toBe(1);
    expect(quantile([5, 3, 9, 1], 1)).toBe(9);
  });

  it("returns the only value of a single-element list for any q", () => {
    expect(quantile([7], 0)).toBe(7);
    expect(quantile([7], 0.5)).toBe(7);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it("sorts numerically, not as strings, and leaves the input unchanged", () => {
    const values = [100, 9, 20, 3];
    expect(quantile(values, 0.5)).toBe(14.5);
    expect(quantile(values, 1)).toBe(100);
    expect(values).toEqual([100, 9, 20, 3]);
  });

  it("property: lies between min and max and grows with q", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q1, q2) => {
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const a = quantile(values, lo) ?? Number.NaN;
          const b = quantile(values, hi) ?? Number.NaN;
          expect(a).toBeGreaterThanOrEqual(Math.min(...values));
          expect(b).toBeLessThanOrEqual(Math.max(...values));
          expect(a).toBeLessThanOrEqual(b + 1e-6);
          expect(quantile(values, 0)).toBe(Math.min(...values));
          expect(quantile(values, 1)).toBe(Math.max(...values));
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});
