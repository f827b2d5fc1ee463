import { ValidationError } from "@closeloop/core";
import * as z from "zod/mini";
import { ANY_ORIGIN, parseAllowedOrigins } from "../allowed-origins.js";
import { authenticate } from "../auth.js";
import { readJson } from "../http/body.js";
import { HttpError, json } from "../http/errors.js";
import { parseRequest } from "../http/parse-request.js";
import type { RouteDeps } from "./deps.js";

/** Body of `PUT /v1/allowed-origins`. */
export const AllowedOriginsBodySchema = z.strictObject({ origins: z.array(z.string()) });

/**
 * `GET /v1/allowed-origins`, secret key: `{ origins }`, the origins whose web pages may use this
 * environment's public key (`["*"]`: any, the default).
 */
export async function getAllowedOrigins(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const origins = await deps.store.getAllowedOrigins(caller.envId);
  return json({ origins: origins ?? [ANY_ORIGIN] });
}

/**
 * `PUT /v1/allowed-origins`, secret key, `{ origins: ["https://shop.example", …] }`: replaces the
 * list (`["*"]`: any origin; `[]`: no web page at all). 400 `invalid_origins` names each bad
 * entry by index. Other collectors sharing the store apply it within 5 s.
 */
export async function putAllowedOrigins(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const raw = await readJson(request, deps.limits.maxBodyBytes);
  const body = parseRequest(AllowedOriginsBodySchema, raw, "allowed origins", "invalid_origins");
  let origins: string[];
  try {
    origins = parseAllowedOrigins(body.origins, "origins");
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new HttpError(400, "invalid_origins", e.message, { issues: e.issues });
    }
    throw e;
  }
  await deps.store.setAllowedOrigins(caller.envId, origins, deps.now());
  deps.forgetAllowedOrigins(caller.envId);
  return json({ origins });
}
