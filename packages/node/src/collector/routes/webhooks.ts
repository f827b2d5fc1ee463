import { parse, ValidationError } from "@closeloop/core";
import * as z from "zod/mini";
import { WEBHOOK_EVENT_TYPES } from "../../webhooks/events.js";
import { generateWebhookSecret } from "../../webhooks/secret.js";
import { authenticate } from "../auth.js";
import { readJson } from "../http/body.js";
import { HttpError, json } from "../http/errors.js";
import type { RouteDeps } from "./deps.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const EndpointBodySchema = z.strictObject({
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

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new HttpError(400, "invalid_name", "An endpoint name is 1–64 of A–Z a–z 0–9 . _ -", {
      issues: [{ path: "name", code: "invalid_format", message: `must match ${NAME}` }],
    });
  }
}

/**
 * `PUT /v1/webhooks/:name`, secret key: registers the endpoint (201, with its `whsec_` secret,
 * shown this once) or updates its url and events (200, enabled again if a 410 had disabled it).
 */
export async function putWebhook(request: Request, deps: RouteDeps, name: string) {
  const caller = await authenticate(request, deps.store, "secret");
  checkName(name);
  const raw = await readJson(request, deps.limits.maxBodyBytes);
  let body: z.infer<typeof EndpointBodySchema>;
  try {
    body = parse(EndpointBodySchema, raw, "webhook");
  } catch (e) {
    if (e instanceof ValidationError)
      throw new HttpError(400, "invalid_webhook", e.message, { issues: e.issues });
    throw e;
  }
  const secret = generateWebhookSecret();
  const input = body.events
    ? { url: body.url, events: [...new Set(body.events)] }
    : { url: body.url };
  const { endpoint, created } = await deps.store.webhooks.putEndpoint(
    caller.envId,
    name,
    input,
    secret,
    deps.now(),
  );
  const { envId: _env, ...shown } = endpoint;
  return json(created ? { ...shown, secret } : shown, created ? 201 : 200);
}

/** `GET /v1/webhooks/:name/deliveries`, secret key: the delivery log, newest first. */
export async function getDeliveries(request: Request, deps: RouteDeps, name: string) {
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
  const { envId: _env, ...shown } = endpoint;
  return json({
    endpoint: shown,
    deliveries,
    ...(more ? { next: deliveries[deliveries.length - 1]?.id } : {}),
  });
}
