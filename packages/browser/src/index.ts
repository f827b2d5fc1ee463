/**
 * `@closeloop/browser` — Closeloop in the browser: `init` starts the client, which fetches the
 * active surveys, shows them as their targeting and the fatigue rules allow in an accessible
 * Shadow-DOM widget, carries every answer to the collector through the durable outbox, and
 * shows the respondent's closure notices. Also exported: the survey engine and the outbox's
 * parts, for pages that build their own UI. Importing it has no side effects and touches no
 * `window`, so it is safe under SSR (see docs/browser.md).
 *
 * @packageDocumentation
 * @module @closeloop/browser
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

export type { FeedbackCapture, LiteClient } from "./client/base.js";
export type { ClientEvents } from "./client/events.js";
export type { Client } from "./client/init.js";
export { init } from "./client/init.js";
export type { Identity, InitOptions } from "./client/options.js";
export type {
  BrowserQueueStore,
  BrowserQueueStoreOptions,
  BrowserStoreKind,
  StoreFallback,
} from "./outbox/browser-store.js";
export { browserQueueStore } from "./outbox/browser-store.js";
export { flushLock } from "./outbox/flush-lock.js";
export { onPageHide } from "./outbox/page-hide.js";
export type { Theme, ThemeMode } from "./widget/types.js";

/** The version of this package. */
export const VERSION = "0.1.0";
