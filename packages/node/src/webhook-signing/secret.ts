import { randomBytes } from "node:crypto";
import { CloseloopError } from "@closeloop/core";

/**
 * The prefix that marks a Standard Webhooks symmetric (HMAC) secret.
 *
 * @example
 * secret.startsWith(WEBHOOK_SECRET_PREFIX); // true for "whsec_…"
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/**
 * Fewest key bytes a secret may have: the Standard Webhooks minimum (192 bits).
 *
 * @example
 * parseWebhookSecret(secret).length >= WEBHOOK_SECRET_MIN_BYTES; // always true
 */
export const WEBHOOK_SECRET_MIN_BYTES = 24;

/**
 * Most key bytes a secret may have: the Standard Webhooks maximum (512 bits).
 *
 * @example
 * parseWebhookSecret(secret).length <= WEBHOOK_SECRET_MAX_BYTES; // always true
 */
export const WEBHOOK_SECRET_MAX_BYTES = 64;

/** Key bytes in a secret made by {@link generateWebhookSecret} (256 bits). */
const GENERATED_BYTES = 32;

// Standard base64 (`+` and `/`), padded to a multiple of four characters.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A webhook secret is not a `whsec_` secret: wrong prefix, not base64, or a key of the wrong
 * size. `code` is always `invalid_secret`. The message never contains the secret.
 *
 * @example
 * try { parseWebhookSecret(process.env.WEBHOOK_SECRET ?? "") }
 * catch (e) { if (e instanceof WebhookSecretError) console.error(e.message) }
 */
export class WebhookSecretError extends CloseloopError {
  declare readonly code: "invalid_secret";
  constructor(message: string) {
    super("invalid_secret", message);
    this.name = "WebhookSecretError";
  }
}

/**
 * A new random webhook secret: `whsec_` followed by the base64 of 32 bytes from the operating
 * system's CSPRNG. Give one to each endpoint; never reuse one across endpoints.
 *
 * @example
 * const secret = generateWebhookSecret(); // "whsec_gH03+Xijp7o0I28j4iYJCM5DEZ3NWuVsaHCxuB2xW9Q="
 */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(GENERATED_BYTES).toString("base64");
}

/**
 * The HMAC key bytes of a `whsec_` secret: the prefix is stripped and the rest base64-decoded.
 * Throws {@link WebhookSecretError} unless the secret is `whsec_` followed by canonical,
 * padded standard base64 of 24 to 64 bytes (the Standard Webhooks bounds).
 *
 * @example
 * const key = parseWebhookSecret("whsec_gH03+Xijp7o0I28j4iYJCM5DEZ3NWuVsaHCxuB2xW9Q=");
 * key.length; // 32
 */
export function parseWebhookSecret(secret: string): Uint8Array {
  if (typeof secret !== "string") {
    throw new WebhookSecretError(`A webhook secret must be a string, got ${typeof secret}`);
  }
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(
      `A webhook secret starts with "${WEBHOOK_SECRET_PREFIX}"; this one does not (is it an API key?)`,
    );
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) {
    throw new WebhookSecretError(
      `A webhook secret is "${WEBHOOK_SECRET_PREFIX}" followed by padded standard base64; this one has other characters, whitespace or a wrong length`,
    );
  }
  const key = Buffer.from(encoded, "base64");
  // Unused low bits of the last character must be zero, so one key has one spelling.
  if (key.toString("base64") !== encoded) {
    throw new WebhookSecretError(
      "A webhook secret's base64 is not canonical (stray trailing bits)",
    );
  }
  if (key.length < WEBHOOK_SECRET_MIN_BYTES || key.length > WEBHOOK_SECRET_MAX_BYTES) {
    throw new WebhookSecretError(
      `A webhook secret's key is ${WEBHOOK_SECRET_MIN_BYTES} to ${WEBHOOK_SECRET_MAX_BYTES} bytes; this one is ${key.length}`,
    );
  }
  return new Uint8Array(key); // a copy, not a view of Buffer's shared pool
}
