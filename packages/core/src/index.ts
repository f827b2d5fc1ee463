/**
 * `@closeloop/core` — the pure domain of Closeloop: schemas, the survey engine, the loop state
 * machine, the no-partial-loop gate and the metrics. No DOM, no `node:*`, no I/O.
 *
 * @packageDocumentation
 * @module @closeloop/core
 */

export type { Clock, TimerHandle } from "./delivery/clock.js";
export { systemClock } from "./delivery/clock.js";
export { QueueClosedError, QueueFullError } from "./delivery/errors.js";
export type { HttpTransportOptions } from "./delivery/http-transport.js";
export { createHttpTransport, createHttpTransportUnchecked } from "./delivery/http-transport.js";
export { memoryQueueStore } from "./delivery/memory-store.js";
export type { FlushLock, Outbox, OutboxItemInput, OutboxOptions } from "./delivery/outbox.js";
export { createOutbox, createOutboxUnchecked } from "./delivery/outbox.js";
export type { PeekLimit, QueueStore, StoredItem } from "./delivery/queue-store.js";
export {
  fullJitterDelay,
  isRetryableStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from "./delivery/retry-policy.js";
export type { SendOptions, SendOutcome, Transport } from "./delivery/transport.js";
export { utf8Length } from "./delivery/utf8.js";
export { parseDuration } from "./duration.js";
export type { Issue } from "./errors.js";
export {
  CloseloopError,
  InvalidAnswerError,
  LoopTransitionError,
  SurveyDefinitionError,
  ValidationError,
} from "./errors.js";
export type { CloseloopBus, CloseloopEventName, CloseloopEvents, DeliveryError } from "./events.js";
export { createEventBus } from "./events.js";
export type { FeedbackPolicy, FeedbackPolicyInput } from "./feedback/policy.js";
export {
  ANY_CHANNEL,
  defineFeedbackPolicy,
  FeedbackPolicySchema,
  feedbackRoute,
} from "./feedback/policy.js";
export { uuidv7 } from "./id.js";
export type { DueDeadline, LoopClock } from "./loop/clock.js";
export { createLoopClock } from "./loop/clock.js";
export type { Breach, DeadlineKind, Deadlines } from "./loop/deadlines.js";
export { breaches, deadlines, isBreached, pendingDeadlines } from "./loop/deadlines.js";
export type { CreateLoopInput, TransitionOptions } from "./loop/transition.js";
export {
  canTransition,
  createLoop,
  OPEN_STATES,
  TRANSITIONS,
  transition,
} from "./loop/transition.js";
export type { CesResult } from "./metrics/ces.js";
export { ces, cesFromCounts } from "./metrics/ces.js";
export type { CsatResult } from "./metrics/csat.js";
export { csat, csatFromCounts } from "./metrics/csat.js";
export type { AssetGrowth, CountValue, CustomerEvent } from "./metrics/customers.js";
export { customerAssetGrowth, valueAtRisk } from "./metrics/customers.js";
export type { Dimension } from "./metrics/group.js";
export {
  DIMENSIONS,
  groupBy,
  loopDimension,
  metricBy,
  NONE,
  responseDimension,
} from "./metrics/group.js";
export type { LoopHealth, Percentiles } from "./metrics/loop-health.js";
export { loopHealth, loopHealthFromCounts } from "./metrics/loop-health.js";
export type { NpsResult } from "./metrics/nps.js";
export { nps, npsFromCounts } from "./metrics/nps.js";
export { quantile, quantileOfSorted, quantileRanks } from "./metrics/quantile.js";
export type { RiskSignal, ScoredAnswer } from "./metrics/risk.js";
export { riskSignals } from "./metrics/risk.js";
export type { ScoreCounts } from "./metrics/scores.js";
export { parse } from "./parse.js";
// The schemas' patterns, for code that checks the same fields without zod (the collector's fast path).
export { ID_PATTERN, LOCALE_PATTERN, TIMESTAMP_PATTERN } from "./patterns.js";
export type { BatchItem, BatchResult } from "./schemas/batch.js";
export {
  BatchItemSchema,
  BatchRequestSchema,
  BatchResultSchema,
  ITEM_TYPES,
} from "./schemas/batch.js";
export type { ClosureNotice } from "./schemas/closure.js";
export { ClosureNoticeSchema } from "./schemas/closure.js";
export type { Locale, LocalizedText } from "./schemas/common.js";
export {
  DurationSchema,
  IdSchema,
  LocaleSchema,
  LocalizedTextSchema,
  TimestampSchema,
} from "./schemas/common.js";
export type { Customer, Feedback, FeedbackInput } from "./schemas/feedback.js";
export {
  CustomerSchema,
  CustomerValueSchema,
  FeedbackSchema,
  KNOWN_CHANNELS,
  MAX_CUSTOMER_VALUE,
} from "./schemas/feedback.js";
export type { Comparison, Condition, ConditionOp, QuestionLogic, Rule } from "./schemas/logic.js";
export {
  CONDITION_OPS,
  ComparisonSchema,
  ConditionSchema,
  QuestionLogicSchema,
  RuleSchema,
} from "./schemas/logic.js";
export type { Loop, LoopEvent, LoopState } from "./schemas/loop.js";
export {
  InformedViaSchema,
  LOOP_STATES,
  LoopEventSchema,
  LoopSchema,
  LoopStateSchema,
} from "./schemas/loop.js";
export type { LoopPolicy, Route } from "./schemas/loop-policy.js";
export { LoopPolicySchema, RouteSchema } from "./schemas/loop-policy.js";
export type {
  Answers,
  AnswerValue,
  Question,
  QuestionInput,
  QuestionType,
  ScoringQuestion,
} from "./schemas/question.js";
export {
  AnswersSchema,
  AnswerValueSchema,
  QuestionSchema,
  SCORING_TYPES,
} from "./schemas/question.js";
export type { Respondent, Response, ResponseContext, ResponseInput } from "./schemas/response.js";
export { RespondentSchema, ResponseContextSchema, ResponseSchema } from "./schemas/response.js";
export type { SessionState } from "./schemas/session-state.js";
export { SessionStateSchema } from "./schemas/session-state.js";
export type { Survey, SurveyInput } from "./schemas/survey.js";
export { SurveySchema } from "./schemas/survey.js";
export type { Display, Targeting } from "./schemas/targeting.js";
export { DisplaySchema, TargetingSchema } from "./schemas/targeting.js";
export type { AcknowledgementParts } from "./survey/acknowledgement.js";
export { acknowledgementWarnings, composeAcknowledgement } from "./survey/acknowledgement.js";
export { validateAnswer } from "./survey/answer.js";
export { evaluateCondition } from "./survey/condition.js";
export type { DefineSurveyOptions, SurveyCheck } from "./survey/define.js";
export { checkSurvey, defineSurvey } from "./survey/define.js";
export { localize, resolveLocale } from "./survey/locale.js";
export {
  NEGATIVE_SEGMENTS,
  SEGMENT_ALL,
  SEGMENT_UNSCORED,
  SEGMENTS,
  scoringQuestionOf,
  segmentForScore,
  segmentOf,
  segmentsOf,
} from "./survey/segment.js";
export type {
  QuestionView,
  SessionOptions,
  SessionOutcome,
  SurveySession,
} from "./survey/session.js";
export { createSurveySession } from "./survey/session.js";
export type { LoopPage } from "./wire/loops.js";
export type { GroupMetrics, MetricsQuery, MetricsReport } from "./wire/metrics.js";
export type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointInput,
} from "./wire/webhook-endpoints.js";
export type { WebhookEventData, WebhookEventType, WebhookPayload } from "./wire/webhook-events.js";
export { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "./wire/webhook-events.js";
export type { WidgetStrings, WidgetTranslations } from "./wire/widget-strings.js";
export { WIDGET_STRINGS_EN, WIDGET_TRANSLATIONS } from "./wire/widget-strings.js";
