import { HttpError } from "./http/errors.js";
import { hashKey, kindOf } from "./keys.js";
import type { CollectorStore, KeyKind, KeyRecord } from "./store/types.js";

/** Who is calling: the key's record. */
export type Caller = KeyRecord;

/**
 * Finds the caller by `authorization: Bearer <key>`. The key is looked up by its SHA-256, so no
 * comparison of key material runs on the request path. 401 for a missing, unknown or revoked
 * key; 403 when a public key asks for what only a secret key may do.
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
  if (need === "secret" && record.kind !== "secret") {
    throw new HttpError(
      403,
      "forbidden",
      "This needs a secret key (sk_…); public keys may only ingest",
    );
  }
  return record;
}
