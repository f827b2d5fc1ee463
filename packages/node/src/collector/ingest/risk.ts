import { riskSignals, type ScoredAnswer } from "@closeloop/core";
import type { LoopScore, RespondentRef } from "../store/types.js";
import type { IngestContext } from "./context.js";

/**
 * Queues `customer.at_risk` for each risk signal a new scoring answer raises (core's
 * `riskSignals`: a drop of 3 or more from the respondent's previous answer of that type, or a
 * second detractor answer within 90 days), in the ingest transaction. Call it before the new
 * loop is saved: the history read is the respondent's answers before this one. Anonymous
 * respondents have no history to judge.
 */
export async function announceRisk(
  ctx: IngestContext,
  respondent: RespondentRef,
  score: LoopScore | undefined,
  segment: string,
): Promise<void> {
  if (!score || score.type === "rating" || !("id" in respondent)) return;
  const history = await ctx.tx.scoreHistory(ctx.envId, respondent.id, score.type);
  const answers: ScoredAnswer[] = history.map((h) => ({
    at: h.at,
    score: h.score,
    segment: h.segment,
  }));
  const known = riskSignals({ [respondent.id]: answers }).length;
  const now = { at: ctx.now, score: score.value, segment };
  // The new answer sorts last, so the signals it raises are the ones past the known ones.
  const raised = riskSignals({ [respondent.id]: [...answers, now] }).slice(known);
  for (const signal of raised) {
    await ctx.tx.enqueueWebhook(
      ctx.envId,
      { type: "customer.at_risk", timestamp: signal.at, data: signal },
      signal.at,
    );
  }
}
