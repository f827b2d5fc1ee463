import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MinHeap } from "../src/heap.js";
import { parseDuration, utf8Length, uuidv7, ValidationError } from "../src/index.js";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

describe("parseDuration", () => {
  it("converts the documented examples", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("48h")).toBe(172_800_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration("2w")).toBe(1_209_600_000);
    expect(parseDuration("45s")).toBe(45_000);
  });

  it("round-trips every well-formed duration (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.constantFrom(...(Object.keys(UNIT_MS) as (keyof typeof UNIT_MS)[])),
        (n, unit) => {
          expect(parseDuration(`${n}${unit}`)).toBe(n * UNIT_MS[unit]);
        },
      ),
    );
  });

  it("throws a typed error, never a crash, on any other string (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^[1-9][0-9]{0,6}[smhdw]$/.test(s));
        let thrown: unknown;
        try {
          parseDuration(s);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(ValidationError);
        expect((thrown as ValidationError).issues[0]?.code).toBe("invalid_duration");
      }),
    );
    for (const bad of ["0h", "1.5h", "-1h", "48 h", "48H", "h", "12345678d", ""]) {
      expect(() => parseDuration(bad)).toThrow(ValidationError);
    }
  });
});

describe("uuidv7", () => {
  const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("has the version 7 and variant bits and the time in its first 48 bits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = uuidv7(ms);
        expect(id).toMatch(V7);
        expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms);
      }),
    );
  });

  it("sorts by creation time across milliseconds, and is unique", () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000)));
    expect(same.size).toBe(10_000);
  });

  it("fills every random digit: each varies across ids, and the variant takes all four values", () => {
    const ids = Array.from({ length: 2_000 }, () => uuidv7(0).replace(/-/g, ""));
    for (let i = 12; i < 32; i++) {
      const seen = new Set(ids.map((id) => id[i]));
      if (i === 12) expect([...seen]).toEqual(["7"]);
      else if (i === 16) expect([...seen].sort()).toEqual(["8", "9", "a", "b"]);
      else expect(seen.size).toBe(16);
    }
  });
});

describe("MinHeap", () => {
  it("pops in sorted order whatever was pushed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (xs) => {
        const h = new MinHeap<number>((a, b) => a < b);
        for (const x of xs) h.push(x);
        expect(h.size).toBe(xs.length);
        const out: number[] = [];
        while (h.size > 0) {
          expect(h.peek()).toBe(out.length === xs.length ? undefined : h.peek());
          out.push(h.pop() as number);
        }
        expect(out).toEqual([...xs].sort((a, b) => a - b));
        expect(h.pop()).toBeUndefined();
      }),
    );
  });

  it("retain keeps exactly the accepted items, still in order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 100 })), (xs) => {
        const h = new MinHeap<number>((a, b) => a < b);
        for (const x of xs) h.push(x);
        h.retain((x) => x % 3 !== 0);
        const out: number[] = [];
        while (h.size > 0) out.push(h.pop() as number);
        expect(out).toEqual(xs.filter((x) => x % 3 !== 0).sort((a, b) => a - b));
      }),
    );
  });
});

describe("utf8Length", () => {
  it("equals TextEncoder's byte count for any string (property)", () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })),
        (s) => {
          expect(utf8Length(s)).toBe(enc.encode(s).length);
        },
      ),
    );
    expect(utf8Length("a\u{1F600}é")).toBe(1 + 4 + 2);
    expect(utf8Length("\uD800x")).toBe(4); // a lone surrogate is written as U+FFFD
  });
});
