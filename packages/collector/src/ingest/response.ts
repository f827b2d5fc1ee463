import {
  type Answers,
  createLoop,
  InvalidAnswerError,
  type Issue,
  parse,
  ResponseSchema,
  type Route,
  type Survey,
  scoringQuestionOf,
  segmentOf,
  uuidv7,
  ValidationError,
  validateAnswer,
} from "@closeloop/core";
import { ms } from "../store/columns.js";
import type { LoopScore, StoredResponse } from "../store/types.js";
import { type IngestContext, type ItemOutcome, ItemRejection } from "./context.js";
import { fastResponse } from "./fast-response.js";
import { claimKey, type ItemKey } from "./idempotency.js";
import { saveLoop } from "./loops.js";
import { responseQuote } from "./quote.js";
import { respondentOf } from "./respondent.js";
import { announceRisk } from "./risk.js";

/**
 * A response, partial or finished. Partial responses merge into the stored one by id; the
 * first finished version opens the loop for its segment's route.
 */
export async function ingestResponse(
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
): Promise<ItemOutcome> {
  const response = parseResponse(data, item.key);
  const survey = await ctx.survey(response.surveyId, response.surveyVersion);
  if (!survey) {
    throw new ItemRejection(
      "unknown_survey",
      `No published survey "${response.surveyId}" version ${response.surveyVersion}`,
    );
  }
  checkAnswers(survey.questions, response.answers);
  const respondent = await respondentOf(ctx, response.respondent);

  const stored = await ctx.tx.getResponse(ctx.envId, response.id);
  if (
    stored &&
    (stored.surveyId !== response.surveyId || stored.surveyVersion !== response.surveyVersion)
  ) {
    throw new ItemRejection(
      "conflict",
      `Response ${response.id} belongs to another survey version`,
    );
  }

  const merged: StoredResponse = {
    ...response,
    answers: { ...stored?.answers, ...response.answers },
    finished: (stored?.finished ?? false) || response.finished,
    createdAt: stored?.createdAt ?? response.createdAt,
    receivedAt: stored?.receivedAt ?? ctx.now,
  };
  if (merged.finished) {
    merged.segment = segmentOf(survey, merged.answers);
    // The gate guarantees a route for every segment a respondent can finish in; a finished
    // response outside them skipped a required scoring answer.
    if (!survey.loop.routes[merged.segment]) {
      const q = scoringQuestionOf(survey.questions);
      throw new ItemRejection(
        "incomplete",
        "A finished response must answer the survey's required scoring question",
        [{ path: `answers.${q?.id ?? ""}`, code: "required", message: "required to finish" }],
      );
    }
  }
  // Claimed only once the item is known good: a rejected item leaves no trace of its key.
  const claimed = await claimKey(ctx, item, { type: "response", id: response.id });
  if (claimed) return claimed;
  await ctx.tx.putResponse(ctx.envId, merged);

  if (merged.finished && merged.segment !== undefined) {
    const source = { kind: "response" as const, id: merged.id };
    // Only this handler opens loops for responses, right after storing one: a response that was
    // not stored before has none, and the lookup (a round trip on PostgreSQL) is skipped.
    if (!stored || !(await ctx.tx.getLoopBySource(ctx.envId, source))) {
      const route = survey.loop.routes[merged.segment] as Route;
      const context: Record<string, string> = { surveyId: survey.id };
      const journey = merged.context.journey ?? survey.journey;
      const touchpoint = merged.context.touchpoint ?? survey.touchpoint;
      if (journey) context.journey = journey;
      if (touchpoint) context.touchpoint = touchpoint;
      if (merged.context.region) context.region = merged.context.region;
      const loop = createLoop({
        id: uuidv7(ms(ctx.now)),
        source,
        segment: merged.segment,
        route,
        at: ctx.now,
        context,
      });
      const youSaid = responseQuote(survey.questions, merged.answers);
      const facts = {
        respondent,
        ...scoreOf(survey.questions, merged.answers),
        ...(youSaid ? { youSaid } : {}),
      };
      await announceRisk(ctx, respondent, facts.score, {
        loopId: loop.id,
        segment: merged.segment,
      });
      await saveLoop(ctx.tx, ctx.envId, loop, facts);
    }
  }
  return { id: merged.id };
}

/** The scoring answer, kept beside the loop for metrics and risk signals. */
function scoreOf(questions: Survey["questions"], answers: Answers): { score?: LoopScore } {
  const q = scoringQuestionOf(questions);
  const value = q ? answers[q.id] : undefined;
  return q && typeof value === "number" ? { score: { type: q.type, value } } : {};
}

function parseResponse(data: Record<string, unknown>, key: string) {
  const input = { idempotencyKey: key, ...data };
  const fast = fastResponse(input);
  if (fast) return fast;
  try {
    return parse(ResponseSchema, input, "response");
  } catch (e) {
    if (e instanceof ValidationError) throw new ItemRejection("invalid", e.message, [...e.issues]);
    throw e;
  }
}

function checkAnswers(questions: { id: string }[], answers: Answers): void {
  const issues: Issue[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.find((x) => x.id === id);
    if (!q) {
      issues.push({
        path: `answers.${id}`,
        code: "unknown_question",
        message: "the survey has no such question",
      });
      continue;
    }
    try {
      validateAnswer(q as Parameters<typeof validateAnswer>[0], value);
    } catch (e) {
      if (!(e instanceof InvalidAnswerError)) throw e;
      issues.push({ path: `answers.${id}`, code: e.reason, message: e.message });
    }
  }
  if (issues.length > 0) throw new ItemRejection("invalid", "Invalid answers", issues);
}
