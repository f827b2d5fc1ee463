import type { Breach } from "../loop/deadlines.js";
import type { RiskSignal } from "../metrics/risk.js";
import type { Feedback } from "../schemas/feedback.js";
import type { Loop } from "../schemas/loop.js";
import type { Response as CloseloopResponse } from "../schemas/response.js";

/**
 * Every webhook event type the collector sends, in a stable order.
 *
 * @example
 * WEBHOOK_EVENT_TYPES.includes("loop.closed"); // true
 */
export const WEBHOOK_EVENT_TYPES = [
  "response.received",
  "feedback.received",
  "loop.acknowledged",
  "loop.assigned",
  "loop.resolved",
  "loop.closed",
  "loop.reopened",
  "loop.breached",
  "customer.at_risk",
] as const;

/**
 * The name of a webhook event.
 *
 * @example
 * const events: WebhookEventType[] = ["loop.breached", "customer.at_risk"];
 */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The `data` of each event type: the loop as it is after the transition for `loop.*`, the
 * missed deadline too for `loop.breached`, the finished response for `response.received`, the stored feedback item (with its
 * `id` and `receivedAt`) for `feedback.received`, and the
 * risk signal (`customerId`, `reason`, `at`, and `from`/`to` for a score drop) for
 * `customer.at_risk`.
 *
 * @example
 * function onBreach(data: WebhookEventData["loop.breached"]) {
 *   console.log(`loop ${data.loop.id} missed its ${data.breach.deadline} deadline (${data.breach.due})`);
 * }
 */
export interface WebhookEventData {
  "response.received": { response: CloseloopResponse };
  "feedback.received": { feedback: Feedback & { id: string; receivedAt: string } };
  "loop.acknowledged": { loop: Loop };
  "loop.assigned": { loop: Loop };
  "loop.resolved": { loop: Loop };
  "loop.closed": { loop: Loop };
  "loop.reopened": { loop: Loop };
  "loop.breached": { loop: Loop; breach: Breach };
  "customer.at_risk": RiskSignal;
}

/**
 * The JSON body of a webhook: `type`, `timestamp` (ISO-8601, when the event happened, not when
 * this attempt was made) and the type's `data`. A union over the types, so a `switch` on `type`
 * narrows `data`. Newer collectors may add event types: give the `switch` a `default` that
 * ignores them.
 *
 * @example
 * function handle(event: WebhookPayload) {
 *   switch (event.type) {
 *     case "loop.closed": return console.log("closed", event.data.loop.id);
 *     case "customer.at_risk": return console.log(event.data.customerId, event.data.reason);
 *     default: return; // not interested, or a type this version does not know
 *   }
 * }
 */
export type WebhookPayload<T extends WebhookEventType = WebhookEventType> = {
  [K in T]: { type: K; timestamp: string; data: WebhookEventData[K] };
}[T];

/**
 * Whether a string is one of {@link WEBHOOK_EVENT_TYPES}.
 *
 * @example
 * isWebhookEventType("loop.closed"); // true
 * isWebhookEventType("loop.deleted"); // false
 */
export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}
