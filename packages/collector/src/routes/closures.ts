import { authenticatePublicRoute } from "../auth.js";
import { HttpError, json } from "../http/errors.js";
import { checkRespondentToken } from "../keys.js";
import type { RespondentRef } from "../store/types.js";
import type { RouteDeps } from "./deps.js";

/**
 * `GET /v1/closures`, public key: the closure notices of one respondent —
 * `?respondent=<id>&token=<respondent token>`, or `?anonymousId=<id>` (the browser's random
 * 128-bit id, which is its own proof). A wrong token is 403, checked in constant time.
 */
export async function getClosures(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticatePublicRoute(request, deps.store, deps.allowedOrigins);
  const q = new URL(request.url).searchParams;
  const id = q.get("respondent");
  const anonymousId = q.get("anonymousId");
  let who: RespondentRef;
  if (id !== null) {
    const token = q.get("token") ?? "";
    if (!checkRespondentToken(await deps.secretKeys(caller.envId), id, token)) {
      throw new HttpError(403, "invalid_token", "token is not the respondent token of respondent");
    }
    who = { id };
  } else if (anonymousId !== null && anonymousId.length >= 16 && anonymousId.length <= 128) {
    who = { anonymousId };
  } else {
    throw new HttpError(
      400,
      "invalid_query",
      "Give respondent and token, or an anonymousId of 16–128 characters",
      {
        issues: [
          { path: "respondent", code: "required", message: "respondent+token or anonymousId" },
        ],
      },
    );
  }
  return json({ closures: await deps.store.closures(caller.envId, who) });
}
