/**
 * `@closeloop/browser` — Closeloop in the browser.
 *
 * Today it carries the pure survey engine a page needs to run a survey (parse a published
 * survey, walk a session with its logic, resume it, find the route and acknowledgement) and the
 * loop types, and the pieces of the durable outbox that only a browser has: the queue store
 * (IndexedDB, then localStorage, then memory), the one-tab-at-a-time flush lock and the page-hide
 * hook. The client (`init`), targeting and the widget build on it. Importing it has no side
 * effects and touches no `window`, so it is safe under SSR.
 *
 * @packageDocumentation
 */

export type {
  Answers,
  AnswerValue,
  ClosureNotice,
  FlushLock,
  Issue,
  Loop,
  LoopState,
  PeekLimit,
  QuestionView,
  QueueStore,
  Route,
  SessionState,
  StoredItem,
  Survey,
  SurveySession,
} from "@closeloop/core";
export {
  CloseloopError,
  ClosureNoticeSchema,
  createSurveySession,
  InvalidAnswerError,
  QueueFullError,
  resolveLocale,
  SurveySchema,
  segmentOf,
  ValidationError,
} from "@closeloop/core";

export type {
  BrowserQueueStore,
  BrowserQueueStoreOptions,
  BrowserStoreKind,
  StoreFallback,
} from "./outbox/browser-store.js";
export { browserQueueStore } from "./outbox/browser-store.js";
export type { FlushLockOptions } from "./outbox/flush-lock.js";
export { flushLock } from "./outbox/flush-lock.js";
export { onPageHide } from "./outbox/page-hide.js";

/** The version of this package. */
export const VERSION = "0.1.0";
