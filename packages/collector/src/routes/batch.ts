import { authenticatePublicRoute } from "../auth.js";
import { readJsonBody } from "../http/body.js";
import { json } from "../http/errors.js";
import { ingestBatch } from "../ingest/batch.js";
import type { RouteDeps } from "./deps.js";

/** `POST /v1/batch`, public or secret key: `{ accepted, rejected }` per item. */
export async function postBatch(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticatePublicRoute(request, deps.store, deps.allowedOrigins);
  const { value: body, escapes } = await readJsonBody(request, deps.limits.maxBodyBytes);
  const result = await ingestBatch(
    deps.store,
    {
      envId: caller.envId,
      keyKind: caller.kind,
      now: deps.now(),
      maxItems: deps.limits.maxBatchItems,
    },
    body,
    () => deps.secretKeys(caller.envId),
    !escapes,
  );
  return json(result);
}
