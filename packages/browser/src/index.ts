/**
 * `@closeloop/browser` — Closeloop in the browser.
 *
 * Today it carries the pure survey engine a page needs to run a survey (parse a published
 * survey, walk a session with its logic, resume it, find the route and acknowledgement) and the
 * loop types. The client (`init`), targeting, the widget and the IndexedDB outbox build on it.
 * Importing it has no side effects and touches no `window`, so it is safe under SSR.
 *
 * @packageDocumentation
 */

export type {
  Answers,
  AnswerValue,
  ClosureNotice,
  Issue,
  Loop,
  LoopState,
  QuestionView,
  Route,
  SessionState,
  Survey,
  SurveySession,
} from "@closeloop/core";
export {
  CloseloopError,
  ClosureNoticeSchema,
  createSurveySession,
  InvalidAnswerError,
  resolveLocale,
  SurveySchema,
  segmentOf,
  ValidationError,
} from "@closeloop/core";

/** The version of this package. */
export const VERSION = "0.1.0";
