// `loop.breached` fires once per missed deadline, from whichever sees it first: the SLA sweeper,
// or a write that moves the loop on after the deadline passed. The write must not leave it to
// the sweeper: once the deadline is met (or a reopening replaces it) the sweeper never sees it.
// The `loop_breaches` row (`markBreach`, keyed by the deadline and its due instant) decides who.

import type { WebhookPayload } from "@closeloop/core";
import { type Breach, breaches, type Loop } from "@closeloop/core";
import type { WebhookTx } from "../store/webhook-types.js";

/** The event of a missed deadline: the loop as it stood missed, and the deadline. */
export function breachedEvent(loop: Loop, breach: Breach): WebhookPayload<"loop.breached"> {
  return { type: "loop.breached", timestamp: breach.due, data: { loop, breach } };
}

/**
 * Fires every deadline of `loop` (as stored) that had passed unmet by `at` and was not fired
 * yet: records it and queues `loop.breached` in `tx`. Answers how many fired. A deadline met
 * late before this existed stays unannounced (its `metAt` is set).
 */
export async function fireMissedDeadlines(
  tx: WebhookTx,
  envId: string,
  loop: Loop,
  at: string,
): Promise<number> {
  let fired = 0;
  for (const breach of breaches(loop, new Date(at))) {
    if (breach.metAt !== undefined) continue;
    if (!(await tx.markBreach(envId, loop.id, breach.deadline, breach.due, at))) continue;
    await tx.enqueueWebhook(envId, breachedEvent(loop, breach), at);
    fired++;
  }
  return fired;
}
