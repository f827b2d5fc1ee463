import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, type FatigueRecord, fatigueAllows, inSample } from "../src/targeting/index.js";
import { memoryStorage, seededRandom, survey } from "./targeting-fixtures.js";

const T0 = Date.UTC(2026, 11, 2);
const NEVER: FatigueRecord = { shown: 0, answered: 0, last: 0 };
const WEEK = 7 * DAY_MS;
type Mode = "once" | "untilAnswered" | "always";
const display = (mode: Mode, recontactDays?: number) =>
  recontactDays === undefined ? { mode, modal: false } : { mode, recontactDays, modal: false };

describe("fatigueAllows", () => {
  it("lets a survey never shown through, in every mode", () => {
    for (const mode of ["once", "untilAnswered", "always"] as const) {
      expect(fatigueAllows(display(mode, 30), NEVER, T0, WEEK)).toBe(true);
    }
  });

  it("holds every survey for the cooldown after any survey was shown, answered or not", () => {
    const other = { shown: 0, answered: 0, last: T0 };
    expect(fatigueAllows(display("always"), other, T0 + WEEK - 1, WEEK)).toBe(false);
    expect(fatigueAllows(display("always"), other, T0 + WEEK, WEEK)).toBe(true);
    expect(fatigueAllows(display("always"), other, T0 + 1, 0)).toBe(true);
  });

  it("never shows a `once` survey again once shown or answered", () => {
    const years = T0 + 3650 * DAY_MS;
    expect(fatigueAllows(display("once"), { shown: T0, answered: 0, last: T0 }, years, 0)).toBe(
      false,
    );
    expect(fatigueAllows(display("once"), { shown: 0, answered: T0, last: 0 }, years, 0)).toBe(
      false,
    );
  });

  it("shows an `untilAnswered` survey again until it is answered", () => {
    const shown = { shown: T0, answered: 0, last: T0 };
    expect(fatigueAllows(display("untilAnswered"), shown, T0 + WEEK, WEEK)).toBe(true);
    expect(
      fatigueAllows(display("untilAnswered"), { ...shown, answered: T0 + 1 }, T0 + 99 * WEEK, 0),
    ).toBe(false);
  });

  it("waits recontactDays after the later of the last show and the last answer", () => {
    const d = display("always", 30);
    const shown = { shown: T0, answered: 0, last: T0 };
    expect(fatigueAllows(d, shown, T0 + 30 * DAY_MS - 1, 0)).toBe(false);
    expect(fatigueAllows(d, shown, T0 + 30 * DAY_MS, 0)).toBe(true);
    const answeredLater = { ...shown, answered: T0 + 10 * DAY_MS };
    expect(fatigueAllows(d, answeredLater, T0 + 39 * DAY_MS, 0)).toBe(false);
    expect(fatigueAllows(d, answeredLater, T0 + 40 * DAY_MS, 0)).toBe(true);
  });

  it("waits when the clock went back before the last show, rather than nag", () => {
    const shown = { shown: T0, answered: 0, last: T0 };
    expect(fatigueAllows(display("always"), shown, T0 - DAY_MS, WEEK)).toBe(false);
  });

  const time = fc.integer({ min: 0, max: 2 * 3650 * DAY_MS }).map((n) => T0 + n);
  const maybe = fc.oneof(fc.constant(0), time);
  const record = fc.record({ shown: maybe, answered: maybe, last: maybe });
  const mode = fc.constantFrom<Mode>("once", "untilAnswered", "always");
  const days = fc.option(fc.integer({ min: 0, max: 3650 }), { nil: undefined });
  const cooldown = fc.integer({ min: 0, max: 60 }).map((d) => d * DAY_MS);

  it("never lets through what any of its rules forbids", () => {
    fc.assert(
      fc.property(mode, days, record, time, cooldown, (m, r, rec, now, cool) => {
        if (!fatigueAllows(display(m, r), rec, now, cool)) return;
        const seen = Math.max(rec.shown, rec.answered);
        if (rec.last) expect(now - rec.last).toBeGreaterThanOrEqual(cool);
        if (m === "once") expect(seen).toBe(0);
        if (m === "untilAnswered") expect(rec.answered).toBe(0);
        if (seen && r) expect(now - seen).toBeGreaterThanOrEqual(r * DAY_MS);
      }),
    );
  });

  it("only ever lets more through as time passes (no rule reopens and closes again)", () => {
    fc.assert(
      fc.property(mode, days, record, time, fc.nat(), cooldown, (m, r, rec, now, later, cool) => {
        if (fatigueAllows(display(m, r), rec, now, cool)) {
          expect(fatigueAllows(display(m, r), rec, now + later, cool)).toBe(true);
        }
      }),
    );
  });
});

describe("inSample", () => {
  it("always includes at rate 1 and never at rate 0, storing nothing", () => {
    const storage = memoryStorage();
    const random = () => 0.5;
    expect(inSample(survey("a", { sampleRate: 1 }), storage, random)).toBe(true);
    expect(inSample(survey("a", { sampleRate: 0 }), storage, random)).toBe(false);
    expect(storage.writes).toBe(0);
  });

  it("draws once per survey version and keeps the decision", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 0.9999, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (rate, draws) => {
          const storage = memoryStorage();
          let calls = 0;
          const random = () => draws[calls++ % draws.length] as number;
          const s = survey("a", { sampleRate: rate });
          const first = inSample(s, storage, random);
          for (let i = 0; i < 10; i++) expect(inSample(s, storage, random)).toBe(first);
          expect(calls).toBe(1);
          expect(first).toBe(1 - (draws[0] as number) <= rate);
          inSample(survey("a", { sampleRate: rate }, {}, 2), storage, random);
          expect(calls).toBe(2); // a new version draws again
        },
      ),
    );
  });

  it("includes about `rate` of respondents, however often each comes back", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.02, max: 0.98, noNaN: true }), fc.integer(), (rate, seed) => {
        const random = seededRandom(seed);
        const s = survey("a", { sampleRate: rate });
        const n = 2_000;
        let included = 0;
        for (let respondent = 0; respondent < n; respondent++) {
          const storage = memoryStorage();
          // Each respondent comes back five times: still one decision.
          const seen = [0, 1, 2, 3, 4].map(() => inSample(s, storage, random));
          expect(new Set(seen).size).toBe(1);
          if (seen[0]) included++;
        }
        // Five standard deviations: a false alarm about once in 3.5 million runs.
        const sd = Math.sqrt(n * rate * (1 - rate));
        expect(Math.abs(included - n * rate)).toBeLessThan(5 * sd);
      }),
      { numRuns: 30 },
    );
  });
});
