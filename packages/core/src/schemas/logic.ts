import * as z from "zod/mini";
import { IdSchema } from "./common.js";

/** Comparison operators a logic condition may use. */
export const CONDITION_OPS = [
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "notIn",
  "contains",
  "answered",
  "skipped",
] as const;
/** @see CONDITION_OPS */
export type ConditionOp = (typeof CONDITION_OPS)[number];

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A test on one earlier answer: `{ question: "score", op: "lte", value: 6 }`. */
export const ComparisonSchema = z.strictObject({
  question: IdSchema,
  op: z.enum(CONDITION_OPS),
  value: z.optional(z.union([ScalarSchema, z.array(ScalarSchema)])),
});
/** @see ComparisonSchema */
export type Comparison = z.infer<typeof ComparisonSchema>;

/** A condition: a comparison, or `{ all: [...] }` / `{ any: [...] }` of conditions. */
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] };

/** @see Condition */
export const ConditionSchema: z.ZodMiniType<Condition> = z.union([
  ComparisonSchema,
  z.strictObject({
    get all() {
      return z.array(ConditionSchema).check(z.minLength(1), z.maxLength(50));
    },
  }),
  z.strictObject({
    get any() {
      return z.array(ConditionSchema).check(z.minLength(1), z.maxLength(50));
    },
  }),
]);

/** One rule: when `if` holds (or always, when absent), jump to a question or end the survey. */
export const RuleSchema = z.strictObject({
  if: z.optional(ConditionSchema),
  then: z.union([z.literal("end"), z.strictObject({ jump: IdSchema })]),
});
/** @see RuleSchema */
export type Rule = z.infer<typeof RuleSchema>;

/** The ordered rules applied after answering `question`; the first that holds wins. */
export const QuestionLogicSchema = z.strictObject({
  question: IdSchema,
  rules: z.array(RuleSchema).check(z.maxLength(100)),
});
/** @see QuestionLogicSchema */
export type QuestionLogic = z.infer<typeof QuestionLogicSchema>;
