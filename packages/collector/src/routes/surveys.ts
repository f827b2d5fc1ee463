import { createHash } from "node:crypto";
import {
  checkSurvey,
  defineFeedbackPolicy,
  SurveyDefinitionError,
  WIDGET_TRANSLATIONS,
} from "@closeloop/core";
import { authenticate, authenticatePublicRoute } from "../auth.js";
import { readJson } from "../http/body.js";
import { HttpError, json } from "../http/errors.js";
import type { RouteDeps } from "./deps.js";

/**
 * `GET /v1/surveys`, public key: the active version of each survey, and the widget's words in
 * the languages the collector knows (`strings`, so the browser SDK carries English only), with
 * an ETag.
 */
export async function getSurveys(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticatePublicRoute(request, deps.store, deps.allowedOrigins);
  const surveys = await deps.store.activeSurveys(caller.envId);
  const body = JSON.stringify({ surveys, strings: WIDGET_TRANSLATIONS });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = { etag, "cache-control": "no-cache" };
  if (request.headers.get("if-none-match") === etag)
    return new Response(null, { status: 304, headers });
  return new Response(body, {
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * `PUT /v1/surveys/:id`, secret key: publishes a version. A partial loop — any gap the gate
 * finds — is refused with 422 and every issue; a different survey under an existing version
 * with 409 (versions are immutable).
 */
export async function putSurvey(request: Request, deps: RouteDeps, id: string): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const body = await readJson(request, deps.limits.maxBodyBytes);
  const check = checkSurvey(body);
  if (!check.ok || !check.survey) {
    throw new HttpError(
      422,
      "partial_loop",
      "The survey is not publishable: every segment needs a complete route",
      {
        issues: check.issues,
      },
    );
  }
  const survey = check.survey;
  if (survey.id !== id) {
    throw new HttpError(
      422,
      "id_mismatch",
      `The body's id "${survey.id}" is not the path's "${id}"`,
      {
        issues: [{ path: "id", code: "id_mismatch", message: `must be "${id}"` }],
      },
    );
  }
  const outcome = await deps.store.publishSurvey(caller.envId, survey, deps.now());
  if (outcome === "conflict") {
    throw new HttpError(
      409,
      "version_exists",
      `Version ${survey.version} of "${id}" was published with other content; publish a new version`,
    );
  }
  return json(
    { survey, published: outcome === "published", warnings: check.warnings },
    outcome === "published" ? 201 : 200,
  );
}

/** `PUT /v1/feedback-policy`, secret key: how feedback without a survey is routed (same gate). */
export async function putFeedbackPolicy(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const body = await readJson(request, deps.limits.maxBodyBytes);
  try {
    const { warnings, ...policy } = defineFeedbackPolicy(body as never);
    await deps.store.setFeedbackPolicy(caller.envId, policy, deps.now());
    return json({ policy, warnings });
  } catch (e) {
    if (e instanceof SurveyDefinitionError) {
      throw new HttpError(422, "partial_loop", "The feedback policy is not complete", {
        issues: e.issues,
      });
    }
    throw e;
  }
}
