/**
 * Webhooks signed per the Standard Webhooks spec (https://www.standardwebhooks.com): the event
 * types and payloads, `whsec_` secrets, signing (for the collector's delivery worker) and
 * verification (for receivers). Pure: no HTTP, no store.
 *
 * @module
 */

// The event types and payloads are the HTTP contract, defined once in core.
export type { WebhookEventData, WebhookEventType, WebhookPayload } from "@closeloop/core";
export { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "@closeloop/core";
export {
  generateWebhookSecret,
  parseWebhookSecret,
  WEBHOOK_SECRET_MAX_BYTES,
  WEBHOOK_SECRET_MIN_BYTES,
  WEBHOOK_SECRET_PREFIX,
  WebhookSecretError,
} from "./secret.js";
export type { SignWebhookInput, WebhookHeaders } from "./sign.js";
export { signWebhook } from "./sign.js";
export type {
  VerifyWebhookOptions,
  WebhookHeadersInput,
  WebhookVerificationErrorCode,
} from "./verify.js";
export { verifyWebhook, WebhookVerificationError } from "./verify.js";
