import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filterPasses, matchesEvent, type PropertyFilter } from "../src/targeting/index.js";

type Op = PropertyFilter["op"];
const OPS: Op[] = ["eq", "neq", "lt", "lte", "gt", "gte", "in", "contains", "exists"];
const f = (property: string, op: Op, value?: PropertyFilter["value"]): PropertyFilter =>
  value === undefined ? { property, op } : { property, op, value };

describe("filterPasses", () => {
  const props = {
    plan: "pro",
    rows: 5000,
    admin: true,
    tags: ["beta", 7],
    day: "2026-12-02",
    gone: null,
  };

  it.each([
    [f("plan", "eq", "pro"), true],
    [f("plan", "eq", "free"), false],
    [f("plan", "neq", "free"), true],
    [f("plan", "neq", "pro"), false],
    [f("rows", "eq", 5000), true],
    [f("admin", "eq", true), true],
    [f("admin", "neq", false), true],
    [f("rows", "lt", 5001), true],
    [f("rows", "lt", 5000), false],
    [f("rows", "lte", 5000), true],
    [f("rows", "gt", 4999), true],
    [f("rows", "gt", 5000), false],
    [f("rows", "gte", 5000), true],
    [f("day", "gte", "2026-12-01"), true],
    [f("day", "lt", "2026-12-01"), false],
    [f("admin", "gt", false), true],
    [f("plan", "in", ["free", "pro"]), true],
    [f("rows", "in", [1, 5000]), true],
    [f("plan", "in", ["free"]), false],
    [f("plan", "contains", "r"), true],
    [f("plan", "contains", "x"), false],
    [f("tags", "contains", "beta"), true],
    [f("tags", "contains", 7), true],
    [f("tags", "contains", "7"), false],
    [f("plan", "exists"), true],
    [f("gone", "exists"), false],
    [f("missing", "exists"), false],
    [f("missing", "exists", false), true],
    [f("plan", "exists", false), false],
  ])("%j → %s", (filter, expected) => {
    expect(filterPasses(filter, props)).toBe(expected);
  });

  it.each([
    ["a string against a number", f("rows", "eq", "5000")],
    ["a number against a string", f("plan", "neq", 1)],
    ["a missing property, even for neq", f("missing", "neq", "x")],
    ["null, even for neq", f("gone", "neq", "x")],
    ["an array value for eq", f("tags", "eq", ["beta", 7])],
    ["a missing value for eq", f("missing", "eq")],
    ["an ordering of different types", f("rows", "gt", "1")],
    ["in without an array", f("plan", "in", "pro")],
    ["contains on a number", f("rows", "contains", 5)],
    ["contains a number in a string", f("plan", "contains", 1)],
  ])("fails on a type mismatch: %s", (_, filter) => {
    expect(filterPasses(filter, props)).toBe(false);
  });

  it("reads only own properties, whatever their name", () => {
    expect(filterPasses(f("toString", "exists"), {})).toBe(false);
    expect(filterPasses(f("constructor", "exists"), {})).toBe(false);
    expect(filterPasses(f("__proto__", "exists"), {})).toBe(false);
    expect(filterPasses(f("a.b", "eq", 1), { "a.b": 1, a: { b: 2 } })).toBe(true);
  });

  const primitive = fc.oneof(fc.string({ maxLength: 4 }), fc.double(), fc.boolean());
  const anyValue = fc.oneof(
    primitive,
    fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
  );
  const filterArb = fc.record(
    {
      property: fc.constantFrom("p", "q", "toString"),
      op: fc.constantFrom(...OPS),
      value: anyValue,
    },
    { requiredKeys: ["property", "op"] },
  );

  it("never throws, whatever the properties and the filter", () => {
    fc.assert(
      fc.property(filterArb, fc.anything(), (filter, value) => {
        expect(typeof filterPasses(filter, { p: value })).toBe("boolean");
      }),
    );
  });

  it("eq and neq are each other's negation exactly when the types agree", () => {
    fc.assert(
      fc.property(primitive, primitive, (v, w) => {
        const eq = filterPasses(f("p", "eq", w), { p: v });
        const neq = filterPasses(f("p", "neq", w), { p: v });
        if (typeof v === typeof w) expect(eq).toBe(!neq);
        else expect([eq, neq]).toEqual([false, false]);
      }),
    );
  });

  it("orders numbers and strings as JavaScript does: lt ⇔ ¬gte, gt ⇔ ¬lte", () => {
    const same = fc.oneof(
      fc.tuple(fc.double({ noNaN: true }), fc.double({ noNaN: true })),
      fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })),
    );
    fc.assert(
      fc.property(same, ([v, w]) => {
        const pass = (op: Op) => filterPasses(f("p", op, w), { p: v });
        expect(pass("lt")).toBe(v < w);
        expect(pass("lte")).toBe(v <= w);
        expect(pass("gt")).toBe(v > w);
        expect(pass("gte")).toBe(v >= w);
        expect(pass("lt")).toBe(!pass("gte"));
        expect(pass("gt")).toBe(!pass("lte"));
      }),
    );
  });
});

describe("matchesEvent", () => {
  const trigger = { name: "export", where: [f("rows", "gte", 1000), f("format", "eq", "csv")] };

  it("needs the same name and every filter to pass", () => {
    expect(matchesEvent(trigger, "export", { rows: 5000, format: "csv" })).toBe(true);
    expect(matchesEvent(trigger, "export", { rows: 5000, format: "pdf" })).toBe(false);
    expect(matchesEvent(trigger, "Export", { rows: 5000, format: "csv" })).toBe(false);
  });

  it("fires on the name alone when there are no filters, with or without properties", () => {
    expect(matchesEvent({ name: "export", where: [] }, "export")).toBe(true);
    expect(matchesEvent({ name: "export", where: [] }, "export", null)).toBe(true);
  });

  it("fails filters, without throwing, when there are no properties", () => {
    expect(matchesEvent(trigger, "export")).toBe(false);
    expect(matchesEvent(trigger, "export", null)).toBe(false);
  });
});
