import * as z from "zod/mini";
import { dictionary, IdSchema, LocaleSchema } from "./common.js";
import { AnswersSchema } from "./question.js";

/** The resumable state of a survey session: what `toJSON()` returns and `restore` accepts. */
export const SessionStateSchema = z.strictObject({
  surveyId: IdSchema,
  surveyVersion: z.number().check(z.int(), z.gte(1)),
  locale: LocaleSchema,
  /** Questions visited, in order; the last is the current one unless `finished`. */
  path: z.array(IdSchema).check(z.minLength(1)),
  finished: z.boolean(),
  answers: AnswersSchema,
  /** Option order per shuffled question, so a resumed session shows the same order. */
  order: dictionary(IdSchema, z.array(IdSchema)),
});
/** @see SessionStateSchema */
export type SessionState = z.infer<typeof SessionStateSchema>;
