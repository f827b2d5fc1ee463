import { deadlines, type Loop, localize, transition } from "@closeloop/core";
import type { LoopMeta, StoreTx } from "../store/types.js";
import type { IngestContext } from "./context.js";

/**
 * What a loop keeps beside it for its whole life: who its customer is, the score that opened it
 * and a quote of what they wrote.
 */
export type LoopFacts = Pick<LoopMeta, "respondent" | "score" | "youSaid">;

/**
 * Stores a loop with the columns queries need: its current deadlines, recomputed from the loop,
 * and the facts fixed at its opening (pass the stored meta back on every later save).
 */
export async function saveLoop(
  tx: StoreTx,
  envId: string,
  loop: Loop,
  facts: LoopFacts | undefined,
): Promise<void> {
  const meta: LoopMeta = { ...deadlines(loop) };
  if (facts?.respondent) meta.respondent = facts.respondent;
  if (facts?.score) meta.score = facts.score;
  if (facts?.youSaid) meta.youSaid = facts.youSaid;
  await tx.putLoop(envId, loop, meta);
}

/**
 * The respondent saw the route's acknowledgement in the page: `received → acknowledged` by
 * the respondent, and for routes that owe no human step (`action: "none"`), closed at once with
 * that acknowledgement as the message. Already acknowledged: nothing to do.
 */
export async function acknowledgeSeen(
  ctx: IngestContext,
  loop: Loop,
  locale: string,
  at: string,
): Promise<Loop> {
  if (loop.state !== "received") return loop;
  const meta = await ctx.tx.getLoopMeta(ctx.envId, loop.id);
  const when = later(at, loop);
  let next = transition(loop, "acknowledged", {
    actor: "respondent",
    at: when,
    informedVia: "in-app",
  });
  if (loop.route.action === "none") {
    const message = localize(loop.route.acknowledge.message, locale);
    next = transition(next, "closed", {
      actor: "system",
      at: when,
      informedVia: "in-app",
      message,
    });
  }
  await saveLoop(ctx.tx, ctx.envId, next, meta);
  return next;
}

/** Events may not go back in time; a late report is recorded at the loop's last event time. */
export function later(at: string, loop: Loop): string {
  const last = loop.events[loop.events.length - 1]?.at;
  return last && Date.parse(last) > Date.parse(at) ? last : at;
}
