import { json } from "../http/errors.js";
import { createRouter } from "../http/router.js";
import { getAllowedOrigins, putAllowedOrigins } from "./allowed-origins.js";
import { postBatch } from "./batch.js";
import { getClosures } from "./closures.js";
import type { RouteDeps } from "./deps.js";
import { getLoop, listLoops, postTransition } from "./loops.js";
import { getMetrics } from "./metrics.js";
import { getOpenApi } from "./openapi.js";
import { getSurveys, putFeedbackPolicy, putSurvey } from "./surveys.js";
import { deleteWebhook, getDeliveries, putWebhook, rotateWebhook } from "./webhooks.js";

/**
 * Every route of the HTTP API (the desk, an app of its own, is not one). The OpenAPI document
 * (`openapi/operations.ts`) describes each; test/openapi.test.ts holds the two lists equal.
 */
export function createApiRouter(deps: RouteDeps) {
  const { store } = deps;
  const router = createRouter();
  router.add("GET", "/healthz", async () => {
    try {
      await store.ping();
      return json({ ok: true, store: store.kind });
    } catch (e) {
      return json({ ok: false, store: store.kind, error: String((e as Error)?.message ?? e) }, 503);
    }
  });
  router.add("GET", "/v1/openapi.json", (r) => getOpenApi(r));
  router.add("POST", "/v1/batch", (r) => postBatch(r, deps));
  router.add("GET", "/v1/surveys", (r) => getSurveys(r, deps));
  router.add("PUT", "/v1/surveys/:id", (r, p) => putSurvey(r, deps, p.id as string));
  router.add("PUT", "/v1/feedback-policy", (r) => putFeedbackPolicy(r, deps));
  router.add("GET", "/v1/loops", (r) => listLoops(r, deps));
  router.add("GET", "/v1/loops/:id", (r, p) => getLoop(r, deps, p.id as string));
  router.add("POST", "/v1/loops/:id/transitions", (r, p) =>
    postTransition(r, deps, p.id as string),
  );
  router.add("GET", "/v1/closures", (r) => getClosures(r, deps));
  router.add("GET", "/v1/metrics", (r) => getMetrics(r, deps));
  router.add("GET", "/v1/allowed-origins", (r) => getAllowedOrigins(r, deps));
  router.add("PUT", "/v1/allowed-origins", (r) => putAllowedOrigins(r, deps));
  router.add("PUT", "/v1/webhooks/:name", (r, p) => putWebhook(r, deps, p.name as string));
  router.add("DELETE", "/v1/webhooks/:name", (r, p) => deleteWebhook(r, deps, p.name as string));
  router.add("POST", "/v1/webhooks/:name/rotate", (r, p) =>
    rotateWebhook(r, deps, p.name as string),
  );
  router.add("GET", "/v1/webhooks/:name/deliveries", (r, p) =>
    getDeliveries(r, deps, p.name as string),
  );
  return router;
}
