import type { WebhookEndpoint } from "@closeloop/core";
import { WEBHOOK_EVENT_TYPES } from "@closeloop/core";
import { generateWebhookSecret } from "@closeloop/node";
import * as z from "zod/mini";
import { authenticate } from "../auth.js";
import { readJson } from "../http/body.js";
import { HttpError, json } from "../http/errors.js";
import { parseRequest } from "../http/parse-request.js";
import type { RouteDeps } from "./deps.js";

/** What an endpoint's name may be. */
export const WEBHOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** How long a rotated-out secret still signs deliveries, unless the request says otherwise. */
const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;
/** The longest grace a rotation may ask for (7 days). */
const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

/** Body of `PUT /v1/webhooks/:name`. */
export const EndpointBodySchema = z.strictObject({
  url: z.string().check(
    z.maxLength(2048),
    z.refine((u) => {
      try {
        const p = new URL(u).protocol;
        return p === "https:" || p === "http:";
      } catch {
        return false;
      }
    }, "must be an http(s) URL"),
  ),
  events: z.optional(z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1))),
});

/** Body of `POST /v1/webhooks/:name/rotate` (optional). */
export const RotateBodySchema = z.strictObject({
  graceSeconds: z.optional(z.number().check(z.int(), z.gte(0), z.lte(MAX_ROTATION_GRACE_SECONDS))),
});

/** The endpoint as answered: no environment id, no rotation deadline once it has passed. */
function shown(endpoint: WebhookEndpoint, now: string) {
  const { envId: _env, ...rest } = endpoint;
  if (rest.previousSecretExpiresAt && Date.parse(rest.previousSecretExpiresAt) <= Date.parse(now)) {
    delete rest.previousSecretExpiresAt;
  }
  return rest;
}

function checkName(name: string): void {
  if (!WEBHOOK_NAME.test(name)) {
    throw new HttpError(400, "invalid_name", "An endpoint name is 1–64 of A–Z a–z 0–9 . _ -", {
      issues: [{ path: "name", code: "invalid_format", message: `must match ${WEBHOOK_NAME}` }],
    });
  }
}

/**
 * `PUT /v1/webhooks/:name`, secret key: registers the endpoint (201, with its `whsec_` secret,
 * shown this once) or updates its url and events (200, enabled again if a 410 had disabled it).
 */
export async function putWebhook(
  request: Request,
  deps: RouteDeps,
  name: string,
): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  checkName(name);
  const raw = await readJson(request, deps.limits.maxBodyBytes);
  const body = parseRequest(EndpointBodySchema, raw, "webhook", "invalid_webhook");
  const secret = generateWebhookSecret();
  const input = body.events
    ? { url: body.url, events: [...new Set(body.events)] }
    : { url: body.url };
  const now = deps.now();
  const { endpoint, created } = await deps.store.webhooks.putEndpoint(
    caller.envId,
    name,
    input,
    secret,
    now,
  );
  const answer = shown(endpoint, now);
  return json(created ? { ...answer, secret } : answer, created ? 201 : 200);
}

/**
 * `POST /v1/webhooks/:name/rotate`, secret key, body optional (`{ graceSeconds? }`, default a
 * day): gives the endpoint a new secret, answered this once. Until the grace ends every attempt
 * is signed with the new and the old secret, so receivers switch without dropping a delivery;
 * `graceSeconds: 0` drops the old secret at once (it leaked).
 */
export async function rotateWebhook(
  request: Request,
  deps: RouteDeps,
  name: string,
): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  checkName(name);
  // An empty body is the default rotation.
  const raw = request.body ? await readJson(request, deps.limits.maxBodyBytes) : {};
  const body = parseRequest(RotateBodySchema, raw, "rotation", "invalid_rotation");
  const now = deps.now();
  const grace = body.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  const until = grace > 0 ? new Date(Date.parse(now) + grace * 1000).toISOString() : undefined;
  const secret = generateWebhookSecret();
  const endpoint = await deps.store.webhooks.rotateSecret(caller.envId, name, secret, until, now);
  if (!endpoint) throw new HttpError(404, "not_found", `No webhook endpoint ${name}`);
  return json({ ...shown(endpoint, now), secret });
}

/**
 * `DELETE /v1/webhooks/:name`, secret key: 204. The endpoint and its whole delivery log go;
 * pending deliveries are never sent (an attempt already in flight may still arrive).
 */
export async function deleteWebhook(
  request: Request,
  deps: RouteDeps,
  name: string,
): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  checkName(name);
  if (!(await deps.store.webhooks.deleteEndpoint(caller.envId, name))) {
    throw new HttpError(404, "not_found", `No webhook endpoint ${name}`);
  }
  return new Response(null, { status: 204 });
}

/** `GET /v1/webhooks/:name/deliveries`, secret key: the delivery log, newest first. */
export async function getDeliveries(
  request: Request,
  deps: RouteDeps,
  name: string,
): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  checkName(name);
  const q = new URL(request.url).searchParams;
  const limit = Number(q.get("limit") ?? "50");
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new HttpError(400, "invalid_query", "Invalid query", {
      issues: [
        { path: "limit", code: "out_of_range", message: "must be an integer from 1 to 500" },
      ],
    });
  }
  const endpoint = await deps.store.webhooks.getEndpoint(caller.envId, name);
  if (!endpoint) throw new HttpError(404, "not_found", `No webhook endpoint ${name}`);
  const before = q.get("cursor");
  const deliveries = await deps.store.webhooks.deliveries(
    caller.envId,
    name,
    before ? { before, limit: limit + 1 } : { limit: limit + 1 },
  );
  const more = deliveries.length > limit;
  if (more) deliveries.length = limit;
  return json({
    endpoint: shown(endpoint, deps.now()),
    deliveries,
    ...(more ? { next: deliveries[deliveries.length - 1]?.id } : {}),
  });
}
