import { createHmac } from "node:crypto";
import { type Issue, ValidationError } from "@closeloop/core";
import { parseWebhookSecret } from "./secret.js";

/**
 * The three Standard Webhooks headers, as sent with every delivery. (A type, not an interface,
 * so it can be passed wherever a header record is expected, such as `verifyWebhook`.)
 *
 * @example
 * const secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
 * const headers: WebhookHeaders = signWebhook({ id: "msg_1", timestamp: 1700000000, body: "{}", secret });
 * // { "webhook-id": "msg_1", "webhook-timestamp": "1700000000",
 * //   "webhook-signature": "v1,fhksJF5ElKjlPoT/jtefCO5XjQPvhf7Dhf/8R1ad9yU=" }
 */
export type WebhookHeaders = {
  /** The message id: the same for every attempt of one event, so receivers can deduplicate. */
  "webhook-id": string;
  /** When this attempt was signed, in Unix seconds. */
  "webhook-timestamp": string;
  /** Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per secret. */
  "webhook-signature": string;
};

/**
 * What {@link signWebhook} signs.
 *
 * @example
 * const input: SignWebhookInput = {
 *   id: "msg_01JN4Z…",
 *   timestamp: new Date(),
 *   body: JSON.stringify(payload),
 *   secret: [endpoint.secret, endpoint.previousSecret], // while rotating
 * };
 */
export interface SignWebhookInput {
  /**
   * The message id (e.g. `msg_…`): printable ASCII without spaces or `.`, as the Standard
   * Webhooks spec asks, so that `id.timestamp.body` can be split only one way.
   */
  id: string;
  /** When the attempt is made: a `Date` or whole Unix seconds (≥ 0). */
  timestamp: Date | number;
  /** The exact bytes (or text, sent as UTF-8) of the request body. */
  body: string | Uint8Array;
  /**
   * The endpoint's `whsec_…` secret, or several during a rotation: one signature per secret,
   * all in one header, so a receiver holding any of them accepts the delivery.
   */
  secret: string | readonly string[];
}

// Printable ASCII except space and `.`.
const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]+$/;

/** The base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under `key`. Internal. */
export function computeSignature(
  key: Uint8Array,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const hmac = createHmac("sha256", key);
  hmac.update(`${id}.${timestamp}.`, "utf8");
  // A string body is UTF-8 encoded (a lone surrogate becomes U+FFFD, as with TextEncoder).
  if (typeof body === "string") hmac.update(body, "utf8");
  else hmac.update(body);
  return hmac.digest("base64");
}

function unixSeconds(timestamp: Date | number, issues: Issue[]): number {
  if (timestamp instanceof Date) {
    const ms = timestamp.getTime();
    if (Number.isNaN(ms) || ms < 0) {
      issues.push({
        path: "timestamp",
        code: "invalid_timestamp",
        message: "must be a valid date at or after 1970-01-01T00:00:00Z",
      });
      return 0;
    }
    return Math.floor(ms / 1000);
  }
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    issues.push({
      path: "timestamp",
      code: "invalid_timestamp",
      message: "must be a Date or whole Unix seconds ≥ 0",
    });
    return 0;
  }
  return timestamp;
}

/**
 * Signs a webhook per the Standard Webhooks spec and returns the headers to send with the body:
 * `webhook-signature` is `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>` where the key is
 * the base64-decoded part of the `whsec_` secret. Send the body exactly as signed.
 *
 * Throws `ValidationError` for a bad id or timestamp and `WebhookSecretError` for a malformed
 * secret.
 *
 * @example
 * const body = JSON.stringify({ type: "loop.closed", timestamp: new Date().toISOString(), data: { loop } });
 * const headers = signWebhook({ id: "msg_01J…", timestamp: new Date(), body, secret: endpoint.secret });
 * await fetch(endpoint.url, {
 *   method: "POST",
 *   headers: { ...headers, "content-type": "application/json" },
 *   body,
 * });
 */
export function signWebhook(input: SignWebhookInput): WebhookHeaders {
  const { id, body } = input;
  const issues: Issue[] = [];
  if (typeof id !== "string" || !MESSAGE_ID.test(id)) {
    issues.push({
      path: "id",
      code: "invalid_id",
      message: "must be non-empty printable ASCII without spaces or `.`",
    });
  }
  const seconds = unixSeconds(input.timestamp, issues);
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    issues.push({ path: "body", code: "invalid_type", message: "must be a string or bytes" });
  }
  const secrets = typeof input.secret === "string" ? [input.secret] : [...input.secret];
  if (secrets.length === 0) {
    issues.push({ path: "secret", code: "too_small", message: "needs at least one secret" });
  }
  if (issues.length > 0) throw new ValidationError("webhook to sign", issues);

  const signatures = secrets.map(
    (secret) => `v1,${computeSignature(parseWebhookSecret(secret), id, seconds, body)}`,
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": String(seconds),
    "webhook-signature": signatures.join(" "),
  };
}
