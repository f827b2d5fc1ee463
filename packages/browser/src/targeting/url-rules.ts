import type { Targeting } from "@closeloop/core";
import { globMatches } from "./glob.js";

/** The parts of `window.location` a URL rule reads. */
export type PageLocation = Pick<Location, "href" | "protocol" | "pathname" | "search" | "hash">;

/** Compiles a regex rule's value; `undefined` when it does not compile (the caller reports it). */
export type CompileRegex = (source: string) => RegExp | undefined;

/**
 * What a rule's value is compared with (docs/targeting.md): the page's path and query
 * (`/app/settings?tab=2`); the whole URL when the value starts with `http:`/`https:`
 * (`https://shop.example/app?tab=2`) or `//` (`//shop.example/app?tab=2`); the hash is appended
 * only when the value contains `#`, for hash-routed apps (`/#/settings`). It is compared as
 * `location` spells it, percent-encoded: a rule for `/café` is written `/caf%C3%A9`.
 */
export function urlSubject(value: string, location: PageLocation): string {
  // Written as a full URL (`https://…`, `//host/…`, also after a regex's `^`)? A literal, not
  // a module constant: each of those takes a top-level name of its own in a bundle (size.md).
  const full = /^\^?(https?:)?\/\//.exec(value);
  let s = location.pathname + location.search;
  if (full) {
    s = location.href.replace(/#.*/, "");
    if (!full[1]) s = s.slice(location.protocol.length);
  }
  return value.includes("#") ? s + location.hash : s;
}

/**
 * Whether the page URL passes a survey's URL rules: no rules pass every URL, otherwise any one
 * matching rule passes. `exact` compares whole strings, `prefix` and `contains` as named, `glob`
 * as in `globMatches`, `regex` searches anywhere (anchor it with `^…$`). A regex that does not
 * compile never matches. Never throws.
 *
 * @example
 * matchesUrl([{ match: "prefix", value: "/app" }], location, compile);
 */
export function matchesUrl(
  rules: Targeting["url"],
  location: PageLocation,
  compile: CompileRegex,
): boolean {
  return (
    rules.length === 0 ||
    rules.some(({ match, value }) => {
      const s = urlSubject(value, location);
      return match === "exact"
        ? s === value
        : match === "prefix"
          ? s.startsWith(value)
          : match === "contains"
            ? s.includes(value)
            : match === "glob"
              ? globMatches(value, s)
              : !!compile(value)?.test(s);
    })
  );
}
