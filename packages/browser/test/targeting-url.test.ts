import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatches, matchesUrl, urlSubject } from "../src/targeting/index.js";

const at = (href: string) => new URL(href);
const page = at("https://shop.example:8443/app/settings?tab=2#/billing");
const compile = (source: string) => {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
};
type Match = "exact" | "prefix" | "contains" | "glob" | "regex";
const rule = (match: Match, value: string) => [{ match, value }];

describe("urlSubject: what a rule is compared with", () => {
  it("is the path and query by default, without the hash", () => {
    expect(urlSubject("/app", page)).toBe("/app/settings?tab=2");
  });
  it("adds the hash when the value holds a #, for hash-routed apps", () => {
    expect(urlSubject("/app/settings?tab=2#/billing", page)).toBe("/app/settings?tab=2#/billing");
    expect(urlSubject("#/bill", page)).toBe("/app/settings?tab=2#/billing");
  });
  it("is the whole URL (without the hash) when the value starts with http: or https:", () => {
    expect(urlSubject("https://shop.example", page)).toBe(
      "https://shop.example:8443/app/settings?tab=2",
    );
    expect(urlSubject("http://x", page)).toBe("https://shop.example:8443/app/settings?tab=2");
  });
  it("is the URL without its scheme when the value starts with //", () => {
    expect(urlSubject("//shop.example", page)).toBe("//shop.example:8443/app/settings?tab=2");
  });
  it("sees a regex's ^ before the scheme or //", () => {
    expect(urlSubject("^https://", page)).toBe("https://shop.example:8443/app/settings?tab=2");
    expect(urlSubject("^//shop", page)).toBe("//shop.example:8443/app/settings?tab=2");
  });
  it("keeps percent escapes as location spells them", () => {
    expect(urlSubject("/", at("https://x.example/caf%C3%A9?q=a%20b"))).toBe("/caf%C3%A9?q=a%20b");
  });
});

describe("matchesUrl", () => {
  it("passes every URL when there are no rules", () => {
    expect(matchesUrl([], page, compile)).toBe(true);
  });

  it.each([
    ["exact", "/app/settings?tab=2", true],
    ["exact", "/app/settings", false],
    ["exact", "https://shop.example:8443/app/settings?tab=2", true],
    ["prefix", "/app", true],
    ["prefix", "/apple", false],
    ["prefix", "https://shop.example:8443/app", true],
    ["prefix", "https://other.example/app", false],
    ["prefix", "//shop.example:8443/", true],
    ["contains", "settings", true],
    ["contains", "tab=2", true],
    ["contains", "billing", false],
    ["contains", "#/billing", true],
    ["glob", "/app/*", true],
    ["glob", "/*", false],
    ["glob", "/**", true],
    ["glob", "/app/settings?tab=?", true],
    ["glob", "/app/*/x", false],
    ["glob", "https://*.example:8443/**", true],
    ["regex", "^/app/\\w+\\?tab=\\d$", true],
    ["regex", "settings", true],
    ["regex", "^/settings", false],
    ["regex", "#/bill", true],
    ["regex", "^https://shop\\.example:8443/", true],
  ] as const)("%s %j → %s", (match, value, expected) => {
    expect(matchesUrl(rule(match, value), page, compile)).toBe(expected);
  });

  it("passes when any one rule matches", () => {
    const rules = [
      { match: "exact", value: "/nope" },
      { match: "prefix", value: "/app" },
    ] as const;
    expect(matchesUrl([...rules], page, compile)).toBe(true);
    expect(matchesUrl([rules[0]], page, compile)).toBe(false);
  });

  it("treats a regex that does not compile as no match, asking to compile it", () => {
    const asked: string[] = [];
    const spy = (source: string) => {
      asked.push(source);
      return compile(source);
    };
    expect(matchesUrl(rule("regex", "(unclosed"), page, spy)).toBe(false);
    expect(asked).toEqual(["(unclosed"]);
  });

  it("matches regex metacharacters literally in every other kind of rule", () => {
    const odd = at("https://x.example/a.b/(c)+[d]$^|e");
    expect(matchesUrl(rule("exact", "/a.b/(c)+[d]$^|e"), odd, compile)).toBe(true);
    expect(matchesUrl(rule("exact", "/aXb/(c)+[d]$^|e"), odd, compile)).toBe(false);
    expect(matchesUrl(rule("glob", "/a.b/(c)+[d]$^|*"), odd, compile)).toBe(true);
    expect(matchesUrl(rule("glob", "/a?b/**"), odd, compile)).toBe(true);
    expect(matchesUrl(rule("glob", "/aXb/**"), odd, compile)).toBe(false);
  });
});

// A reference glob by regex: right, but backtracking, so only for short inputs.
const reference = (glob: string, text: string) => {
  const source = (glob.match(/\*\*|[\s\S]/g) ?? [])
    .map((t) =>
      t === "**"
        ? ".*"
        : t === "*"
          ? "[^/]*"
          : t === "?"
            ? "[^/]"
            : t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, "s").test(text);
};

describe("globMatches", () => {
  it("gives `*` any run without /, `**` any run, `?` one character but /", () => {
    expect(globMatches("/a/*", "/a/")).toBe(true);
    expect(globMatches("/a/*", "/a/b/c")).toBe(false);
    expect(globMatches("/a/**", "/a/b/c")).toBe(true);
    expect(globMatches("/a/**/z", "/a/z")).toBe(false);
    expect(globMatches("/a/**/z", "/a//z")).toBe(true);
    expect(globMatches("/a?", "/ab")).toBe(true);
    expect(globMatches("/a?", "/a")).toBe(false);
    expect(globMatches("/a?", "/a/")).toBe(false);
    expect(globMatches("", "")).toBe(true);
    expect(globMatches("*", "")).toBe(true);
    expect(globMatches("", "x")).toBe(false);
    expect(globMatches("/?", "/😀")).toBe(true); // one character, not one UTF-16 unit
  });

  it("agrees with a regex translation on every small glob and text", () => {
    const glob = fc.string({
      unit: fc.constantFrom("a", "b", "/", ".", "*", "?", "(", "\\"),
      maxLength: 8,
    });
    const text = fc.string({
      unit: fc.constantFrom("a", "b", "/", ".", "*", "?", "(", "\\", "\n"),
      maxLength: 10,
    });
    fc.assert(
      fc.property(glob, text, (g, t) => {
        expect(globMatches(g, t)).toBe(reference(g, t));
      }),
      { numRuns: 3000 },
    );
  });

  it("matches any text against itself when it holds no wildcard", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        fc.pre(!/[*?]/.test(a));
        expect(globMatches(a, a)).toBe(true);
        expect(globMatches(a, b)).toBe(a === b);
        expect(globMatches(`${a}**`, b)).toBe(b.startsWith(a));
      }),
    );
  });

  it("cannot be made to backtrack: 500 stars against 5,000 characters finish", () => {
    // As a regex, `^([^/]*a){500}b$`-like patterns take exponential time on a text without b:
    // a backtracking matcher would not finish within the test's timeout (vitest.config.ts) in
    // any lifetime, while the automaton takes about 2.5 million steps. No wall-clock bound here:
    // speed is measured in benchmarks, and a busy machine must not fail the test.
    const glob = `${"*a".repeat(500)}*b`;
    const text = "a".repeat(5_000);
    expect(globMatches(glob, text)).toBe(false);
    expect(globMatches("**a**a**a**a**a**a**a**a**b", text)).toBe(false);
  });
});
