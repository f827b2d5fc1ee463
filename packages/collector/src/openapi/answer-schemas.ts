// The answers core describes only as TypeScript interfaces (`wire/*.ts`, `metrics/*.ts`), as zod
// schemas, so the OpenAPI document can state them. They live here, in the collector, not in
// core: core's browser bundles never carry them. test/openapi-types.test.ts holds each one equal
// to its interface, so the two cannot drift apart.
import {
  ClosureNoticeSchema,
  DIMENSIONS,
  FeedbackPolicySchema,
  LoopSchema,
  SurveySchema,
  WEBHOOK_EVENT_TYPES,
  WIDGET_STRINGS_EN,
} from "@closeloop/core";
import * as z from "zod/mini";

/** One problem with a request: where (a dotted path), a stable code, and what is allowed (`Issue`). */
export const IssueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

const count = () => z.number().check(z.int(), z.gte(0));
/** A share or score that is `null` when there was nothing to measure. */
const maybe = () => z.nullable(z.number());

/** `p50`/`p90` of a duration in milliseconds (`Percentiles`). */
const PercentilesSchema = z.object({ p50: maybe(), p90: maybe() });

/** Every metric of one group of loops (`GroupMetrics`). */
export const GroupMetricsSchema = z.object({
  nps: z.object({
    score: maybe(),
    lower: maybe(),
    upper: maybe(),
    n: count(),
    promoters: count(),
    passives: count(),
    detractors: count(),
  }),
  csat: z.object({ score: maybe(), n: count(), satisfied: count(), scale: z.literal(5) }),
  ces: z.object({
    score: maybe(),
    mean: maybe(),
    n: count(),
    lowEffort: count(),
    scale: z.union([z.literal(5), z.literal(7)]),
  }),
  loops: z.object({
    total: count(),
    open: count(),
    closed: count(),
    closureRate: maybe(),
    breached: count(),
    timeToAcknowledge: PercentilesSchema,
    timeToClose: PercentilesSchema,
  }),
  valueAtRisk: z.object({ value: z.number(), customers: count() }),
  atRisk: z.object({ customers: count() }),
});

const CountValueSchema = z.object({ count: z.number(), value: z.number() });

/** The answer of `GET /v1/metrics` (`MetricsReport`). */
export const MetricsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.nullable(z.enum(DIMENSIONS)),
  asOf: z.string(),
  total: GroupMetricsSchema,
  groups: z.optional(z.record(z.string(), GroupMetricsSchema)),
  customers: z.object({ gained: CountValueSchema, lost: CountValueSchema, net: CountValueSchema }),
});

/** A webhook endpoint as the API shows it: `WebhookEndpoint` without its environment. */
export const WebhookEndpointSchema = z.object({
  name: z.string(),
  url: z.string(),
  events: z.optional(z.array(z.enum(WEBHOOK_EVENT_TYPES))),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.optional(z.string()),
  previousSecretExpiresAt: z.optional(z.string()),
});

/** An endpoint with its `whsec_` secret: the answer of registering or rotating, shown this once. */
export const WebhookEndpointWithSecretSchema = z.extend(WebhookEndpointSchema, {
  secret: z.string().check(z.startsWith("whsec_")),
});

/** One entry of a delivery log (`DeliveryRecord`). */
export const DeliveryRecordSchema = z.object({
  id: z.string(),
  endpoint: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  status: z.enum(["pending", "delivered", "failed", "disabled"]),
  createdAt: z.string(),
  nextAttemptAt: z.optional(z.string()),
  attempts: z.array(
    z.object({
      at: z.string(),
      status: z.optional(z.number()),
      error: z.optional(z.string()),
      durationMs: z.number(),
    }),
  ),
  body: z.string(),
});

/** The answer of `GET /v1/webhooks/:name/deliveries`: newest first, `next` when there is more. */
export const DeliveryLogSchema = z.object({
  endpoint: WebhookEndpointSchema,
  deliveries: z.array(DeliveryRecordSchema),
  next: z.optional(z.string()),
});

/** One page of `GET /v1/loops` (`LoopPage`). */
export const LoopPageSchema = z.object({
  loops: z.array(LoopSchema),
  next: z.optional(z.string()),
});

/** The widget's words in one language (`WidgetStrings`), any of them left to English. */
const WidgetStringsSchema = z.partial(
  z.object(Object.fromEntries(Object.keys(WIDGET_STRINGS_EN).map((k) => [k, z.string()]))),
);

/**
 * The answer of `GET /v1/surveys`: the active version of each survey, and the widget's words in
 * the languages the collector knows, by language code (the SDK carries English only).
 */
export const SurveyListSchema = z.object({
  surveys: z.array(SurveySchema),
  strings: z.record(z.string(), WidgetStringsSchema),
});

/** The answer of `PUT /v1/surveys/:id`: the survey as stored, and the gate's warnings. */
export const PublishedSurveySchema = z.object({
  survey: SurveySchema,
  /** `false` when this exact version was already published (a replay, 200). */
  published: z.boolean(),
  warnings: z.array(IssueSchema),
});

/** The answer of `PUT /v1/feedback-policy`: the policy as stored, and the gate's warnings. */
export const StoredFeedbackPolicySchema = z.object({
  policy: FeedbackPolicySchema,
  warnings: z.array(IssueSchema),
});

/** The answer of `GET /v1/closures`: a respondent's closure notices. */
export const ClosureListSchema = z.object({ closures: z.array(ClosureNoticeSchema) });

/** The answer of the allowed-origins routes. */
export const AllowedOriginsSchema = z.object({ origins: z.array(z.string()) });

/** The answer of `GET /healthz`. */
export const HealthSchema = z.object({
  ok: z.boolean(),
  store: z.enum(["sqlite", "postgres"]),
  /** Why the store did not answer (503 only). */
  error: z.optional(z.string()),
});

/** Every error: a stable `code`, a message naming what is allowed, and each issue by path. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.optional(z.array(IssueSchema)),
  }),
});
