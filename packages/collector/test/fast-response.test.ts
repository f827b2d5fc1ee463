// The fast path of response parsing must be zod's twin wherever it answers: same acceptance, same
// value, same key order (the stored JSON). Inputs are near-valid responses with fields swapped for
// edge cases, so both sides of every check are hit.
import { ResponseSchema, uuidv7 } from "@closeloop/core";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastResponse } from "../src/ingest/fast-response.js";

const valid = () => ({
  id: uuidv7(),
  surveyId: "onboarding-nps",
  surveyVersion: 1,
  respondent: { anonymousId: "anon-0123456789abcdef" },
  answers: { score: 9, why: "fast" },
  finished: true,
  locale: "en",
  createdAt: "2026-11-24T10:00:00.000Z",
  idempotencyKey: "k-1",
});

const texts = [
  "",
  "a",
  "__proto__",
  "constructor",
  // Each length bound, on both sides.
  "x".repeat(15),
  "x".repeat(16),
  "y".repeat(128),
  "y".repeat(129),
  "u".repeat(200),
  "u".repeat(201),
  "z".repeat(256),
  "z".repeat(257),
  "w".repeat(10_000),
  "w".repeat(10_001),
  "é 😀",
  "a b",
  "pt-BR",
  "EN",
  "e",
  "en-",
  "2026-11-24T10:00:00Z",
  "2026-11-24T10:00Z",
  "2026-02-30T10:00:00Z",
  "2026-13-01T10:00:00Z",
  "2026-11-24T25:00:00Z",
  "2026-11-24T10:00:00.1234567891Z",
  "2026-11-24T10:00:00+01:00",
  "2026-11-24 10:00:00Z",
  "01a20e41-9074-7d0a-8a00-1b9f5c3822b3",
  "01A20E41-9074-7D0A-8A00-1B9F5C3822B3",
  "01a20e41-9074-9d0a-8a00-1b9f5c3822b3",
  "01a20e41-9074-7d0a-ca00-1b9f5c3822b3",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
];
const scalar = fc.oneof(
  fc.constantFrom(...texts),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, Number.MAX_VALUE, true, false, null),
  fc.integer(),
  fc.double(),
);
const small = fc.oneof(
  scalar,
  fc.constant(undefined),
  fc.constant({}),
  fc.constant([]),
  fc.constant({ other: "x" }),
  fc.constant(["a", "b"]),
);
const keyName = fc.oneof(fc.constantFrom(...texts), fc.string({ maxLength: 10 }));
const dict = fc.oneof(
  fc.dictionary(keyName, small, { maxKeys: 4 }),
  fc.constant(JSON.parse('{"__proto__": 1}')),
);
const respondent = fc.oneof(
  fc.record({ anonymousId: scalar }),
  fc.record({ id: scalar }),
  fc.record({ id: scalar, token: scalar }),
  fc.record({ id: scalar, anonymousId: scalar }),
  dict,
);
const context = fc.oneof(
  fc.record(
    {
      url: scalar,
      userAgent: scalar,
      journey: scalar,
      touchpoint: scalar,
      region: scalar,
      extra: scalar,
    },
    { requiredKeys: [] },
  ),
  small,
);
const field: Record<string, fc.Arbitrary<unknown>> = {
  id: scalar,
  surveyId: scalar,
  surveyVersion: scalar,
  respondent,
  answers: dict,
  finished: scalar,
  locale: scalar,
  context,
  createdAt: scalar,
  idempotencyKey: scalar,
  unknown: scalar,
};
/** A valid response with some fields replaced (or dropped, or added). */
const input = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...Object.keys(field)), fc.boolean(), { maxKeys: 3 }),
    fc.record(field),
  )
  .map(([which, values]) => {
    const o: Record<string, unknown> = valid();
    for (const [k, drop] of Object.entries(which)) {
      if (drop && k !== "unknown") delete o[k];
      else o[k] = values[k];
    }
    // A JSON round trip: what a batch body holds (no undefined, no -0, no NaN).
    const text = JSON.stringify(o);
    return JSON.parse(text) as Record<string, unknown>;
  });

describe("fastResponse", () => {
  it("answers exactly what ResponseSchema answers, whenever it answers", () => {
    let fastCount = 0;
    fc.assert(
      fc.property(input, (x) => {
        const fast = fastResponse(x);
        if (fast === undefined) return;
        fastCount++;
        const slow = ResponseSchema.safeParse(x);
        expect(slow.success).toBe(true);
        expect(fast).toStrictEqual(slow.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
      }),
      { numRuns: 3000 },
    );
    // The comparison must not be vacuous.
    expect(fastCount).toBeGreaterThan(100);
  });

  it("agrees with ResponseSchema on every field set to every edge value", () => {
    const edges: unknown[] = [
      ...texts,
      0,
      1,
      -1,
      1.5,
      2 ** 53,
      2 ** 53 - 1,
      true,
      false,
      null,
      {},
      [],
      { other: "x" },
      ["a"],
    ];
    const paths: ((o: Record<string, unknown>, v: unknown) => void)[] = [
      ...[...Object.keys(valid()), "context", "unknown"].map(
        (k) => (o: Record<string, unknown>, v: unknown) => {
          o[k] = v;
        },
      ),
      (o, v) => {
        o.respondent = { anonymousId: v };
      },
      (o, v) => {
        o.respondent = { id: v };
      },
      (o, v) => {
        o.respondent = { id: "user-1", token: v };
      },
      (o, v) => {
        o.answers = { why: v };
      },
      (o, v) => {
        o.answers = { [String(v)]: 1 };
      },
      ...["url", "userAgent", "journey", "touchpoint", "region", "extra"].map(
        (k) => (o: Record<string, unknown>, v: unknown) => {
          o.context = { [k]: v };
        },
      ),
    ];
    let fastCount = 0;
    for (const set of paths) {
      for (const v of edges) {
        const x: Record<string, unknown> = valid();
        set(x, v);
        const fast = fastResponse(JSON.parse(JSON.stringify(x)));
        const slow = ResponseSchema.safeParse(JSON.parse(JSON.stringify(x)));
        if (fast === undefined) {
          // Valid shapes the fast path leaves to zod: answers that are objects or lists, and the
          // nil and max UUIDs (which zod's pattern lets through besides versions 1–8).
          const why = (x.answers as { why?: unknown } | null)?.why;
          const special = typeof x.id === "string" && /^(0|f)+$/.test(x.id.replaceAll("-", ""));
          if (slow.success) expect(typeof why === "object" || special).toBe(true);
          continue;
        }
        fastCount++;
        expect(slow.success).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
      }
    }
    expect(fastCount).toBeGreaterThan(100);
  });

  it("takes the common shapes: anonymous or identified respondent, with or without context", () => {
    const base = valid();
    const shapes = [
      base,
      { ...base, respondent: { id: "user-1" } },
      { ...base, respondent: { id: "user-1", token: "t" } },
      { ...base, context: { url: "/app", userAgent: "UA", journey: "j", region: "eu" } },
      { ...base, answers: {}, finished: false },
    ];
    for (const s of shapes) {
      expect(fastResponse(s)).toStrictEqual(ResponseSchema.safeParse(s).data);
    }
  });

  it("leaves every invalid response to zod", () => {
    fc.assert(
      fc.property(input, (x) => {
        if (!ResponseSchema.safeParse(x).success) expect(fastResponse(x)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
