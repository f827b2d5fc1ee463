import type { Comparison, Condition } from "../schemas/logic.js";
import type { Answers, AnswerValue } from "../schemas/question.js";

type Scalar = string | number | boolean;

/** `record[key]` when `key` is the record's own property: a question id such as `constructor` must not read `Object.prototype`. */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An "other" answer compares as the option id `other`. */
function scalarsOf(answer: AnswerValue): Scalar[] {
  if (Array.isArray(answer)) return answer.map((a) => (typeof a === "object" ? "other" : a));
  if (typeof answer === "object") return ["other"];
  return [answer];
}

function compare(c: Comparison, answer: AnswerValue | undefined): boolean {
  if (c.op === "answered") return answer !== undefined;
  if (c.op === "skipped") return answer === undefined;
  if (answer === undefined) return false;
  const v = c.value;
  const values = scalarsOf(answer);
  const one = values.length === 1 && !Array.isArray(answer) ? values[0] : undefined;
  switch (c.op) {
    case "eq":
      return one !== undefined && one === v;
    case "neq":
      return one === undefined || one !== v;
    case "lt":
      return typeof one === "number" && typeof v === "number" && one < v;
    case "lte":
      return typeof one === "number" && typeof v === "number" && one <= v;
    case "gt":
      return typeof one === "number" && typeof v === "number" && one > v;
    case "gte":
      return typeof one === "number" && typeof v === "number" && one >= v;
    case "in":
      return Array.isArray(v) && values.some((x) => v.includes(x));
    case "notIn":
      return Array.isArray(v) && !values.some((x) => v.includes(x));
    case "contains":
      if (typeof answer === "string" && typeof v === "string") {
        return answer.toLowerCase().includes(v.toLowerCase());
      }
      return Array.isArray(answer) && values.includes(v as Scalar);
  }
}

/**
 * Evaluates a logic condition over the answers given so far. `answered`/`skipped` test presence;
 * `in`/`notIn` test membership (any selected choice for multi-choice); `contains` is a
 * case-insensitive substring test on text and a membership test on multi-choice answers.
 */
export function evaluateCondition(condition: Condition, answers: Answers): boolean {
  if ("all" in condition) return condition.all.every((c) => evaluateCondition(c, answers));
  if ("any" in condition) return condition.any.some((c) => evaluateCondition(c, answers));
  return compare(condition, ownEntry(answers, condition.question));
}

/** Problems with an operator's value, or `undefined` when it fits (used by the definition checks). */
export function conditionValueProblem(c: Comparison): string | undefined {
  const v = c.value;
  switch (c.op) {
    case "answered":
    case "skipped":
      return v === undefined ? undefined : `"${c.op}" takes no value`;
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return typeof v === "number" ? undefined : `"${c.op}" needs a number value`;
    case "in":
    case "notIn":
      return Array.isArray(v) ? undefined : `"${c.op}" needs an array value`;
    default:
      return v === undefined || Array.isArray(v) ? `"${c.op}" needs a single value` : undefined;
  }
}

/** Every comparison inside a condition, with its path relative to the condition. */
export function comparisonsOf(
  condition: Condition,
  path: (string | number)[] = [],
): { comparison: Comparison; path: (string | number)[] }[] {
  if ("all" in condition) {
    return condition.all.flatMap((c, i) => comparisonsOf(c, [...path, "all", i]));
  }
  if ("any" in condition) {
    return condition.any.flatMap((c, i) => comparisonsOf(c, [...path, "any", i]));
  }
  return [{ comparison: condition, path }];
}
