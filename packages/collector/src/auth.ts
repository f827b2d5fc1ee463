import { originAllowed } from "./allowed-origins.js";
import { HttpError } from "./http/errors.js";
import { hashKey, kindOf } from "./keys.js";
import type { CollectorStore, KeyKind, KeyRecord } from "./store/types.js";

/** Who is calling: the key's record. */
export type Caller = KeyRecord;

/**
 * Finds the caller by `authorization: Bearer <key>`. The key is looked up by its SHA-256, so no
 * comparison of key material runs on the request path. 401 for a missing, unknown or revoked
 * key; 403 when a public key asks for what only a secret key may do, and 403
 * `secret_key_in_browser` for a secret key sent with an `Origin` header: browsers send one
 * (cross-origin, and same-origin for every POST), servers' `fetch` does not, and a secret key
 * in a web page is readable by anyone who loads it (`docs/collector.md`, keys).
 */
export async function authenticate(
  request: Request,
  store: CollectorStore,
  need: KeyKind,
): Promise<Caller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new HttpError(401, "missing_key", "Send your key as `authorization: Bearer <key>`", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  const key = match[1] as string;
  const record = kindOf(key) ? await store.findKey(hashKey(key)) : undefined;
  if (!record || record.revokedAt) {
    throw new HttpError(401, "invalid_key", "The key is unknown or revoked", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  if (record.kind === "secret" && request.headers.has("origin")) {
    throw new HttpError(
      403,
      "secret_key_in_browser",
      "A web page sent a secret key (sk_…): anyone who loads the page can read it. Rotate it (`closeloop keys rotate secret`), use the public key (pk_…) in browsers, and call secret-key routes from your backend.",
    );
  }
  if (need === "secret" && record.kind !== "secret") {
    throw new HttpError(
      403,
      "forbidden",
      "This needs a secret key (sk_…); public keys may only ingest",
    );
  }
  return record;
}

/**
 * The caller of a public-key route (`POST /v1/batch`, `GET /v1/surveys`, `GET /v1/closures`):
 * {@link authenticate}, then a browser's `Origin` must be one the environment allows (403
 * `origin_not_allowed`, which the page can read). A request without `Origin` is not from a web
 * page on another origin and is not restricted: the list keeps other sites' pages from using
 * your public key, it does not authenticate anyone (any HTTP client can write any header).
 */
export async function authenticatePublicRoute(
  request: Request,
  store: CollectorStore,
  allowedOrigins: (envId: string) => Promise<readonly string[] | undefined>,
): Promise<Caller> {
  const caller = await authenticate(request, store, "public");
  const origin = request.headers.get("origin");
  if (origin !== null && !originAllowed(await allowedOrigins(caller.envId), origin)) {
    throw new HttpError(
      403,
      "origin_not_allowed",
      `This environment does not allow web pages on ${origin} to use its public key. Add the origin to its allowed origins: PUT /v1/allowed-origins (secret key), \`closeloop serve --allowed-origins\` or CLOSELOOP_ALLOWED_ORIGINS.`,
    );
  }
  return caller;
}
