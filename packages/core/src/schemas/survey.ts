import * as z from "zod/mini";
import { IdSchema, LocaleSchema } from "./common.js";
import { QuestionLogicSchema } from "./logic.js";
import { LoopPolicySchema } from "./loop-policy.js";
import { QuestionSchema } from "./question.js";
import { DisplaySchema, TargetingSchema } from "./targeting.js";

/**
 * The shape of a survey (docs/concepts.md). Parsing with this schema checks structure only; use
 * `defineSurvey` or `checkSurvey` for the full no-partial-loop gate.
 */
export const SurveySchema = z.strictObject({
  id: IdSchema,
  version: z.number().check(z.int(), z.gte(1)),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  journey: z.optional(IdSchema),
  touchpoint: z.optional(IdSchema),
  locales: z
    .array(LocaleSchema)
    .check(z.minLength(1, "needs at least one locale"), z.maxLength(50)),
  questions: z
    .array(QuestionSchema)
    .check(z.minLength(1, "needs at least one question"), z.maxLength(100)),
  logic: z._default(z.array(QuestionLogicSchema), []),
  targeting: z._default(TargetingSchema, { url: [], events: [], delayMs: 0, sampleRate: 1 }),
  display: z._default(DisplaySchema, { mode: "once", modal: false }),
  loop: LoopPolicySchema,
});
/** A complete, checked survey as returned (frozen) by `defineSurvey`. */
export type Survey = z.infer<typeof SurveySchema>;
/** A survey as written by a person: the input of `defineSurvey` and `checkSurvey`. */
export type SurveyInput = z.input<typeof SurveySchema>;
