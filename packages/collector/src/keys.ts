import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { respondentToken } from "@closeloop/node";
import type { KeyKind } from "./store/types.js";

const PREFIX: Record<KeyKind, string> = { public: "pk_", secret: "sk_" };

/** A new key: `pk_` or `sk_` then 32 random bytes in base64url. */
export function generateKey(kind: KeyKind): string {
  return PREFIX[kind] + randomBytes(32).toString("base64url");
}

/** SHA-256 of a key, hex: what the store looks keys up by. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The kind a key's prefix claims, if any. */
export function kindOf(key: string): KeyKind | undefined {
  if (key.startsWith("pk_")) return "public";
  if (key.startsWith("sk_")) return "secret";
  return undefined;
}

/** Whether `token` is the respondent token of `respondentId` under any of `secretKeys`, in constant time. */
export function checkRespondentToken(
  secretKeys: readonly string[],
  respondentId: string,
  token: string,
): boolean {
  const given = Buffer.from(token, "utf8");
  let ok = false;
  for (const key of secretKeys) {
    const expected = Buffer.from(respondentToken(key, respondentId), "utf8");
    // Lengths of valid tokens are public (43 characters); only equal lengths are compared.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
