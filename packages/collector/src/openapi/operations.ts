// What each route of the HTTP API takes and answers, as data the OpenAPI document is built from
// (`document.ts`). The route handlers stay the truth: test/openapi.test.ts holds this list equal
// to the router's, and test/openapi-contract.test.ts checks real answers against it.
import { DIMENSIONS, LOOP_STATES } from "@closeloop/core";
import * as z from "zod/mini";
import { MetricsQuerySchema } from "../routes/metrics.js";
import { WEBHOOK_NAME } from "../routes/webhooks.js";
import type { AnswerComponent, RequestComponent } from "./components.js";

/** Which key a route needs (`docs/collector.md`, keys). */
export type KeyNeed = "none" | "public" | "secret";

/** One error a route may answer: status, stable `code`, and when. */
export interface ErrorCase {
  status: number;
  code: string;
  when: string;
}

/** A path or query parameter. */
export interface Parameter {
  name: string;
  in: "path" | "query";
  description: string;
  schema: z.core.$ZodType;
  required?: boolean;
}

/** A success answer: its status, what it means, and its body's component (none: no body). */
export interface Answer {
  status: number;
  description: string;
  body?: AnswerComponent;
  headers?: Record<string, string>;
}

/** One route of the API. */
export interface Operation {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** As the router writes it: `/v1/loops/:id`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  key: KeyNeed;
  parameters?: Parameter[];
  body?: { component: RequestComponent; required: boolean };
  answers: Answer[];
  /** The route's own errors; those every keyed route or body shares are added by `document.ts`. */
  errors: ErrorCase[];
  /** A request that works against a collector set up as `docs/http-api.md` says (its curl example). */
  example: { path?: Record<string, string>; query?: Record<string, string>; body?: unknown };
}

const limitParam = (what: string): Parameter => ({
  name: "limit",
  in: "query",
  description: `Most ${what} in one page, 1–500 (default 50).`,
  schema: z.number().check(z.int(), z.gte(1), z.lte(500)),
});

const cursorParam = (what: string): Parameter => ({
  name: "cursor",
  in: "query",
  description: `The \`next\` of the previous page: ${what}.`,
  schema: z.string(),
});

const webhookName: Parameter = {
  name: "name",
  in: "path",
  description:
    "The endpoint's name, chosen by you: 1–64 of A–Z a–z 0–9 . _ -, starting with a letter or digit.",
  schema: z.string().check(z.regex(WEBHOOK_NAME)),
  required: true,
};

const invalidName: ErrorCase = {
  status: 400,
  code: "invalid_name",
  when: "The endpoint name is not 1–64 of A–Z a–z 0–9 . _ -.",
};
const noEndpoint: ErrorCase = {
  status: 404,
  code: "not_found",
  when: "No endpoint has that name.",
};

/** The example survey of the curl examples: an NPS question whose detractors get a follow-up. */
const EXAMPLE_SURVEY = {
  id: "onboarding-nps",
  version: 1,
  name: "Onboarding NPS",
  locales: ["en"],
  questions: [
    {
      id: "score",
      type: "nps",
      required: true,
      text: { en: "How likely are you to recommend us?" },
    },
  ],
  loop: {
    routes: {
      detractor: {
        action: "follow-up",
        owner: "support",
        acknowledgeWithin: "4h",
        closeWithin: "48h",
        acknowledge: {
          message: { en: "Sorry we let you down; we will contact you within two days." },
        },
      },
      passive: {
        action: "none",
        acknowledge: { message: { en: "Thank you, we read every answer." } },
      },
      promoter: {
        action: "none",
        acknowledge: { message: { en: "Thank you! Glad we got it right." } },
      },
    },
  },
};

/** Every route of the HTTP API, in the order `docs/http-api.md` shows them. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: "GET",
    path: "/healthz",
    operationId: "health",
    tag: "Operations",
    summary: "Is the collector up and its store reachable",
    description:
      "For load balancers and orchestrators: 200 when the store answered, 503 (with the store's error) when it did not. No key.",
    key: "none",
    answers: [
      { status: 200, description: "The store answered.", body: "Health" },
      { status: 503, description: "The store did not answer; `error` says why.", body: "Health" },
    ],
    errors: [],
    example: {},
  },
  {
    method: "GET",
    path: "/v1/openapi.json",
    operationId: "openapi",
    tag: "Operations",
    summary: "This document",
    description:
      "The OpenAPI 3.1 document of this collector's HTTP API, for generating a client in any language. No key: it describes the API's shape, the same for every collector of this version, and holds nothing of any environment. Any web page may read it (`access-control-allow-origin: *`), so API tools on other origins can load it.",
    key: "none",
    answers: [{ status: 200, description: "The OpenAPI document (JSON)." }],
    errors: [],
    example: {},
  },
  {
    method: "POST",
    path: "/v1/batch",
    operationId: "ingestBatch",
    tag: "Ingest",
    summary: "Send responses, feedback, seen notices and customer events",
    description: [
      "Up to 1,000 items in one transaction, each accepted or rejected on its own. Every item carries an `idempotencyKey`: a replayed key is accepted again with the first item's id and `duplicate: true`, so a client retries a whole batch safely. A rejected item is listed in `rejected` with its index, a `code` and every issue; the others are still taken.",
      "",
      "Item types: `response` (a survey response; a finished one opens a loop for its segment), `feedback` (a ticket, review or the browser's feedback form; needs a feedback policy), `ack-seen` (the respondent saw the acknowledgement), `closure-seen` (the respondent saw a closure notice; closes the loop in-app), `customer` (a customer gained or lost).",
      "",
      "A signed-in respondent's `respondent.id` needs its respondent token (`token`) when sent with the public key; an anonymous respondent is an `anonymousId` of 16–128 characters.",
      "",
      "Codes an item may be rejected with: `invalid` (the data does not fit its type; issues name each field), `unknown_survey` (no such survey version is published), `conflict` (the response id belongs to another survey version), `invalid_token` (the respondent token is wrong), `no_feedback_policy`, `unknown_response` (no loop for that response, `ack-seen`), `unknown_notice` (`closure-seen`), `incomplete` (a finished response without the required scoring answer), `invalid_answer` (an answer does not fit its question), `loop_transition_invalid` (the loop cannot take that move now), `secret_key_required` (a `customer` event sent with the public key: customer events come from a backend) and `idempotency_conflict` (the `idempotencyKey` was used before for another item: a retry must resend the very item).",
    ].join("\n"),
    key: "public",
    body: { component: "BatchRequest", required: true },
    answers: [
      {
        status: 200,
        description: "Each item accepted (with its id) or rejected (with its issues).",
        body: "BatchResult",
      },
    ],
    errors: [
      {
        status: 400,
        code: "invalid_batch",
        when: "The envelope is wrong: no `items`, an item without `type` or `idempotencyKey`, an unknown type.",
      },
      {
        status: 413,
        code: "batch_too_large",
        when: "More items than the collector takes in one batch (1,000 by default): split it.",
      },
    ],
    example: {
      body: {
        items: [
          {
            type: "response",
            idempotencyKey: "response:0193a5b0-7c1e-7d2a-9f3b-6c4d5e6f7a8b",
            data: {
              id: "0193a5b0-7c1e-7d2a-9f3b-6c4d5e6f7a8b",
              surveyId: "onboarding-nps",
              surveyVersion: 1,
              respondent: { anonymousId: "3f0c1d2e4b5a69788796a5b4c3d2e1f0" },
              answers: { score: 3 },
              finished: true,
              locale: "en",
              createdAt: "2026-11-23T10:00:00.000Z",
            },
          },
        ],
      },
    },
  },
  {
    method: "GET",
    path: "/v1/surveys",
    operationId: "listSurveys",
    tag: "Surveys",
    summary: "The active version of each survey",
    description:
      "What the browser SDK fetches to know which surveys to show. Answers an `ETag`; send it back as `If-None-Match` and an unchanged list is a 304 without a body.",
    key: "public",
    answers: [
      {
        status: 200,
        description:
          "The surveys, each as stored (defaults filled in), and the widget's words by language (`strings`).",
        body: "SurveyList",
        headers: { etag: "The list's version, for `If-None-Match`." },
      },
      { status: 304, description: "Unchanged since the `If-None-Match` ETag." },
    ],
    errors: [],
    example: {},
  },
  {
    method: "PUT",
    path: "/v1/surveys/:id",
    operationId: "publishSurvey",
    tag: "Surveys",
    summary: "Publish a survey version",
    description:
      "Publishes a version through the no-partial-loop gate: every segment the survey can produce needs a route, every follow-up an owner and `closeWithin`, every message every locale. 201 when published; 200 when this exact version was already published (a replay). Versions are immutable: publish changes as a new `version`.",
    key: "secret",
    parameters: [
      {
        name: "id",
        in: "path",
        description: "The survey's id; the body's `id` must be the same.",
        schema: z.string(),
        required: true,
      },
    ],
    body: { component: "SurveyInput", required: true },
    answers: [
      { status: 201, description: "Published.", body: "PublishedSurvey" },
      {
        status: 200,
        description: "This version was already published with the same content.",
        body: "PublishedSurvey",
      },
    ],
    errors: [
      {
        status: 422,
        code: "partial_loop",
        when: "The survey is not publishable: `issues` lists every gap (or a field that does not fit the schema).",
      },
      { status: 422, code: "id_mismatch", when: "The body's `id` is not the path's." },
      {
        status: 409,
        code: "version_exists",
        when: "This version was published with other content: publish a new version.",
      },
    ],
    example: { path: { id: "onboarding-nps" }, body: EXAMPLE_SURVEY },
  },
  {
    method: "PUT",
    path: "/v1/feedback-policy",
    operationId: "putFeedbackPolicy",
    tag: "Surveys",
    summary: "Set how feedback without a survey is routed",
    description:
      "Replaces the environment's feedback policy, under the same gate as surveys: every declared channel and the catch-all `*` need a route. Without a policy, `feedback` items are rejected (`no_feedback_policy`).",
    key: "secret",
    body: { component: "FeedbackPolicyInput", required: true },
    answers: [{ status: 200, description: "The policy as stored.", body: "StoredFeedbackPolicy" }],
    errors: [
      {
        status: 422,
        code: "partial_loop",
        when: "The policy is not complete: `issues` lists every gap.",
      },
    ],
    example: {
      body: {
        locales: ["en"],
        channels: ["support"],
        routes: {
          support: {
            action: "follow-up",
            owner: "support",
            acknowledgeWithin: "4h",
            closeWithin: "48h",
            acknowledge: {
              message: { en: "Sorry about this; we will get back to you within two days." },
            },
          },
          "*": {
            action: "follow-up",
            owner: "cx",
            closeWithin: "7d",
            acknowledge: { message: { en: "Thank you; we read everything." } },
          },
        },
      },
    },
  },
  {
    method: "GET",
    path: "/v1/loops",
    operationId: "listLoops",
    tag: "Loops",
    summary: "Find loops",
    description: "Loops, newest first, filtered; a page at a time (follow `next` as `cursor`).",
    key: "secret",
    parameters: [
      {
        name: "state",
        in: "query",
        description: `One state, or several separated by commas: ${LOOP_STATES.join(", ")}.`,
        schema: z.string(),
      },
      {
        name: "breached",
        in: "query",
        description: "`true`: only loops that missed a deadline; `false`: only those that did not.",
        schema: z.enum(["true", "false"]),
      },
      { name: "owner", in: "query", description: "The owner's id.", schema: z.string() },
      { name: "survey", in: "query", description: "The survey's id.", schema: z.string() },
      { name: "journey", in: "query", description: "The journey's id.", schema: z.string() },
      limitParam("loops"),
      cursorParam("the page after it"),
    ],
    answers: [{ status: 200, description: "One page of loops.", body: "LoopPage" }],
    errors: [
      {
        status: 400,
        code: "invalid_query",
        when: "An unknown state, a `breached` that is not true or false, a `limit` out of range.",
      },
    ],
    example: { query: { state: "received,acknowledged", breached: "true", limit: "20" } },
  },
  {
    method: "GET",
    path: "/v1/loops/:id",
    operationId: "getLoop",
    tag: "Loops",
    summary: "One loop with its whole history",
    description: "The loop, its route, customer and every move it made (`events`).",
    key: "secret",
    parameters: [
      { name: "id", in: "path", description: "The loop's id.", schema: z.string(), required: true },
    ],
    answers: [{ status: 200, description: "The loop.", body: "Loop" }],
    errors: [{ status: 404, code: "not_found", when: "No loop has that id." }],
    example: { path: { id: "0193a5b0-7c1f-7e2a-8b3c-4d5e6f708192" } },
  },
  {
    method: "POST",
    path: "/v1/loops/:id/transitions",
    operationId: "moveLoop",
    tag: "Loops",
    summary: "Move a loop: acknowledge, assign, resolve, close, reopen",
    description:
      "Moves the loop by the state machine's rules (`docs/concepts.md`, the loop). Assigning needs an `owner`; closing needs `informedVia` (how the customer was told: `in-app`, `email`, `call`, `sms`, `chat`, `meeting` or `webhook:<name>`). Resolving with a `message` leaves a closure notice for the respondent, which the browser shows them; their seeing it closes the loop in-app.",
    key: "secret",
    parameters: [
      { name: "id", in: "path", description: "The loop's id.", schema: z.string(), required: true },
    ],
    body: { component: "TransitionRequest", required: true },
    answers: [{ status: 200, description: "The loop after the move.", body: "Loop" }],
    errors: [
      {
        status: 400,
        code: "invalid_transition",
        when: "The body does not fit (issues name each field), or an option is wrong for the move.",
      },
      { status: 404, code: "not_found", when: "No loop has that id." },
      {
        status: 409,
        code: "illegal_transition",
        when: "The loop's state does not allow that move (e.g. closing a loop that is closed).",
      },
      {
        status: 409,
        code: "missing_owner",
        when: "Assigning without an `owner` when the loop and its route name none.",
      },
      { status: 409, code: "missing_informed_via", when: "Closing without `informedVia`." },
      {
        status: 409,
        code: "missing_message",
        when: "Closing without a `message`, given now or when the loop was resolved.",
      },
      {
        status: 409,
        code: "out_of_order",
        when: "The loop's last move is later than now (the clocks of collectors sharing a store disagree).",
      },
    ],
    example: {
      path: { id: "0193a5b0-7c1f-7e2a-8b3c-4d5e6f708192" },
      // The first move of a new loop; then `assigned` (with `owner`), `resolved` (with the
      // `message` the customer is shown) and `closed`.
      body: { to: "acknowledged", actor: "agent:ana", note: "Called the customer back." },
    },
  },
  {
    method: "GET",
    path: "/v1/closures",
    operationId: "listClosures",
    tag: "Loops",
    summary: "A respondent's closure notices",
    description:
      "What the browser fetches on a respondent's next visit: the notices of their resolved loops. Give `respondent` and its respondent `token` (HMAC of the id with a secret key, made by your backend), or the browser's `anonymousId`.",
    key: "public",
    parameters: [
      {
        name: "respondent",
        in: "query",
        description: "A signed-in respondent's id (with `token`).",
        schema: z.string(),
      },
      {
        name: "token",
        in: "query",
        description: "The respondent token of `respondent`.",
        schema: z.string(),
      },
      {
        name: "anonymousId",
        in: "query",
        description: "An anonymous respondent's id, 16–128 characters (instead of `respondent`).",
        schema: z.string().check(z.minLength(16), z.maxLength(128)),
      },
    ],
    answers: [{ status: 200, description: "The notices.", body: "ClosureList" }],
    errors: [
      {
        status: 400,
        code: "invalid_query",
        when: "Neither `respondent` nor an `anonymousId` of 16–128 characters.",
      },
      {
        status: 403,
        code: "invalid_token",
        when: "`token` is not the respondent token of `respondent`.",
      },
    ],
    example: { query: { anonymousId: "3f0c1d2e4b5a69788796a5b4c3d2e1f0" } },
  },
  {
    method: "GET",
    path: "/v1/metrics",
    operationId: "getMetrics",
    tag: "Metrics",
    summary: "NPS, CSAT, CES, loop health and value at risk for a period",
    description: `The metrics of the loops opened in \`[from, to)\` (default: the 30 days up to now), over all of them and, with \`groupBy\`, per ${DIMENSIONS.join(", ")}; plus the customers gained and lost. Breaches are judged at the earlier of \`to\` and now. Formulas: \`docs/metrics.md\`.`,
    key: "secret",
    parameters: [
      {
        name: "from",
        in: "query",
        description: "Start of the period, inclusive (ISO-8601 with an offset).",
        schema: MetricsQuerySchema.def.shape.from,
      },
      {
        name: "to",
        in: "query",
        description: "End of the period, exclusive (default: now).",
        schema: MetricsQuerySchema.def.shape.to,
      },
      {
        name: "groupBy",
        in: "query",
        description: "A dimension to group by.",
        schema: MetricsQuerySchema.def.shape.groupBy,
      },
    ],
    answers: [{ status: 200, description: "The report.", body: "MetricsReport" }],
    errors: [
      {
        status: 400,
        code: "invalid_query",
        when: "A `from`/`to` that is not ISO-8601, `from` after `to`, an unknown `groupBy` or parameter.",
      },
    ],
    example: {
      query: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", groupBy: "survey" },
    },
  },
  {
    method: "GET",
    path: "/v1/allowed-origins",
    operationId: "getAllowedOrigins",
    tag: "Settings",
    summary: "Which web pages may use the public key",
    description:
      'The origins whose pages may call the public-key routes (`["*"]`: any, the default). A request without `Origin` (a server\'s) is not restricted.',
    key: "secret",
    answers: [{ status: 200, description: "The list.", body: "AllowedOrigins" }],
    errors: [],
    example: {},
  },
  {
    method: "PUT",
    path: "/v1/allowed-origins",
    operationId: "putAllowedOrigins",
    tag: "Settings",
    summary: "Set which web pages may use the public key",
    description:
      'Replaces the list: origins like `https://shop.example` (scheme, host, port; no path), `["*"]` for any, `[]` for no web page at all. Other collectors sharing the store apply it within 5 s.',
    key: "secret",
    body: { component: "AllowedOriginsRequest", required: true },
    answers: [{ status: 200, description: "The list as stored.", body: "AllowedOrigins" }],
    errors: [
      {
        status: 400,
        code: "invalid_origins",
        when: "An entry is not an origin: `issues` names each by index.",
      },
    ],
    example: { body: { origins: ["https://shop.example"] } },
  },
  {
    method: "PUT",
    path: "/v1/webhooks/:name",
    operationId: "putWebhook",
    tag: "Webhooks",
    summary: "Register or update a webhook endpoint",
    description:
      "201 with the endpoint's `whsec_` signing secret, shown this once, when the name is new; 200 when it updates the url and events (and enables the endpoint again if a 410 had disabled it). Deliveries are signed as `docs/webhooks.md` describes.",
    key: "secret",
    parameters: [webhookName],
    body: { component: "WebhookEndpointRequest", required: true },
    answers: [
      {
        status: 201,
        description: "Registered; `secret` is shown this once.",
        body: "WebhookEndpointWithSecret",
      },
      { status: 200, description: "Updated.", body: "WebhookEndpoint" },
    ],
    errors: [
      invalidName,
      {
        status: 400,
        code: "invalid_webhook",
        when: "The url is not http(s), or an event type is unknown.",
      },
    ],
    example: {
      path: { name: "crm" },
      body: {
        url: "https://crm.example/hooks/closeloop",
        events: ["loop.breached", "loop.closed"],
      },
    },
  },
  {
    method: "DELETE",
    path: "/v1/webhooks/:name",
    operationId: "deleteWebhook",
    tag: "Webhooks",
    summary: "Remove a webhook endpoint",
    description:
      "The endpoint and its delivery log go; pending deliveries are never sent (an attempt already in flight may still arrive).",
    key: "secret",
    parameters: [webhookName],
    answers: [{ status: 204, description: "Removed." }],
    errors: [invalidName, noEndpoint],
    example: { path: { name: "crm" } },
  },
  {
    method: "POST",
    path: "/v1/webhooks/:name/rotate",
    operationId: "rotateWebhook",
    tag: "Webhooks",
    summary: "Give a webhook endpoint a new secret",
    description:
      "The new secret is answered this once. Until the grace ends (`graceSeconds`, default a day, at most 7 days) every attempt is signed with the new and the old secret, so receivers switch without dropping a delivery; `graceSeconds: 0` drops the old one at once (it leaked). The body is optional.",
    key: "secret",
    parameters: [webhookName],
    body: { component: "RotateRequest", required: false },
    answers: [
      {
        status: 200,
        description: "Rotated; `secret` is shown this once.",
        body: "WebhookEndpointWithSecret",
      },
    ],
    errors: [
      invalidName,
      noEndpoint,
      { status: 400, code: "invalid_rotation", when: "`graceSeconds` is not 0–604800." },
    ],
    example: { path: { name: "crm" }, body: { graceSeconds: 3600 } },
  },
  {
    method: "GET",
    path: "/v1/webhooks/:name/deliveries",
    operationId: "listDeliveries",
    tag: "Webhooks",
    summary: "A webhook endpoint's delivery log",
    description:
      "Newest first, each with its attempts and the exact body sent; a page at a time (follow `next` as `cursor`).",
    key: "secret",
    parameters: [
      webhookName,
      limitParam("deliveries"),
      cursorParam("the deliveries older than it"),
    ],
    answers: [
      { status: 200, description: "The endpoint and one page of its log.", body: "DeliveryLog" },
    ],
    errors: [
      invalidName,
      noEndpoint,
      { status: 400, code: "invalid_query", when: "`limit` is not an integer from 1 to 500." },
    ],
    example: { path: { name: "crm" }, query: { limit: "20" } },
  },
];
