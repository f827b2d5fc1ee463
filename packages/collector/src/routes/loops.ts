import { LOOP_STATES, type LoopState } from "@closeloop/core";
import * as z from "zod/mini";
import { authenticate } from "../auth.js";
import { readJson } from "../http/body.js";
import { HttpError, json } from "../http/errors.js";
import { parseRequest } from "../http/parse-request.js";
import { moveLoop } from "../loops/move.js";
import type { LoopFilter } from "../store/types.js";
import type { RouteDeps } from "./deps.js";

/** Body of `POST /v1/loops/:id/transitions`. */
export const TransitionBodySchema = z.strictObject({
  to: z.enum(LOOP_STATES),
  actor: z.string().check(z.minLength(1), z.maxLength(256)),
  note: z.optional(z.string().check(z.maxLength(10_000))),
  message: z.optional(z.string().check(z.maxLength(10_000))),
  informedVia: z.optional(z.string().check(z.maxLength(80))),
  owner: z.optional(z.string().check(z.maxLength(128))),
});

/**
 * `GET /v1/loops`, secret key: filter by state (one, or several separated by commas), breached,
 * owner, survey, journey; cursor pages.
 */
export async function listLoops(request: Request, deps: RouteDeps): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const q = new URL(request.url).searchParams;
  const filter: LoopFilter = {};
  const issues = [];
  const state = q.get("state");
  if (state !== null) {
    // `state=received,acknowledged`: any of several (the SQL keeps one placeholder per state).
    const states = [...new Set(state.split(","))];
    if (states.every((x) => (LOOP_STATES as readonly string[]).includes(x))) {
      filter.state = states.length === 1 ? (states[0] as LoopState) : (states as LoopState[]);
    } else
      issues.push({
        path: "state",
        code: "invalid_enum",
        message: `must be one or more of ${LOOP_STATES.join(", ")}, separated by commas`,
      });
  }
  const breached = q.get("breached");
  if (breached !== null) {
    if (breached === "true" || breached === "false") filter.breached = breached === "true";
    else issues.push({ path: "breached", code: "invalid_type", message: "must be true or false" });
  }
  for (const k of ["owner", "survey", "journey"] as const) {
    const v = q.get(k);
    if (v !== null) filter[k === "survey" ? "surveyId" : k] = v;
  }
  const limitText = q.get("limit") ?? "50";
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    issues.push({
      path: "limit",
      code: "out_of_range",
      message: "must be an integer from 1 to 500",
    });
  }
  if (issues.length > 0) throw new HttpError(400, "invalid_query", "Invalid query", { issues });
  filter.now = deps.now();
  const after = q.get("cursor");
  const page = await deps.store.listLoops(
    caller.envId,
    filter,
    after ? { after, limit } : { limit },
  );
  return json({ loops: page.loops, ...(page.next ? { next: page.next } : {}) });
}

/** `GET /v1/loops/:id`, secret key: the loop with its whole history. */
export async function getLoop(request: Request, deps: RouteDeps, id: string): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const loop = await deps.store.getLoop(caller.envId, id);
  if (!loop) throw new HttpError(404, "not_found", `No loop ${id}`);
  return json(loop);
}

/**
 * `POST /v1/loops/:id/transitions`, secret key: moves a loop; 409 on an illegal move. Resolving
 * with a `message` leaves a closure notice for the respondent, which the browser shows; seeing
 * it closes the loop in-app.
 */
export async function postTransition(
  request: Request,
  deps: RouteDeps,
  id: string,
): Promise<Response> {
  const caller = await authenticate(request, deps.store, "secret");
  const raw = await readJson(request, deps.limits.maxBodyBytes);
  const body = parseRequest(TransitionBodySchema, raw, "transition", "invalid_transition");
  return json(await moveLoop(deps.store, caller.envId, id, body, deps.now()));
}
