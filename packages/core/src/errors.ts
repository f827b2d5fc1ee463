/** One problem found in an input, located by its path (e.g. `loop.routes.detractor.owner`). */
export interface Issue {
  /** Dotted path to the offending field; empty for the input as a whole. */
  path: string;
  /** Stable, machine-readable code such as `missing_route` or `invalid_type`. */
  code: string;
  /** Human-readable explanation naming the field and the problem. */
  message: string;
}

/**
 * Base class of every error Closeloop throws. `name` is the class name and `code` is stable
 * across releases, so callers can branch on it without parsing messages. Each subclass sets its
 * `name` as a string: minifiers rename classes, and a page's bundle must still say
 * `ValidationError`, not `M`.
 */
export class CloseloopError extends Error {
  // `declare`: the constructors assign every field, and a declared-only field would otherwise
  // cost an ES2020 bundle a defineProperty helper (docs/size.md).
  declare readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = "CloseloopError";
  }
}

function summarize(intro: string, issues: readonly Issue[]): string {
  const lines = issues.map((i) => `\n  - ${i.path || "(root)"}: ${i.message} [${i.code}]`);
  return `${intro} (${issues.length} issue${issues.length === 1 ? "" : "s"}):${lines.join("")}`;
}

/**
 * Input from outside failed its schema. `issues` lists every problem with its path.
 *
 * @example
 * try { parse(ResponseSchema, body, "response") } catch (e) { if (e instanceof ValidationError) console.log(e.issues) }
 */
export class ValidationError extends CloseloopError {
  declare readonly issues: readonly Issue[];
  constructor(what: string, issues: readonly Issue[]) {
    super("validation_failed", summarize(`Invalid ${what}`, issues));
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/**
 * A survey definition is incomplete or inconsistent: thrown by `defineSurvey` and
 * `defineFeedbackPolicy`. `issues` lists **every** problem, not only the first.
 */
export class SurveyDefinitionError extends CloseloopError {
  declare readonly issues: readonly Issue[];
  constructor(what: string, issues: readonly Issue[]) {
    super("survey_definition_invalid", summarize(`${what} is not publishable`, issues));
    this.name = "SurveyDefinitionError";
    this.issues = issues;
  }
}

/** A value given to `SurveySession.answer` does not fit its question, or the move is not allowed. */
export class InvalidAnswerError extends CloseloopError {
  /** Id of the question the answer was for. */
  declare readonly questionId: string;
  /** Why: `wrong_type`, `out_of_range`, `unknown_option`, `too_short`, `too_long`, `required`, `not_current`, … */
  declare readonly reason: string;
  constructor(questionId: string, reason: string, message: string) {
    super("invalid_answer", `Question "${questionId}": ${message}`);
    this.name = "InvalidAnswerError";
    this.questionId = questionId;
    this.reason = reason;
  }
}

/** A loop transition that the state machine does not allow, or one missing what its target state requires. */
export class LoopTransitionError extends CloseloopError {
  declare readonly from: string;
  declare readonly to: string;
  /** Why: `illegal`, `missing_informed_via`, `missing_message`, `missing_owner`, `out_of_order`, `invalid_options`. */
  declare readonly reason: string;
  constructor(from: string, to: string, reason: string, message: string) {
    super("loop_transition_invalid", `Loop cannot go ${from} → ${to}: ${message}`);
    this.name = "LoopTransitionError";
    this.from = from;
    this.to = to;
    this.reason = reason;
  }
}
