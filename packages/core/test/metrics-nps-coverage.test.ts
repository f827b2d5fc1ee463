import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nps } from "../src/index.js";

/** A small seeded PRNG (mulberry32): uniform floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A true population: probabilities of promoter, passive and detractor that sum to 1. */
interface Population {
  promoter: number;
  passive: number;
  detractor: number;
}

interface Scenario {
  population: Population;
  n: number;
  seed: number;
}

const SCALE = 1_000_000;

/**
 * A population drawn uniformly from the probability simplex (two uniform cut points), a sample
 * size from 20 to 500, and a seed for drawing respondents. `noBias` keeps the draw uniform, so
 * the measured coverage is an honest average rather than one skewed towards edge cases.
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .noBias(
    fc.record({
      cut1: fc.integer({ min: 0, max: SCALE }),
      cut2: fc.integer({ min: 0, max: SCALE }),
      n: fc.integer({ min: 20, max: 500 }),
      seed: fc.integer(),
    }),
  )
  .map(({ cut1, cut2, n, seed }) => {
    const lo = Math.min(cut1, cut2) / SCALE;
    const hi = Math.max(cut1, cut2) / SCALE;
    return { population: { detractor: lo, passive: hi - lo, promoter: 1 - hi }, n, seed };
  });

/** Draws `n` scores 0–10 from the population. */
function drawScores({ population, n, seed }: Scenario): number[] {
  const rand = mulberry32(seed);
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rand();
    if (u < population.detractor) scores.push(Math.floor(rand() * 7));
    else if (u < population.detractor + population.passive) scores.push(7 + Math.floor(rand() * 2));
    else scores.push(9 + Math.floor(rand() * 2));
  }
  return scores;
}

function trueNps(p: Population): number {
  return 100 * (p.promoter - p.detractor);
}

describe("nps interval coverage (quality bar)", () => {
  it("covers the true NPS in at least 93% of 2,000 simulated samples (fixed seed)", () => {
    const scenarios = fc.sample(scenarioArb, { seed: 20_260_301, numRuns: 2_000 });
    expect(scenarios).toHaveLength(2_000);
    let covered = 0;
    let smallN = 0;
    let smallCovered = 0;
    for (const scenario of scenarios) {
      const scores = drawScores(scenario);
      expect(scores).toHaveLength(scenario.n);
      const r = nps(scores);
      const truth = trueNps(scenario.population);
      const hit = r.lower !== null && r.upper !== null && r.lower <= truth && truth <= r.upper;
      if (hit) covered++;
      if (scenario.n < 50) {
        smallN++;
        if (hit) smallCovered++;
      }
    }
    const coverage = covered / scenarios.length;
    console.log(
      `NPS adjusted-Wald 95% interval coverage: ${(coverage * 100).toFixed(2)}% ` +
        `(${covered}/${scenarios.length}; n < 50: ${smallCovered}/${smallN})`,
    );
    expect(coverage).toBeGreaterThanOrEqual(0.93);
  });

  it("the simulated populations are valid distributions and samples have the asked size", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { promoter, passive, detractor } = scenario.population;
        for (const p of [promoter, passive, detractor]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(promoter + passive + detractor).toBeCloseTo(1, 9);
        const scores = drawScores(scenario);
        expect(scores).toHaveLength(scenario.n);
        expect(scores.every((s) => Number.isInteger(s) && s >= 0 && s <= 10)).toBe(true);
      }),
      { seed: 1, numRuns: 50 },
    );
  });

  it("the seeded draw is reproducible", () => {
    const scenario: Scenario = {
      population: { promoter: 0.5, passive: 0.3, detractor: 0.2 },
      n: 200,
      seed: 42,
    };
    expect(drawScores(scenario)).toEqual(drawScores(scenario));
  });
});

describe("nps interval bounds", () => {
  it("property: −100 ≤ lower ≤ upper ≤ 100 for any scores", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 600 }),
        (s) => {
          const r = nps(s);
          expect(r.lower).not.toBeNull();
          expect(r.upper).not.toBeNull();
          const lower = r.lower ?? Number.NaN;
          const upper = r.upper ?? Number.NaN;
          expect(lower).toBeGreaterThanOrEqual(-100);
          expect(lower).toBeLessThanOrEqual(upper);
          expect(upper).toBeLessThanOrEqual(100);
          expect(r.score).toBeGreaterThanOrEqual(-100);
          expect(r.score).toBeLessThanOrEqual(100);
        },
      ),
      { seed: 20_260_302, numRuns: 500 },
    );
  });

  it("property: the bounds hold for one-sided samples of any size", () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 7, 10), fc.integer({ min: 1, max: 5_000 }), (value, n) => {
        const r = nps(Array.from({ length: n }, () => value));
        const lower = r.lower ?? Number.NaN;
        const upper = r.upper ?? Number.NaN;
        expect(lower).toBeGreaterThanOrEqual(-100);
        expect(lower).toBeLessThanOrEqual(upper);
        expect(upper).toBeLessThanOrEqual(100);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it("property: the interval contains the adjusted estimate 100·(p′ − d′)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 300 }),
        (s) => {
          const r = nps(s);
          const center = (100 * (r.promoters - r.detractors)) / (r.n + 3);
          // one-decimal rounding of the bounds may move them by up to 0.05
          expect(r.lower ?? Number.NaN).toBeLessThanOrEqual(center + 0.05);
          expect(r.upper ?? Number.NaN).toBeGreaterThanOrEqual(center - 0.05);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});
