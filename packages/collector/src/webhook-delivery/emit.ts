// Webhook events from store writes. `withWebhookEvents(tx, envId)` wraps a transaction so that
// every loop transition it writes and every response or feedback item that opens a loop queues
// its event in the same transaction: the event is delivered if and only if the change commits. A transition made
// after a deadline passed unannounced also fires that `loop.breached` (see breached.ts).
import type {
  Response as CloseloopResponse,
  Loop,
  WebhookEventType,
  WebhookPayload,
} from "@closeloop/core";
import type { StoredFeedback, StoredResponse, StoreTx } from "../store/types.js";
import { fireMissedDeadlines } from "./breached.js";

const LOOP_EVENTS: Partial<Record<string, WebhookEventType>> = {
  acknowledged: "loop.acknowledged",
  assigned: "loop.assigned",
  resolved: "loop.resolved",
  closed: "loop.closed",
  reopened: "loop.reopened",
};

/** A respondent without their respondent token: the token is a credential, never sent on. */
function withoutToken<R extends object>(respondent: R): R {
  const { token: _token, ...who } = respondent as R & { token?: string };
  return who as R;
}

/** A response as webhooks send it: without the respondent token. */
export function publicResponse(response: StoredResponse | CloseloopResponse): CloseloopResponse {
  return { ...response, respondent: withoutToken(response.respondent) } as CloseloopResponse;
}

/** A feedback item as webhooks send it: without its writer's respondent token. */
export function publicFeedback(item: StoredFeedback): StoredFeedback {
  return item.respondent ? { ...item, respondent: withoutToken(item.respondent) } : item;
}

/**
 * The `loop.*` events of the history entries from `from` on. A loop that moved twice in one write
 * (acknowledged, then closed at once) yields both events, each with the loop as it was after
 * that move.
 */
export function loopEvents(loop: Loop, from: number): WebhookPayload[] {
  const out: WebhookPayload[] = [];
  for (let i = Math.max(from, 0); i < loop.events.length; i++) {
    const event = loop.events[i] as Loop["events"][number];
    const type = LOOP_EVENTS[event.to];
    if (!type) continue;
    const last = i === loop.events.length - 1;
    const snapshot: Loop = last
      ? loop
      : { ...loop, state: event.to, updatedAt: event.at, events: loop.events.slice(0, i + 1) };
    out.push({ type, timestamp: event.at, data: { loop: snapshot } } as WebhookPayload);
  }
  return out;
}

/** `tx`, with webhook events queued for the loops and responses written through it. */
export function withWebhookEvents(tx: StoreTx, envId: string): StoreTx {
  /** Each loop as last read or written in this transaction (absent: a new loop). */
  const seen = new Map<string, Loop>();
  const responses = new Map<string, StoredResponse>();
  const feedback = new Map<string, StoredFeedback>();
  const remember = (loop: Loop | undefined) => {
    if (loop) seen.set(loop.id, loop);
    return loop;
  };
  return {
    ...tx,
    getLoop: async (e, id) => remember(await tx.getLoop(e, id)),
    getLoopBySource: async (e, source) => remember(await tx.getLoopBySource(e, source)),
    async putResponse(e, response) {
      await tx.putResponse(e, response);
      responses.set(response.id, response);
    },
    async insertFeedback(e, item) {
      await tx.insertFeedback(e, item);
      feedback.set(item.id, item);
    },
    async putLoop(e, loop, meta) {
      await tx.putLoop(e, loop, meta);
      if (e !== envId) return;
      const stored = seen.get(loop.id);
      seen.set(loop.id, loop);
      const before = stored?.events.length;
      // A deadline that passed unannounced before this move fires now: once the move meets it
      // (or a reopening replaces it), the sweeper never sees it. Fired after the row is written
      // (and locked), the lock order a sweeper also takes; the breach row decides who fires.
      const movedAt = before === undefined ? undefined : loop.events[before]?.at;
      if (stored && movedAt) await fireMissedDeadlines(tx, e, stored, movedAt);
      if (before === undefined && loop.source.kind === "response") {
        // A finished response opens its loop once: that is when it was received, complete.
        const response = responses.get(loop.source.id) ?? (await tx.getResponse(e, loop.source.id));
        if (response) {
          const at = response.receivedAt ?? loop.openedAt;
          await tx.enqueueWebhook(
            e,
            {
              type: "response.received",
              timestamp: at,
              data: { response: publicResponse(response) },
            },
            at,
          );
        }
      }
      const item = before === undefined ? feedback.get(loop.source.id) : undefined;
      if (item && loop.source.kind === "feedback") {
        // A feedback item opens its loop as it is stored, in this same transaction.
        await tx.enqueueWebhook(
          e,
          {
            type: "feedback.received",
            timestamp: item.receivedAt,
            data: { feedback: publicFeedback(item) },
          },
          item.receivedAt,
        );
      }
      for (const payload of loopEvents(loop, before ?? 0)) {
        await tx.enqueueWebhook(e, payload, payload.timestamp);
      }
    },
  };
}
