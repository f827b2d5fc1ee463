// captureFeedback skips zod for items the plain check vouches for, so the check must never pass
// an item FeedbackSchema refuses, and must pass the common valid shapes (or it saves nothing).
// Inputs are valid feedback with fields swapped for edge values, so both sides of every check are
// hit; undefined, -0, NaN and Infinity are kept (a capture takes objects, not JSON).
import { FeedbackSchema } from "@closeloop/core";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainFeedback } from "../src/client/plain-feedback.js";

const valid = (): Record<string, unknown> => ({
  channel: "support",
  text: "The CSV export timed out again",
  customer: { id: "cus_0001", value: 24_000, region: "eu" },
  tags: ["export"],
  rating: 3,
  respondent: { id: "user-1", token: "t" },
  context: { url: "https://app.example/invoices", journey: "billing" },
  journey: "billing",
  locale: "pt-BR",
  createdAt: "2026-11-24T10:00:00.000Z",
  id: "ticket-1",
});

const texts = [
  "",
  "a",
  "__proto__",
  "constructor",
  "x".repeat(15),
  "x".repeat(16),
  "y".repeat(64),
  "y".repeat(65),
  "y".repeat(128),
  "y".repeat(129),
  "z".repeat(256),
  "z".repeat(257),
  "u".repeat(1_000),
  "u".repeat(1_001),
  "v".repeat(2_000),
  "v".repeat(2_001),
  "w".repeat(10_000),
  "w".repeat(10_001),
  "é 😀",
  "a b",
  "pt-BR",
  "e",
  "en-",
  "a@example.com",
  "2026-11-24T10:00:00Z",
  "2026-02-30T10:00:00Z",
  "2026-11-24T25:00:00Z",
  "2026-11-24 10:00:00Z",
];
const numbers = [0, -0, 1, -1, 1.5, 10, 10.5, 1e15, 1e15 + 1, Number.NaN, Infinity, -Infinity];
const edges: unknown[] = [
  ...texts,
  ...numbers,
  true,
  false,
  null,
  undefined,
  {},
  [],
  ["a"],
  [""],
  Array.from({ length: 50 }, () => "t"),
  Array.from({ length: 51 }, () => "t"),
  { id: "x" },
  { anonymousId: "anon-0123456789abcdef" },
  Object.create(null),
  new Date(0),
];

type Set = (o: Record<string, unknown>, v: unknown) => void;
const paths: Set[] = [
  ...[...Object.keys(valid()), "unknown"].map((k) => (o: Record<string, unknown>, v: unknown) => {
    o[k] = v;
  }),
  (o) => {
    delete o.channel;
  },
  ...["id", "email", "value", "region", "extra"].map(
    (k) => (o: Record<string, unknown>, v: unknown) => {
      o.customer = { id: "c", [k]: v };
    },
  ),
  (o, v) => {
    o.respondent = { anonymousId: v };
  },
  (o, v) => {
    o.respondent = { id: "user-1", anonymousId: v };
  },
  (o, v) => {
    o.respondent = { id: v, token: "t" };
  },
  ...["url", "userAgent", "journey", "touchpoint", "region", "extra"].map(
    (k) => (o: Record<string, unknown>, v: unknown) => {
      o.context = { [k]: v };
    },
  ),
  (o, v) => {
    o.tags = ["a", v];
  },
];

describe("isPlainFeedback", () => {
  it("passes only feedback that FeedbackSchema accepts, on every field set to every edge value", () => {
    let passed = 0;
    for (const set of paths) {
      for (const v of edges) {
        const x = valid();
        set(x, v);
        if (!isPlainFeedback(x)) continue;
        passed++;
        expect(FeedbackSchema.safeParse(x).success, JSON.stringify(x)).toBe(true);
      }
    }
    expect(passed).toBeGreaterThan(100); // not vacuous
  });

  it("passes only feedback that FeedbackSchema accepts, on random items", () => {
    const scalar = fc.oneof(
      fc.constantFrom(...edges),
      fc.string({ maxLength: 20 }),
      fc.double(),
      fc.integer(),
    );
    const item = fc
      .tuple(
        fc.dictionary(fc.constantFrom(...Object.keys(valid()), "unknown"), fc.boolean(), {
          maxKeys: 4,
        }),
        fc.dictionary(fc.constantFrom(...Object.keys(valid()), "unknown"), scalar),
      )
      .map(([which, values]) => {
        const o = valid();
        for (const [k, drop] of Object.entries(which)) {
          if (drop) delete o[k];
          else o[k] = values[k];
        }
        return o;
      });
    let passed = 0;
    fc.assert(
      fc.property(item, (x) => {
        if (!isPlainFeedback(x)) return;
        passed++;
        expect(FeedbackSchema.safeParse(x).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(passed).toBeGreaterThan(100);
  });

  it("passes the common shapes, so that captures skip zod", () => {
    expect(isPlainFeedback(valid())).toBe(true);
    expect(isPlainFeedback({ channel: "support", text: "slow" })).toBe(true);
    expect(
      isPlainFeedback({ channel: "support", text: "slow", customer: { id: "c" }, tags: ["a"] }),
    ).toBe(true);
    expect(
      isPlainFeedback({
        channel: "in-app",
        text: "x",
        respondent: { anonymousId: "a".repeat(16) },
      }),
    ).toBe(true);
    // Left to zod: an email (zod's own pattern), and an object without a prototype.
    expect(
      isPlainFeedback({ channel: "support", text: "x", customer: { id: "c", email: "a@b.co" } }),
    ).toBe(false);
    expect(isPlainFeedback(Object.assign(Object.create(null), { channel: "s", text: "x" }))).toBe(
      false,
    );
  });
});
