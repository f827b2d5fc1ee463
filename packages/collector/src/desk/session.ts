import { createHash, randomBytes } from "node:crypto";

/** The desk's session cookie: HttpOnly, SameSite=Strict, `Secure` behind https, only under /desk. */
export const SESSION_COOKIE = "closeloop_desk";

/** A session lasts this long from sign-in; then the user signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * A new session's token (for the cookie) and its SHA-256 (for the store): a leaked database
 * holds no usable session.
 */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: sessionTokenHash(token) };
}

/** The stored form of a session token. */
export const sessionTokenHash = (token: string): string =>
  createHash("sha256").update(token).digest("base64url");
