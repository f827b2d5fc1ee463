import type { Targeting } from "@closeloop/core";
import { globMatches } from "./glob.js";

/** The parts of `window.location` a URL rule reads. */
export type PageLocation = Pick<Location, "href" | "protocol" | "pathname" | "search" | "hash">;

/** Compiles a regex rule's value; `undefined` when it does not compile (the caller reports it). */
export type CompileRegex = (source: string) => RegExp | undefined;

// A rule value written as a full URL (`https://…`, `//host/…`, also after a regex's `^`).
const FULL_URL = /^\^?(https?:)?\/\//;

const decode = (s: string): string => {
  try {
    return decodeURI(s);
  } catch {
    return s; // a malformed escape: compare as written
  }
};

/**
 * What a rule's value is compared with (docs/targeting.md): the page's path and query
 * (`/app/settings?tab=2`); the whole URL when the value starts with `http:`/`https:`
 * (`https://shop.example/app?tab=2`) or `//` (`//shop.example/app?tab=2`); the hash is appended
 * only when the value contains `#`, for hash-routed apps (`/#/settings`). Its percent escapes are
 * decoded, as are those of every rule value but a regex (`/café` matches `/caf%C3%A9`), except
 * the escapes of `/ ? # & = + , ; : @ $`, which keep their meaning.
 */
export function urlSubject(value: string, location: PageLocation): string {
  const full = FULL_URL.exec(value);
  let s = location.pathname + location.search;
  if (full) {
    s = location.href.replace(/#.*/, "");
    if (!full[1]) s = s.slice(location.protocol.length);
  }
  return decode(value.includes("#") ? s + location.hash : s);
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
      if (match === "regex") return compile(value)?.test(s) ?? false;
      const v = decode(value);
      return match === "exact"
        ? s === v
        : match === "prefix"
          ? s.startsWith(v)
          : match === "contains"
            ? s.includes(v)
            : globMatches(v, s);
    })
  );
}
