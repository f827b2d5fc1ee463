import type { Issue } from "../errors.js";
import type { LocalizedText } from "../schemas/common.js";
import type { Question } from "../schemas/question.js";

function translationIssues(text: LocalizedText, locales: readonly string[], path: string): Issue[] {
  return locales
    .filter((l) => !(l in text))
    .map((l) => ({
      path: `${path}.${l}`,
      code: "missing_translation",
      message: `has no "${l}" text, but the survey is offered in "${l}"`,
    }));
}

/** Issues within the questions: duplicate ids, missing translations, inconsistent bounds. */
export function questionIssues(
  questions: readonly { index: number; question: Question }[],
  locales: readonly string[],
): Issue[] {
  const issues: Issue[] = [];
  const firstIndex = new Map<string, number>();
  for (const { index, question: q } of questions) {
    const at = `questions.${index}`;
    const seen = firstIndex.get(q.id);
    if (seen !== undefined) {
      issues.push({
        path: `${at}.id`,
        code: "duplicate_question",
        message: `question id "${q.id}" is already used by questions.${seen}`,
      });
    } else {
      firstIndex.set(q.id, index);
    }
    issues.push(...translationIssues(q.text, locales, `${at}.text`));
    if (q.type === "single_choice" || q.type === "multi_choice") {
      const optionIds = new Set<string>();
      q.options.forEach((o, i) => {
        if (optionIds.has(o.id) || o.id === "other") {
          issues.push({
            path: `${at}.options.${i}.id`,
            code: "duplicate_option",
            message:
              o.id === "other"
                ? `"other" is reserved for the free-text option`
                : `option id "${o.id}" is used twice`,
          });
        }
        optionIds.add(o.id);
        issues.push(...translationIssues(o.text, locales, `${at}.options.${i}.text`));
      });
      if (q.other) issues.push(...translationIssues(q.other.text, locales, `${at}.other.text`));
      if (q.type === "multi_choice") {
        const choices = q.options.length + (q.other ? 1 : 0);
        if (q.maxSelected !== undefined && q.maxSelected > choices) {
          issues.push({
            path: `${at}.maxSelected`,
            code: "invalid_bounds",
            message: `is ${q.maxSelected} but there are only ${choices} choices`,
          });
        }
        if (q.minSelected !== undefined && q.minSelected > (q.maxSelected ?? choices)) {
          issues.push({
            path: `${at}.minSelected`,
            code: "invalid_bounds",
            message: `is ${q.minSelected}, more than can be chosen (${q.maxSelected ?? choices})`,
          });
        }
      }
    }
    if (q.type === "open_text" && q.minLength !== undefined && q.minLength > q.maxLength) {
      issues.push({
        path: `${at}.minLength`,
        code: "invalid_bounds",
        message: `is ${q.minLength}, more than maxLength ${q.maxLength}`,
      });
    }
  }
  return issues;
}
