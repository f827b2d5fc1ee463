// Which answers a web page on another origin may read (`docs/collector.md`, cross-origin). Only
// the public-key routes answer cross-origin; a preflight carries no key, so it cannot know the
// environment and is answered for any origin — the environment's allow-list is enforced on the
// actual request, whose refusal (403 `origin_not_allowed`) is itself readable by the page.
import { HttpError } from "./errors.js";

/** The routes a browser calls, by path, with the one method each takes. */
export const CORS_ROUTES: ReadonlyMap<string, string> = new Map([
  ["/v1/batch", "POST"],
  ["/v1/surveys", "GET"],
  ["/v1/closures", "GET"],
]);

/**
 * The public-key route's method for a path, read as the router reads it (empty segments
 * ignored), so `//v1/batch` from an endpoint given with a trailing slash is the same route.
 */
function corsMethodOf(pathname: string): string | undefined {
  return CORS_ROUTES.get(`/${pathname.split("/").filter(Boolean).join("/")}`);
}

/** What the SDKs send: the key, a JSON body, and the ETag of the surveys they hold. */
const ALLOW_HEADERS = "authorization, content-type, if-none-match";
/** What the SDKs read besides the body: the surveys' ETag and how long to wait after a 429/503. */
const EXPOSE_HEADERS = "etag, retry-after";
/** How long a browser may reuse a preflight: 2 hours, Chromium's cap. */
const MAX_AGE_SECONDS = "7200";

/**
 * Answers `OPTIONS` on `pathname`: 204 with the allowed method and headers on a public-key
 * route; 403 `cross_origin_refused` on any other route that exists (no CORS headers, so the
 * browser never sends the request); `undefined` when no route has that path (404 as usual).
 */
export function preflight(pathname: string, known: boolean): Response | undefined {
  const method = corsMethodOf(pathname);
  if (method) {
    return new Response(null, {
      status: 204,
      headers: {
        allow: `${method}, OPTIONS`,
        "access-control-allow-methods": method,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": MAX_AGE_SECONDS,
      },
    });
  }
  if (!known) return undefined;
  throw new HttpError(
    403,
    "cross_origin_refused",
    `${pathname} does not answer web pages on other origins: only ${[...CORS_ROUTES.keys()].join(", ")} do (with the public key). Call it from your backend.`,
  );
}

/**
 * Adds the CORS headers to an answer of a public-key route — success, error, 304 or preflight
 * alike, so the SDK can read error bodies and `Retry-After` — echoing the request's `Origin`.
 * Answers of other routes are left without them. `Vary: Origin` keeps caches from serving one
 * origin's answer to another.
 */
export function withCors(response: Response, pathname: string, origin: string | null): Response {
  if (corsMethodOf(pathname) === undefined) return response;
  response.headers.append("vary", "origin");
  if (origin === null) return response;
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  return response;
}
