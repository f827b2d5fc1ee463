import type { Issue } from "../errors.js";
import type { QuestionLogic } from "../schemas/logic.js";
import { comparisonsOf, conditionValueProblem } from "./condition.js";
import { findCycle, logicGraph } from "./graph.js";

/**
 * Issues within the logic: rules for unknown questions, jumps to unknown questions, conditions
 * on unknown or later questions, operator/value mismatches, and cycles.
 */
export function logicIssues(
  questionIds: readonly string[],
  logic: readonly { index: number; entry: QuestionLogic }[],
): Issue[] {
  const issues: Issue[] = [];
  const position = new Map(questionIds.map((id, i) => [id, i]));
  const seen = new Set<string>();
  for (const { index, entry } of logic) {
    const at = `logic.${index}`;
    const own = position.get(entry.question);
    if (own === undefined) {
      issues.push({
        path: `${at}.question`,
        code: "unknown_question",
        message: `there is no question "${entry.question}"`,
      });
      continue;
    }
    if (seen.has(entry.question)) {
      issues.push({
        path: `${at}.question`,
        code: "duplicate_logic",
        message: `question "${entry.question}" already has logic; merge its rules into one entry`,
      });
    }
    seen.add(entry.question);
    entry.rules.forEach((rule, r) => {
      if (rule.then !== "end" && !position.has(rule.then.jump)) {
        issues.push({
          path: `${at}.rules.${r}.then.jump`,
          code: "unknown_jump",
          message: `jumps to "${rule.then.jump}", which is not a question of this survey`,
        });
      }
      if (!rule.if) return;
      for (const { comparison, path } of comparisonsOf(rule.if)) {
        const cAt = [`${at}.rules.${r}.if`, ...path].join(".");
        const target = position.get(comparison.question);
        if (target === undefined) {
          issues.push({
            path: `${cAt}.question`,
            code: "unknown_question",
            message: `tests "${comparison.question}", which is not a question of this survey`,
          });
        } else if (target > own) {
          issues.push({
            path: `${cAt}.question`,
            code: "forward_reference",
            message: `tests "${comparison.question}", which comes after "${entry.question}" and is not answered yet`,
          });
        }
        const problem = conditionValueProblem(comparison);
        if (problem)
          issues.push({ path: `${cAt}.value`, code: "invalid_condition", message: problem });
      }
    });
  }
  const known = logic
    .map((l) => l.entry)
    .filter((e) => position.has(e.question))
    .map((e) => ({
      ...e,
      rules: e.rules.filter((r) => r.then === "end" || position.has(r.then.jump)),
    }));
  const cycle = findCycle(
    logicGraph(
      questionIds.map((id) => ({ id })),
      known,
    ),
  );
  if (cycle) {
    issues.push({
      path: "logic",
      code: "logic_cycle",
      message: `the flow can loop forever: ${cycle.join(" → ")}`,
    });
  }
  return issues;
}
