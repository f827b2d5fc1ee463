import {
  type ClosureNotice,
  type Loop,
  type LoopState,
  LoopTransitionError,
  transition,
  uuidv7,
} from "@closeloop/core";
import { HttpError } from "../http/errors.js";
import { saveLoop } from "../ingest/loops.js";
import type { CollectorStore } from "../store/types.js";
import { withWebhookEvents } from "../webhook-delivery/emit.js";

/** A move asked of a loop: by the API (`POST /v1/loops/:id/transitions`) or the desk. */
export interface Move {
  to: LoopState;
  /** Who moves it: `agent:ana`, `desk:ana@example.com`, a service's name. */
  actor: string;
  note?: string | undefined;
  /** Resolving: what the customer is told; closing: what they were told. */
  message?: string | undefined;
  informedVia?: string | undefined;
  owner?: string | undefined;
}

/**
 * Moves a loop by the state machine's rules, in one transaction with its webhook events; the
 * one path for every caller, so the API and the desk refuse the same moves the same way. Throws
 * `HttpError`: 404 for no such loop, 400 `invalid_transition` for bad options (naming the
 * field), 409 for a move the loop's state does not allow. Resolving with a `message` leaves a
 * closure notice for the respondent, which the browser shows; seeing it closes the loop in-app.
 */
export function moveLoop(
  store: CollectorStore,
  envId: string,
  id: string,
  move: Move,
  now: string,
): Promise<Loop> {
  return store.transaction(async (rawTx) => {
    const tx = withWebhookEvents(rawTx, envId);
    const loop = await tx.getLoop(envId, id);
    if (!loop) throw new HttpError(404, "not_found", `No loop ${id}`);
    const meta = await tx.getLoopMeta(envId, id);
    const { to, ...options } = move;
    // Closing by other means (email, call) tells the customer what resolving said: unless the
    // caller words it anew, that message is the proof of what they were told.
    if (to === "closed" && options.message === undefined) {
      const said = resolvedMessage(loop);
      if (said !== undefined) options.message = said;
    }
    let next: Loop;
    try {
      next = transition(loop, to, { ...strip(options), at: now });
    } catch (e) {
      if (e instanceof LoopTransitionError) {
        // Bad input is the caller's to fix (400, naming the field); a move the loop's state
        // does not allow is a conflict (409).
        if (e.reason === "invalid_options") {
          const [, path = "", problem = e.message] = /: (\w+): (.*)$/.exec(e.message) ?? [];
          throw new HttpError(400, "invalid_transition", e.message, {
            issues: [{ path, code: "invalid", message: problem }],
          });
        }
        throw new HttpError(
          409,
          e.reason === "illegal" ? "illegal_transition" : e.reason,
          e.message,
        );
      }
      throw e;
    }
    await saveLoop(tx, envId, next, meta);
    if (to === "resolved" && move.message && meta?.respondent) {
      const notice: ClosureNotice = {
        id: uuidv7(Date.parse(now)),
        loopId: id,
        message: move.message,
        createdAt: now,
      };
      if (loop.context.surveyId) notice.surveyId = loop.context.surveyId;
      if (meta.youSaid) notice.youSaid = meta.youSaid;
      await tx.putClosureNotice(envId, notice, meta.respondent);
    }
    return next;
  });
}

/** The message of the loop's latest move to `resolved` in its current cycle, if it had one. */
function resolvedMessage(loop: Loop): string | undefined {
  for (let i = loop.events.length - 1; i >= 0; i--) {
    const e = loop.events[i];
    if (e?.to === "reopened") return undefined;
    if (e?.to === "resolved") return e.message;
  }
  return undefined;
}

/** Drops absent optional fields (exactOptionalPropertyTypes). */
function strip<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
