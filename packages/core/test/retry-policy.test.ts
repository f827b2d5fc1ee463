import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fullJitterDelay,
  isRetryableStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from "../src/index.js";

const NOW = Date.parse("2026-11-24T10:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter(" 5 ", NOW)).toBe(5_000);
  });

  it("reads an HTTP-date in IMF-fixdate and the obsolete forms", () => {
    expect(parseRetryAfter("Tue, 24 Nov 2026 10:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Tuesday, 24-Nov-26 10:01:00 GMT", NOW)).toBe(60_000);
    expect(parseRetryAfter("Tue Nov 24 10:00:10 2026", NOW)).toBeGreaterThanOrEqual(0);
  });

  it("answers 0 for a date in the past and caps absurd waits at a day", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("999999999", NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Fri, 01 Jan 2100 00:00:00 GMT", NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("answers undefined when absent or unreadable", () => {
    for (const h of [null, undefined, "", "soon", "-5", "1.5", "12abc", "NaN"]) {
      expect(parseRetryAfter(h, NOW)).toBeUndefined();
    }
  });

  it("round-trips any delay and any date (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (s) => {
        expect(parseRetryAfter(String(s), NOW)).toBe(s * 1000);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (s) => {
        const header = new Date(NOW + s * 1000).toUTCString();
        expect(parseRetryAfter(header, NOW)).toBe(s * 1000);
      }),
    );
  });

  it("never throws and stays within [0, a day] on any string (property)", () => {
    fc.assert(
      fc.property(fc.string(), (h) => {
        const v = parseRetryAfter(h, NOW);
        if (v !== undefined) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
        }
      }),
    );
  });
});

describe("isRetryableStatus", () => {
  it("retries 408, 425, 429 and 5xx but 501 and 505, and nothing else", () => {
    for (let s = 100; s <= 599; s++) {
      const expected = s === 408 || s === 425 || s === 429 || (s >= 500 && s !== 501 && s !== 505);
      expect(isRetryableStatus(s), `status ${s}`).toBe(expected);
    }
  });
});

describe("fullJitterDelay", () => {
  it("stays in [0, min(max, base·2^(n−1))) (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, r) => {
          const d = fullJitterDelay(attempt, base, max, () => r);
          const ceiling = Math.min(max, base * 2 ** (attempt - 1));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.max(ceiling, 1));
          expect(Number.isInteger(d)).toBe(true);
        },
      ),
    );
  });

  it("spreads retries: 1,000 clients after the same failure do not pick one instant", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 1_000 }, () => fullJitterDelay(5, 1_000, 60_000, random));
    const buckets = new Set(delays.map((d) => Math.floor(d / 1_000)));
    expect(buckets.size).toBe(16);
  });
});
