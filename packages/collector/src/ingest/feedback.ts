import { createLoop, type Feedback, FeedbackSchema, feedbackRoute, uuidv7 } from "@closeloop/core";
import { ms } from "../store/columns.js";
import type { RespondentRef } from "../store/types.js";
import { type IngestContext, type ItemOutcome, ItemRejection } from "./context.js";
import { claimKey, type ItemKey } from "./idempotency.js";
import { saveLoop } from "./loops.js";
import { parseItem } from "./parse-item.js";
import { quote } from "./quote.js";
import { respondentOf } from "./respondent.js";

/**
 * A feedback item (a ticket, a review, an email, the browser's feedback form): stored, and a loop
 * opened on the route the environment's feedback policy gives its channel. Without a policy it is
 * refused — a loop with no owner and no deadline is exactly the partial loop Closeloop exists to
 * prevent. The loop's respondent, whom its closure notices are for, is the item's `respondent`
 * (checked as a response's is), else its `customer`.
 */
export async function ingestFeedback(
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
): Promise<ItemOutcome> {
  const feedback = parseItem<Feedback>(FeedbackSchema, data, "feedback");
  const policy = await ctx.feedbackPolicy();
  if (!policy) {
    throw new ItemRejection(
      "no_feedback_policy",
      "This environment has no feedback policy: publish one (PUT /v1/feedback-policy) before sending feedback",
    );
  }
  // Checked before the key is claimed: a rejected item leaves no trace of its key.
  const respondent: RespondentRef | undefined = feedback.respondent
    ? await respondentOf(ctx, feedback.respondent)
    : feedback.customer
      ? { id: feedback.customer.id }
      : undefined;
  const id = feedback.id ?? uuidv7(ms(ctx.now));
  const claimed = await claimKey(ctx, item, { type: "feedback", id });
  if (claimed) return claimed;

  await ctx.tx.insertFeedback(ctx.envId, { ...feedback, id, receivedAt: ctx.now });
  const { segment, route } = feedbackRoute(policy, feedback);
  const context: Record<string, string> = { channel: feedback.channel };
  const journey = feedback.journey ?? feedback.context?.journey;
  const region = feedback.customer?.region ?? feedback.context?.region;
  if (journey) context.journey = journey;
  if (feedback.context?.touchpoint) context.touchpoint = feedback.context.touchpoint;
  if (region) context.region = region;
  const loop = createLoop({
    id: uuidv7(ms(ctx.now)),
    source: { kind: "feedback", id },
    segment,
    route,
    at: ctx.now,
    context,
    ...(feedback.customer ? { customer: feedback.customer } : {}),
  });
  const youSaid = quote(feedback.text);
  await saveLoop(ctx.tx, ctx.envId, loop, {
    ...(respondent ? { respondent } : {}),
    ...(youSaid ? { youSaid } : {}),
  });
  return { id };
}
