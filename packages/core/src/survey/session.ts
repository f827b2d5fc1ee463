import { InvalidAnswerError, type Issue, ValidationError } from "../errors.js";
import type { Route } from "../schemas/loop-policy.js";
import type { Answers, Question } from "../schemas/question.js";
import type { SessionState } from "../schemas/session-state.js";
import type { Survey } from "../schemas/survey.js";
import { validateAnswer } from "./answer.js";
import { evaluateCondition, ownEntry } from "./condition.js";
import { localize, resolveLocale } from "./locale.js";
import { segmentOf } from "./segment.js";

/** A question as the respondent sees it: text in the session's locale, options in display order. */
export interface QuestionView {
  id: string;
  type: Question["type"];
  text: string;
  required: boolean;
  /** Position in the survey (0-based) and the number of questions, for a progress bar. */
  index: number;
  total: number;
  /** Current answer, when the respondent already gave one (after `back()` or a resume). */
  answer?: Answers[string];
  options?: { id: string; text: string }[];
  other?: string;
  scale?: number;
  display?: "number" | "stars" | "emoji";
  minLength?: number;
  maxLength?: number;
}

/** What a finished session leads to: its segment, its route and the acknowledgement to show. */
export interface SessionOutcome {
  segment: string;
  route: Route;
  acknowledgement: string;
}

/** A respondent's walk through one survey; see `createSurveySession`. */
export interface SurveySession {
  readonly survey: Survey;
  readonly locale: string;
  /** True once the flow reached its end; `current()` is then `undefined`. */
  readonly finished: boolean;
  /** Answers on the path taken (answers on abandoned branches are kept but not reported). */
  readonly answers: Answers;
  current(): QuestionView | undefined;
  /** Answers the current question; `undefined` clears it. Throws `InvalidAnswerError`. */
  answer(questionId: string, value: unknown): void;
  /** Moves on by the logic rules; throws `InvalidAnswerError` (`required`) if the current question needs an answer. */
  next(): QuestionView | undefined;
  /** Goes back one question (or re-opens the last one when finished). */
  back(): QuestionView | undefined;
  /** Segment, route and acknowledgement text; only once finished. */
  outcome(): SessionOutcome | undefined;
  toJSON(): SessionState;
}

/** Options of `createSurveySession`. */
export interface SessionOptions {
  /** Preferred locale; the closest the survey offers is used (see `resolveLocale`). */
  locale?: string;
  /** State from an earlier `toJSON()`, to resume after a reload. */
  restore?: unknown;
  /** Random source for shuffled options (defaults to `Math.random`). */
  random?: () => number;
}

function shuffled(ids: string[], random: () => number): string[] {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return out;
}

/**
 * Checks saved state against the survey by hand (no zod, to keep the browser path small): the
 * same survey and version, known questions, valid answers, option orders that are permutations.
 */
function restoredState(survey: Survey, input: unknown): SessionState {
  const fail = (path: string, code: string, message: string): never => {
    throw new ValidationError("session state", [{ path, code, message }]);
  };
  if (typeof input !== "object" || input === null) fail("", "invalid_type", "must be an object");
  const raw = input as Record<string, unknown>;
  if (raw.surveyId !== survey.id || raw.surveyVersion !== survey.version) {
    fail(
      "surveyId",
      "survey_mismatch",
      `state is for ${String(raw.surveyId)}@${String(raw.surveyVersion)}, not ${survey.id}@${survey.version}`,
    );
  }
  const questionOf = (id: unknown) => survey.questions.find((q) => q.id === id);
  const issues: Issue[] = [];
  const path = Array.isArray(raw.path) ? raw.path : [];
  if (path.length === 0)
    issues.push({ path: "path", code: "invalid_type", message: "must list the questions visited" });
  for (const [i, id] of path.entries()) {
    if (!questionOf(id)) {
      issues.push({
        path: `path.${i}`,
        code: "unknown_question",
        message: `no question ${JSON.stringify(id)}`,
      });
    }
  }
  if (typeof raw.finished !== "boolean") {
    issues.push({ path: "finished", code: "invalid_type", message: "must be true or false" });
  }
  const record = (key: "answers" | "order"): Record<string, unknown> => {
    const v = raw[key];
    if (v === undefined) return {};
    if (typeof v === "object" && v !== null && !Array.isArray(v))
      return v as Record<string, unknown>;
    issues.push({
      path: key,
      code: "invalid_type",
      message: "must be an object keyed by question id",
    });
    return {};
  };
  const answers = record("answers") as Answers;
  for (const [id, value] of Object.entries(answers)) {
    const q = questionOf(id);
    if (!q) {
      issues.push({
        path: `answers.${id}`,
        code: "unknown_question",
        message: `no question "${id}"`,
      });
      continue;
    }
    try {
      validateAnswer(q, value);
    } catch (e) {
      if (!(e instanceof InvalidAnswerError)) throw e;
      issues.push({ path: `answers.${id}`, code: e.reason, message: e.message });
    }
  }
  const order = record("order") as Record<string, string[]>;
  for (const [id, ids] of Object.entries(order)) {
    const q = questionOf(id);
    const own =
      q && "options" in q
        ? q.options
            .map((o) => o.id)
            .sort()
            .join()
        : undefined;
    if (!Array.isArray(ids) || own !== [...ids].sort().join()) {
      issues.push({
        path: `order.${id}`,
        code: "invalid_order",
        message: "must be a permutation of the question's option ids",
      });
    }
  }
  if (issues.length > 0) throw new ValidationError("session state", issues);
  return {
    surveyId: survey.id,
    surveyVersion: survey.version,
    locale: resolveLocale(survey.locales, typeof raw.locale === "string" ? raw.locale : undefined),
    path: path as string[],
    finished: raw.finished as boolean,
    answers: { ...answers },
    order: { ...order },
  };
}

/**
 * Starts (or resumes) a respondent's session on a survey: shows one question at a time,
 * validates each answer, and follows the survey's logic to the end.
 *
 * @example
 * const s = createSurveySession(survey, { locale: "fr" });
 * s.answer("score", 3); s.next();          // logic jumps to "why"
 * s.answer("why", "Trop lent"); s.next();  // finished
 * s.outcome()?.acknowledgement             // the detractor message, in French
 */
export function createSurveySession(survey: Survey, options: SessionOptions = {}): SurveySession {
  // Ids are unique in a defined survey, and a session's ids are known ones (restored paths are checked).
  const indexOf = (id: string | undefined) => survey.questions.findIndex((q) => q.id === id);
  const questionOf = (id: string) => survey.questions[indexOf(id)] as Question;
  const random = options.random ?? Math.random;
  const state: SessionState = options.restore
    ? restoredState(survey, options.restore)
    : {
        surveyId: survey.id,
        surveyVersion: survey.version,
        locale: resolveLocale(survey.locales, options.locale),
        path: [(survey.questions[0] as Question).id],
        finished: false,
        answers: {},
        order: {},
      };
  const defaultLocale = survey.locales[0];
  const first = (survey.questions[0] as Question).id;

  const currentId = (): string | undefined => (state.finished ? undefined : state.path.at(-1));

  const pathAnswers = (): Answers => {
    const out: Answers = {};
    for (const id of state.path) {
      const a = ownEntry(state.answers, id);
      if (a !== undefined) out[id] = a;
    }
    return out;
  };

  const view = (id: string | undefined): QuestionView | undefined => {
    const i = indexOf(id);
    const q = survey.questions[i];
    if (!q) return undefined;
    const text = (t: Record<string, string>) => localize(t, state.locale, defaultLocale);
    const v: QuestionView = {
      id: q.id,
      type: q.type,
      text: text(q.text),
      required: q.required,
      index: i,
      total: survey.questions.length,
    };
    const given = ownEntry(state.answers, q.id);
    if (given !== undefined) v.answer = given;
    if (q.type === "rating") {
      v.scale = q.scale;
      v.display = q.display;
    }
    if (q.type === "open_text") {
      v.maxLength = q.maxLength;
      if (q.minLength !== undefined) v.minLength = q.minLength;
    }
    if ("options" in q) {
      let order = ownEntry(state.order, q.id);
      if (!order) {
        const ids = q.options.map((o) => o.id);
        order = q.shuffle ? shuffled(ids, random) : ids;
        if (q.shuffle) state.order[q.id] = order;
      }
      v.options = order.flatMap((id) => {
        const o = q.options.find((option) => option.id === id);
        return o ? [{ id, text: text(o.text) }] : [];
      });
      if (q.other) v.other = text(q.other.text);
    }
    return v;
  };

  const nextOf = (id: string): string | undefined => {
    const answers = pathAnswers();
    for (const rule of survey.logic.find((l) => l.question === id)?.rules ?? []) {
      if (!rule.if || evaluateCondition(rule.if, answers)) {
        return rule.then === "end" ? undefined : rule.then.jump;
      }
    }
    return survey.questions[indexOf(id) + 1]?.id;
  };

  /** A restored path must be one the logic could have taken, with every required answer given. */
  const replayIssue = (): Issue | undefined => {
    if (state.path[0] !== first) {
      return { path: "path.0", code: "invalid_path", message: `must start at "${first}"` };
    }
    for (const [i, id] of state.path.entries()) {
      // The next step, `undefined` after the last one.
      const expected = state.path[i + 1];
      if (expected === undefined && !state.finished) return undefined;
      const q = questionOf(id);
      if (q.required && ownEntry(state.answers, id) === undefined) {
        return {
          path: `answers.${id}`,
          code: "required",
          message: "is required but has no answer",
        };
      }
      const to = nextOf(id);
      if (to !== expected) {
        return {
          path: `path.${i + 1}`,
          code: "invalid_path",
          message: `after "${id}" the logic leads to ${to === undefined ? "the end" : `"${to}"`}`,
        };
      }
    }
    return undefined;
  };
  if (options.restore) {
    const issue = replayIssue();
    if (issue) throw new ValidationError("session state", [issue]);
  }

  const session: SurveySession = {
    survey,
    get locale() {
      return state.locale;
    },
    get finished() {
      return state.finished;
    },
    get answers() {
      return pathAnswers();
    },
    current: () => view(currentId()),
    answer(questionId, value) {
      const id = currentId();
      if (id !== questionId) {
        throw new InvalidAnswerError(
          questionId,
          "not_current",
          id === undefined ? "the session is finished" : `the current question is "${id}"`,
        );
      }
      const q = questionOf(id);
      // Blank text on an optional question is no answer (a required one is refused below).
      const blank = q.type === "open_text" && typeof value === "string" && value.trim() === "";
      if (value === undefined || (blank && !q.required)) delete state.answers[id];
      else state.answers[id] = validateAnswer(q, value);
    },
    next() {
      const id = currentId();
      if (id === undefined) return undefined;
      const q = questionOf(id);
      if (q.required && ownEntry(state.answers, id) === undefined) {
        throw new InvalidAnswerError(id, "required", "needs an answer before moving on");
      }
      const to = nextOf(id);
      // A defined survey has no cycles; the guard keeps an unchecked one from looping forever.
      if (to === undefined || state.path.includes(to)) state.finished = true;
      else state.path.push(to);
      return view(currentId());
    },
    back() {
      if (state.finished) state.finished = false;
      else if (state.path.length > 1) state.path.pop();
      return view(currentId());
    },
    outcome() {
      if (!state.finished) return undefined;
      const segment = segmentOf(survey, pathAnswers());
      const route = survey.loop.routes[segment];
      if (!route) return undefined;
      return {
        segment,
        route,
        acknowledgement: localize(route.acknowledge.message, state.locale, defaultLocale),
      };
    },
    toJSON: () => JSON.parse(JSON.stringify(state)) as SessionState,
  };
  return session;
}
