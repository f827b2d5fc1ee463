import { DIMENSIONS, TimestampSchema } from "@closeloop/core";
import * as z from "zod/mini";
import { authenticate } from "../auth.js";
import { HttpError, json } from "../http/errors.js";
import { parseRequest } from "../http/parse-request.js";
import type { RouteDeps } from "./deps.js";

/** The query of `GET /v1/metrics`. */
export const MetricsQuerySchema = z.strictObject({
  from: z.optional(TimestampSchema),
  to: z.optional(TimestampSchema),
  groupBy: z.optional(z.enum(DIMENSIONS)),
});

/** The period a query without `from` covers, ending at `to`. */
const DEFAULT_DAYS = 30;

/**
 * `GET /v1/metrics?from&to&groupBy`, secret key: NPS, CSAT, CES, loop health, value at risk and
 * customers at risk for the loops opened in `[from, to)` (default: the 30 days up to now), over
 * all of them and, with `groupBy`, per survey, journey, touchpoint, region or segment; plus the
 * customers gained and lost in the period. Breaches are judged at the earlier of `to` and now.
 */
export async function getMetrics(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const q = parseRequest(MetricsQuerySchema, raw, "metrics query", "invalid_query");
  const now = deps.now();
  const to = q.to ?? now;
  const from = q.from ?? new Date(Date.parse(to) - DEFAULT_DAYS * 86_400_000).toISOString();
  if (Date.parse(from) > Date.parse(to)) {
    throw new HttpError(400, "invalid_query", "from is after to", {
      issues: [{ path: "to", code: "invalid_period", message: "must not be before from" }],
    });
  }
  const asOf = Date.parse(to) < Date.parse(now) ? to : now;
  const report = await deps.store.metrics(caller.envId, {
    from,
    to,
    asOf,
    ...(q.groupBy ? { groupBy: q.groupBy } : {}),
  });
  return json(report);
}
