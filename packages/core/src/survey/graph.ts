import type { QuestionLogic } from "../schemas/logic.js";

/** The node a rule's `then: "end"` leads to. */
export const END = "$end";

/**
 * The survey's flow as a graph: from each question, every question (or `END`) the session may
 * go to next. The default edge to the next question is kept unless an unconditional rule
 * comes first, since no condition can be decided statically.
 */
export function logicGraph(
  questions: readonly { id: string }[],
  logic: readonly QuestionLogic[],
): Map<string, string[]> {
  const rulesOf = new Map(logic.map((l) => [l.question, l.rules]));
  const graph = new Map<string, string[]>();
  questions.forEach((q, i) => {
    const targets: string[] = [];
    let unconditional = false;
    for (const rule of rulesOf.get(q.id) ?? []) {
      targets.push(rule.then === "end" ? END : rule.then.jump);
      if (!rule.if) {
        unconditional = true;
        break;
      }
    }
    if (!unconditional) targets.push(questions[i + 1]?.id ?? END);
    graph.set(q.id, targets);
  });
  return graph;
}

/** A cycle in the flow, as the list of question ids that repeat, or `undefined` when there is none. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const s = state.get(node);
    if (s === "done" || node === END || !graph.has(node)) return undefined;
    if (s === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Whether some path from the first question reaches the end without passing `avoid`. */
export function canFinishWithout(
  graph: ReadonlyMap<string, readonly string[]>,
  questions: readonly { id: string }[],
  avoid: string,
): boolean {
  const first = questions[0]?.id;
  if (first === undefined || first === avoid) return false;
  const seen = new Set<string>([first]);
  const todo = [first];
  while (todo.length > 0) {
    const node = todo.pop() as string;
    for (const next of graph.get(node) ?? []) {
      if (next === END) return true;
      if (next !== avoid && !seen.has(next) && graph.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return false;
}
