import * as z from "zod/mini";
import { SCORING_TYPES } from "../patterns.js";
import { dictionary, IdSchema, LocalizedTextSchema } from "./common.js";

const base = {
  id: IdSchema,
  text: LocalizedTextSchema,
  required: z._default(z.boolean(), false),
};

/** Net Promoter Score question: an integer 0–10. */
export const NpsQuestionSchema = z.strictObject({ ...base, type: z.literal("nps") });
/** Customer satisfaction question: an integer 1–5. */
export const CsatQuestionSchema = z.strictObject({ ...base, type: z.literal("csat") });
/** Customer effort score question: an integer 1–7. */
export const CesQuestionSchema = z.strictObject({ ...base, type: z.literal("ces") });
/** Rating question on a scale of 2–10 points, answered 1..scale, shown as numbers, stars or emoji. */
export const RatingQuestionSchema = z.strictObject({
  ...base,
  type: z.literal("rating"),
  scale: z.number().check(z.int(), z.gte(2, "must be 2 or more"), z.lte(10, "must be 10 or less")),
  display: z._default(z.enum(["number", "stars", "emoji"]), "number"),
});

/** One option of a choice question. */
export const ChoiceOptionSchema = z.strictObject({ id: IdSchema, text: LocalizedTextSchema });

const choice = {
  ...base,
  options: z.array(ChoiceOptionSchema).check(z.minLength(1, "needs at least one option")),
  /** When set, the respondent may write their own answer; its label. */
  other: z.optional(z.strictObject({ text: LocalizedTextSchema })),
  /** Shuffle the options' order per respondent (kept across resume). */
  shuffle: z._default(z.boolean(), false),
};
/** Single-choice question; answered with an option id, or `{ other: "text" }` when `other` is set. */
export const SingleChoiceQuestionSchema = z.strictObject({
  ...choice,
  type: z.literal("single_choice"),
});
/** Multiple-choice question; answered with an array of option ids and at most one `{ other }`. */
export const MultiChoiceQuestionSchema = z.strictObject({
  ...choice,
  type: z.literal("multi_choice"),
  minSelected: z.optional(z.number().check(z.int(), z.gte(0))),
  maxSelected: z.optional(z.number().check(z.int(), z.gte(1))),
});
/** Free text question with optional length bounds (at most 10,000 characters). */
export const OpenTextQuestionSchema = z.strictObject({
  ...base,
  type: z.literal("open_text"),
  minLength: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10_000))),
  maxLength: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 5_000),
});
/** Consent question: `true` when given. A required consent must be `true`. */
export const ConsentQuestionSchema = z.strictObject({ ...base, type: z.literal("consent") });

/** Any survey question, discriminated by `type`. */
export const QuestionSchema = z.discriminatedUnion("type", [
  NpsQuestionSchema,
  CsatQuestionSchema,
  CesQuestionSchema,
  RatingQuestionSchema,
  SingleChoiceQuestionSchema,
  MultiChoiceQuestionSchema,
  OpenTextQuestionSchema,
  ConsentQuestionSchema,
]);
/** @see QuestionSchema */
export type Question = z.infer<typeof QuestionSchema>;
/** Question as written by a person (defaults not yet applied). */
export type QuestionInput = z.input<typeof QuestionSchema>;
/** The `type` of a question. */
export type QuestionType = Question["type"];
export { SCORING_TYPES };
/** A question whose answer is a score. */
export type ScoringQuestion = Extract<Question, { type: (typeof SCORING_TYPES)[number] }>;

/** An "other" answer to a choice question. */
export const OtherAnswerSchema = z.strictObject({
  other: z.string().check(z.minLength(1), z.maxLength(1_000)),
});
/** Any answer value: a number, text, a boolean, an option id, `{ other }`, or a list of choices. */
export const AnswerValueSchema = z.union(
  [
    z.number(),
    z.string().check(z.maxLength(10_000)),
    z.boolean(),
    OtherAnswerSchema,
    z
      .array(z.union([z.string().check(z.maxLength(128)), OtherAnswerSchema]))
      .check(z.maxLength(100)),
  ],
  {
    error: "must be a number, text, true or false, { other: text }, or a list of option ids",
  },
);
/** @see AnswerValueSchema */
export type AnswerValue = z.infer<typeof AnswerValueSchema>;
/** Answers keyed by question id: `{ "score": 3, "why": "slow" }`. */
export const AnswersSchema = dictionary(IdSchema, AnswerValueSchema);
/** @see AnswersSchema */
export type Answers = z.infer<typeof AnswersSchema>;
