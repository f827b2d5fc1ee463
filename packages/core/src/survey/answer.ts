import { InvalidAnswerError } from "../errors.js";
import type { AnswerValue, Question } from "../schemas/question.js";

const RANGES: Record<"nps" | "csat" | "ces", [min: number, max: number]> = {
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
};

function fail(q: Question, reason: string, message: string): never {
  throw new InvalidAnswerError(q.id, reason, message);
}

function checkScore(q: Question, value: unknown, min: number, max: number): number {
  // One message for both problems: an integer prints the same through JSON.stringify.
  const message = `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`;
  if (!Number.isInteger(value)) fail(q, "wrong_type", message);
  const score = value as number;
  if (score < min || score > max) fail(q, "out_of_range", message);
  return score;
}

function checkChoice(
  q: Extract<Question, { options: unknown }>,
  value: unknown,
): string | { other: string } {
  if (typeof value === "string") {
    if (!q.options.find((o) => o.id === value)) {
      fail(q, "unknown_option", `"${value}" is not one of its options`);
    }
    return value;
  }
  if (typeof value === "object" && value !== null && "other" in value) {
    const other = (value as { other: unknown }).other;
    if (!q.other) fail(q, "unknown_option", `this question has no "other" option`);
    if (typeof other !== "string" || other.trim() === "" || other.length > 1_000) {
      fail(q, "wrong_type", `"other" must be non-empty text of at most 1000 characters`);
    }
    return { other };
  }
  return fail(q, "wrong_type", `expected an option id or { other: "text" }`);
}

/**
 * Checks `value` against its question and returns it as stored, or throws `InvalidAnswerError`
 * naming the question and the problem.
 */
export function validateAnswer(q: Question, value: unknown): AnswerValue {
  switch (q.type) {
    case "nps":
    case "csat":
    case "ces":
      return checkScore(q, value, ...RANGES[q.type]);
    case "rating":
      return checkScore(q, value, 1, q.scale);
    case "single_choice":
      return checkChoice(q, value);
    case "multi_choice": {
      if (!Array.isArray(value)) fail(q, "wrong_type", "expected an array of option ids");
      const picked = value.map((v) => checkChoice(q, v));
      if (q.required && picked.length === 0) fail(q, "required", "choose at least one option");
      const ids = picked.map((p) => (typeof p === "string" ? p : "other"));
      if (new Set(ids).size !== ids.length)
        fail(q, "duplicate_option", "an option is chosen twice");
      if (q.minSelected !== undefined && picked.length < q.minSelected) {
        fail(q, "too_few", `choose at least ${q.minSelected}`);
      }
      if (q.maxSelected !== undefined && picked.length > q.maxSelected) {
        fail(q, "too_many", `choose at most ${q.maxSelected}`);
      }
      return picked;
    }
    case "open_text": {
      if (typeof value !== "string") fail(q, "wrong_type", "expected text");
      if (q.required && value.trim() === "") fail(q, "required", "needs an answer");
      if (q.minLength !== undefined && value.trim().length < q.minLength) {
        fail(q, "too_short", `needs at least ${q.minLength} characters`);
      }
      if (value.length > q.maxLength)
        fail(q, "too_long", `allows at most ${q.maxLength} characters`);
      return value;
    }
    case "consent":
      if (typeof value !== "boolean") fail(q, "wrong_type", "expected true or false");
      if (q.required && !value) fail(q, "required", "consent is required");
      return value;
  }
}
