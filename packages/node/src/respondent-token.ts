import { createHmac } from "node:crypto";

// Client-side: a backend computes it with the client alone; the collector checks it (keys.ts).

/**
 * The respondent token your backend gives the browser for a signed-in user:
 * `HMAC-SHA256(secretKey, respondentId)` in base64url. The collector checks it in constant
 * time; without it, a browser's responses are attributed to an anonymous id only.
 *
 * @example
 * // server side, when rendering the page for user 42:
 * const token = respondentToken(process.env.CLOSELOOP_SECRET_KEY!, "user-42");
 */
export function respondentToken(secretKey: string, respondentId: string): string {
  return createHmac("sha256", secretKey).update(respondentId, "utf8").digest("base64url");
}
