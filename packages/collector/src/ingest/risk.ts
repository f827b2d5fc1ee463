import { type RiskSignal, riskSignals } from "@closeloop/core";
import type { LoopScore, RespondentRef, ScoredLoop } from "../store/types.js";
import type { IngestContext } from "./context.js";

/** Answers in the order metrics judge them: opening time, then loop id (byte order). */
function inOrder(a: ScoredLoop, b: ScoredLoop): number {
  const dt = Date.parse(a.at) - Date.parse(b.at);
  if (dt !== 0) return dt;
  return a.loopId < b.loopId ? -1 : a.loopId > b.loopId ? 1 : 0;
}

const signalsOf = (customerId: string, answers: ScoredLoop[]): RiskSignal[] =>
  riskSignals({
    [customerId]: answers.map((h) => ({ at: h.at, score: h.score, segment: h.segment })),
  });

/**
 * Queues `customer.at_risk` and keeps the signal (for the metrics' customers at risk) for each
 * risk signal a new scoring answer raises (core's
 * `riskSignals`: a drop of 3 or more from the respondent's previous answer of that type, or a
 * second detractor answer within 90 days), in the ingest transaction. Call it before the new
 * loop is saved. Answers are ordered as `GET /v1/metrics` orders them (time, then loop id), so
 * the webhook and the metrics agree even for answers of one batch; the store serialises
 * concurrent readers of one respondent's history. Anonymous respondents have no history.
 */
export async function announceRisk(
  ctx: IngestContext,
  respondent: RespondentRef,
  score: LoopScore | undefined,
  answer: { loopId: string; segment: string },
): Promise<void> {
  if (!score || score.type === "rating" || !("id" in respondent)) return;
  const history = await ctx.tx.scoreHistory(ctx.envId, respondent.id, score.type);
  const now: ScoredLoop = { ...answer, at: ctx.now, score: score.value };
  // What the history raised already, by content: only what the new answer adds is announced.
  const known = new Map<string, number>();
  for (const s of signalsOf(respondent.id, history)) {
    const k = JSON.stringify(s);
    known.set(k, (known.get(k) ?? 0) + 1);
  }
  for (const signal of signalsOf(respondent.id, [...history, now].sort(inOrder))) {
    const k = JSON.stringify(signal);
    const left = known.get(k) ?? 0;
    if (left > 0) {
      known.set(k, left - 1);
      continue;
    }
    await ctx.tx.enqueueWebhook(
      ctx.envId,
      { type: "customer.at_risk", timestamp: signal.at, data: signal },
      signal.at,
    );
    // The answer that raised it: the new one, unless another collector's clock put a stored
    // answer at the same or a later time.
    const by = signal.at === now.at ? now : (history.find((h) => h.at === signal.at) ?? now);
    await ctx.tx.putRiskSignal(ctx.envId, {
      customerId: respondent.id,
      loopId: by.loopId,
      at: signal.at,
      reason: signal.reason,
    });
  }
}
