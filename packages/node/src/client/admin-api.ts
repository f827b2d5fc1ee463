import type { DeliveryRecord, WebhookEndpoint, WebhookEventType } from "@closeloop/core";
import { type FeedbackPolicy, type Survey, ValidationError } from "@closeloop/core";
import { type CollectorCall, queryString } from "./http.js";

/** Publishing surveys: the collector refuses a partial loop with 422 and every issue. */
export interface SurveysApi {
  /**
   * `PUT /v1/surveys/:id`: publishes a version (`published: false` when that exact version was
   * already there). Rejects with a `CollectorError` — 422 `partial_loop` with the gate's issues,
   * 409 `version_exists` for other content under a published version.
   *
   * @example await closeloop.surveys.publish(JSON.parse(await readFile("survey.json", "utf8")));
   */
  publish(
    survey: unknown,
  ): Promise<{ survey: Survey; published: boolean; warnings: readonly unknown[] }>;
}

/** The environment's feedback policy: how feedback without a survey is routed. */
export interface FeedbackPolicyApi {
  /** `PUT /v1/feedback-policy`: replaces it; 422 `partial_loop` when a route is incomplete. */
  set(policy: unknown): Promise<{ policy: FeedbackPolicy; warnings: readonly unknown[] }>;
}

/**
 * The origins whose web pages may use the environment's public key (`docs/collector.md`,
 * allowed origins). `["*"]`, the default, is any origin.
 */
export interface AllowedOriginsApi {
  /** `GET /v1/allowed-origins`: the list, `["*"]` when never set. */
  get(): Promise<string[]>;
  /**
   * `PUT /v1/allowed-origins`: replaces the list and answers it as stored. Each entry is an
   * origin as browsers send it (`https://shop.example`, `http://localhost:3000`), or `*` alone;
   * `[]` lets no web page in. Rejects with a `CollectorError` 400 `invalid_origins` naming each
   * bad entry (`origins.1`). Every collector applies it within 5 s.
   *
   * @example await closeloop.allowedOrigins.set(["https://shop.example", "https://www.shop.example"]);
   */
  set(origins: readonly string[]): Promise<string[]>;
}

/** A webhook endpoint as the collector answers it (no environment id). */
export type WebhookEndpointInfo = Omit<WebhookEndpoint, "envId">;

/** Webhook endpoints and their delivery logs. */
export interface WebhooksApi {
  /**
   * `PUT /v1/webhooks/:name`: registers an endpoint and answers its `whsec_` secret — this once;
   * store it. Registering an existing name updates its url and events and answers no secret.
   */
  register(
    name: string,
    endpoint: { url: string; events?: WebhookEventType[] },
  ): Promise<WebhookEndpointInfo & { secret?: string }>;
  /**
   * `POST /v1/webhooks/:name/rotate`: a new secret (answered once); the old one keeps signing
   * beside it for `graceSeconds` (default one day; 0 drops it at once, for a leaked secret).
   */
  rotate(
    name: string,
    options?: { graceSeconds?: number },
  ): Promise<WebhookEndpointInfo & { secret: string }>;
  /** `DELETE /v1/webhooks/:name`: the endpoint, its pending deliveries and its log. */
  remove(name: string): Promise<void>;
  /** `GET /v1/webhooks/:name/deliveries`: the delivery log, newest first, by cursor. */
  deliveries(
    name: string,
    page?: { limit?: number; cursor?: string },
  ): Promise<{ endpoint: WebhookEndpointInfo; deliveries: DeliveryRecord[]; next?: string }>;
}

const path = (name: string) => `/v1/webhooks/${encodeURIComponent(name)}`;

/** The setup calls a backend makes with the secret key, so it needs no raw HTTP. */
export function adminApi(call: CollectorCall): {
  surveys: SurveysApi;
  feedbackPolicy: FeedbackPolicyApi;
  allowedOrigins: AllowedOriginsApi;
  webhooks: WebhooksApi;
} {
  return {
    surveys: {
      async publish(survey) {
        const id = (survey as { id?: unknown } | null)?.id;
        if (typeof id !== "string" || id === "") {
          throw new ValidationError("survey", [
            { path: "id", code: "required", message: "must name the survey" },
          ]);
        }
        // The path names the survey; the collector checks the body's id against it.
        return call("PUT", `/v1/surveys/${encodeURIComponent(id)}`, survey);
      },
    },
    feedbackPolicy: { set: (policy) => call("PUT", "/v1/feedback-policy", policy) },
    allowedOrigins: {
      get: async () => (await call<{ origins: string[] }>("GET", "/v1/allowed-origins")).origins,
      set: async (origins) =>
        (await call<{ origins: string[] }>("PUT", "/v1/allowed-origins", { origins })).origins,
    },
    webhooks: {
      // Not retried: the secret is answered only when the endpoint is created, so a retry after
      // a lost answer would succeed without it.
      register: (name, endpoint) => call("PUT", path(name), endpoint, { once: true }),
      rotate: (name, options = {}) => call("POST", `${path(name)}/rotate`, options),
      remove: async (name) => {
        await call("DELETE", path(name));
      },
      deliveries: (name, page = {}) => call("GET", `${path(name)}/deliveries${queryString(page)}`),
    },
  };
}
