import { createLoop, type Feedback, FeedbackSchema, feedbackRoute, uuidv7 } from "@closeloop/core";
import { type IngestContext, type ItemOutcome, ItemRejection } from "./context.js";
import { saveLoop } from "./loops.js";
import { parseItem } from "./parse-item.js";

/**
 * A feedback item (a ticket, a review, an email): stored, and a loop opened on the route the
 * environment's feedback policy gives its channel. Without a policy it is refused — a loop
 * with no owner and no deadline is exactly the partial loop Closeloop exists to prevent.
 */
export async function ingestFeedback(
  ctx: IngestContext,
  key: string,
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
  const id = feedback.id ?? uuidv7(Date.parse(ctx.now));
  const claim = await ctx.tx.claimIdempotency(ctx.envId, key, { type: "feedback", id }, ctx.now);
  if (claim) return { id: claim.id, duplicate: true };

  await ctx.tx.insertFeedback(ctx.envId, { ...feedback, id, receivedAt: ctx.now });
  const { segment, route } = feedbackRoute(policy, feedback);
  const context: Record<string, string> = { channel: feedback.channel };
  if (feedback.journey) context.journey = feedback.journey;
  if (feedback.customer?.region) context.region = feedback.customer.region;
  const loop = createLoop({
    id: uuidv7(Date.parse(ctx.now)),
    source: { kind: "feedback", id },
    segment,
    route,
    at: ctx.now,
    context,
    ...(feedback.customer ? { customer: feedback.customer } : {}),
  });
  await saveLoop(
    ctx.tx,
    ctx.envId,
    loop,
    feedback.customer ? { respondent: { id: feedback.customer.id } } : undefined,
  );
  ctx.emit({ type: "loop.transition", loopId: loop.id, to: "received" });
  return { id };
}
