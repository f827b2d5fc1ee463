/**
 * `@closeloop/browser` — Closeloop in the browser.
 *
 * Today it carries the pure survey engine a page needs to run a survey (walk a session with its
 * logic, resume it, find the route and acknowledgement), the loop types, and the durable outbox
 * as a browser runs it (`createBrowserOutbox`) with its parts: the queue store (IndexedDB, then
 * localStorage, then memory), the one-tab-at-a-time flush lock and the page-hide hook. The
 * client (`init`), targeting and the widget build on it. Surveys are parsed with zod/mini only
 * where needed (`SurveySchema` from `@closeloop/core`, 10 KB gzip), not in this entry. Importing it has no side
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
  createSurveySession,
  InvalidAnswerError,
  QueueFullError,
  resolveLocale,
  segmentOf,
  ValidationError,
} from "@closeloop/core";

export type { BrowserOutbox, BrowserOutboxOptions } from "./outbox/browser-outbox.js";
export { createBrowserOutbox } from "./outbox/browser-outbox.js";
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
