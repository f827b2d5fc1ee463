// The named schemas of the OpenAPI document (`#/components/schemas/<name>`): the zod schemas the
// collector validates requests with, and those of its answers. One name, one schema.
import {
  BatchResultSchema,
  ConditionSchema,
  FeedbackPolicySchema,
  FeedbackSchema,
  ITEM_TYPES,
  LoopSchema,
  ResponseSchema,
  SurveySchema,
} from "@closeloop/core";
import * as z from "zod/mini";
import { CustomerEventSchema } from "../ingest/customer.js";
import { AckSeenSchema, ClosureSeenSchema } from "../ingest/seen.js";
import { AllowedOriginsBodySchema } from "../routes/allowed-origins.js";
import { TransitionBodySchema } from "../routes/loops.js";
import { EndpointBodySchema, RotateBodySchema } from "../routes/webhooks.js";
import {
  AllowedOriginsSchema,
  ClosureListSchema,
  DeliveryLogSchema,
  ErrorSchema,
  HealthSchema,
  LoopPageSchema,
  MetricsReportSchema,
  PublishedSurveySchema,
  StoredFeedbackPolicySchema,
  SurveyListSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from "./answer-schemas.js";

const key = () => z.string().check(z.minLength(1), z.maxLength(200));

/** The `data` of each batch item type, as `POST /v1/batch` parses it. */
const ITEM_DATA = {
  // The item's own `idempotencyKey` is the response's unless its data gives one.
  response: z.partial(ResponseSchema, { idempotencyKey: true }),
  feedback: FeedbackSchema,
  "ack-seen": AckSeenSchema,
  "closure-seen": ClosureSeenSchema,
  customer: CustomerEventSchema,
} satisfies Record<(typeof ITEM_TYPES)[number], z.ZodMiniType>;

/**
 * A batch as the collector reads it: the envelope `BatchRequestSchema` checks, with each item's
 * `data` by its `type` (checked item by item: a bad item is rejected alone, in `rejected`).
 */
const BatchRequestDocSchema = z.strictObject({
  items: z
    .array(
      z.discriminatedUnion(
        "type",
        ITEM_TYPES.map((type) =>
          z.strictObject({ type: z.literal(type), idempotencyKey: key(), data: ITEM_DATA[type] }),
        ) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
      ),
    )
    .check(z.minLength(1), z.maxLength(1_000)),
});

/** Request bodies, by component name. Described as their input: fields with defaults are optional. */
export const REQUEST_SCHEMAS = {
  BatchRequest: BatchRequestDocSchema,
  SurveyInput: SurveySchema,
  FeedbackPolicyInput: FeedbackPolicySchema,
  TransitionRequest: TransitionBodySchema,
  AllowedOriginsRequest: AllowedOriginsBodySchema,
  WebhookEndpointRequest: EndpointBodySchema,
  RotateRequest: RotateBodySchema,
} as const;

/** Answers, by component name. */
export const ANSWER_SCHEMAS = {
  Error: ErrorSchema,
  Health: HealthSchema,
  BatchResult: BatchResultSchema,
  Survey: SurveySchema,
  SurveyList: SurveyListSchema,
  PublishedSurvey: PublishedSurveySchema,
  StoredFeedbackPolicy: StoredFeedbackPolicySchema,
  Loop: LoopSchema,
  LoopPage: LoopPageSchema,
  ClosureList: ClosureListSchema,
  MetricsReport: MetricsReportSchema,
  AllowedOrigins: AllowedOriginsSchema,
  WebhookEndpoint: WebhookEndpointSchema,
  WebhookEndpointWithSecret: WebhookEndpointWithSecretSchema,
  DeliveryLog: DeliveryLogSchema,
} as const;

/** Schemas named in both: the recursive survey logic condition needs a name to refer to itself. */
export const SHARED_SCHEMAS = { Condition: ConditionSchema } as const;

/** A request body's component name. */
export type RequestComponent = keyof typeof REQUEST_SCHEMAS;
/** An answer's component name. */
export type AnswerComponent = keyof typeof ANSWER_SCHEMAS;
