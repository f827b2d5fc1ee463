// The allow-list's parser and matcher: what an origin is (as browsers send it in `Origin`),
// how near misses are named, and who is let in. Properties by fast-check.
import { ValidationError } from "@closeloop/core";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_ALLOWED_ORIGINS,
  originAllowed,
  originProblem,
  parseAllowedOrigins,
} from "../src/allowed-origins.js";

/** An origin as a browser serialises it: http(s), a lower-case host, a port unless the default. */
const origin = fc
  .record({
    scheme: fc.constantFrom("http", "https"),
    host: fc.oneof(fc.domain(), fc.ipV4(), fc.constant("localhost"), fc.constant("[::1]")),
    port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
  })
  .map(({ scheme, host, port }) => new URL(`${scheme}://${host}${port ? `:${port}` : ""}`).origin);

/** What makes a URL more than an origin. */
const tail = fc.constantFrom("/", "/checkout", "/a/b?c=d", "?q=1", "#top", "/#");

const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  return [];
};

describe("originProblem", () => {
  it("accepts every origin a browser can send (fast-check)", () => {
    fc.assert(
      fc.property(origin, (o) => {
        expect(originProblem(o)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("refuses an origin with a path, query, fragment or trailing slash, naming the origin it meant (fast-check)", () => {
    fc.assert(
      fc.property(origin, tail, (o, t) => {
        expect(originProblem(o + t)).toContain(`did you mean "${o}"?`);
      }),
      { numRuns: 500 },
    );
  });

  it("accepts only fixed points of URL's origin, and never throws (fast-check)", () => {
    // One property per kind of input: strings, web URLs, origins in upper case.
    for (const input of [fc.string(), fc.webUrl(), origin.map((o) => o.toUpperCase())]) {
      fc.assert(
        fc.property(input, (s) => {
          const problem = originProblem(s);
          if (problem === undefined) {
            expect(new URL(s).origin).toBe(s);
            expect(s).toMatch(/^https?:\/\//);
          } else {
            expect(problem.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 300 },
      );
    }
    // ≈0.6 s alone; the margin is for a loaded machine.
  }, 20_000);

  it("names the fix for the usual mistakes", () => {
    expect(originProblem("https://Shop.Example")).toContain('did you mean "https://shop.example"?');
    expect(originProblem("https://shop.example:443")).toContain(
      'did you mean "https://shop.example"?',
    );
    expect(originProblem("https://user@shop.example")).toContain("did you mean");
    expect(originProblem("shop.example")).toContain("such as https://shop.example");
    expect(originProblem("ftp://shop.example")).toBe("must be an http or https origin, not ftp");
    expect(originProblem("null")).toContain("such as https://shop.example");
    expect(originProblem(`https://${"a".repeat(300)}.example`)).toContain("at most 300");
  });
});

describe("parseAllowedOrigins", () => {
  it("keeps valid lists in order without repeats, and names a bad entry by its index (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(origin, { maxLength: 20 }),
        fc.nat(),
        fc.constantFrom("shop.example", "https://shop.example/", "*", "ws://shop.example", ""),
        (list, at, bad) => {
          expect(parseAllowedOrigins(list, "origins")).toStrictEqual([...new Set(list)]);
          const index = at % (list.length + 1);
          const withBad = [...list.slice(0, index), bad, ...list.slice(index)];
          // "*" alone is a valid list (any origin); beside others it is refused.
          if (bad === "*" && withBad.length === 1) return;
          const paths = issuesOf(() => parseAllowedOrigins(withBad, "origins")).map((i) => i.path);
          expect(paths).toContain(`origins.${index}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes * alone and the empty list; refuses more than the most", () => {
    expect(parseAllowedOrigins(["*"], "origins")).toStrictEqual(["*"]);
    expect(parseAllowedOrigins([], "origins")).toStrictEqual([]);
    const many = Array.from({ length: MAX_ALLOWED_ORIGINS + 1 }, (_, i) => `https://s${i}.example`);
    expect(issuesOf(() => parseAllowedOrigins(many, "origins"))).toMatchObject([
      { path: "origins", code: "too_many" },
    ]);
  });
});

describe("originAllowed", () => {
  it("lets in any origin without a list or with *, else exactly the listed ones (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(origin, { maxLength: 10 }), origin, (list, o) => {
        expect(originAllowed(undefined, o)).toBe(true);
        expect(originAllowed(["*"], o)).toBe(true);
        expect(originAllowed(list, o)).toBe(list.includes(o));
        expect(originAllowed([...list, o], o)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
