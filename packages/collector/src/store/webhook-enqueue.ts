// `enqueueWebhook`, shared by both stores: one delivery per subscribed endpoint, each with its own
// `msg_` + UUIDv7 id and the payload serialized once (docs/webhooks.md). Only the two statements
// differ by dialect, and are passed in.
import { uuidv7, type WebhookPayload } from "@closeloop/core";
import { ms } from "./columns.js";
import type { WebhookTx } from "./webhook-types.js";

/** A pending delivery, due at once (`at`, epoch ms). */
export interface NewDelivery {
  id: string;
  envId: string;
  endpoint: string;
  type: WebhookPayload["type"];
  body: string;
  at: number;
}

/** The queue's statements on one transaction's connection `db`. */
export interface DeliveryQueue<Db> {
  /** The names of the environment's enabled endpoints subscribed to `type`, in name order. */
  subscribed(db: Db, envId: string, type: WebhookPayload["type"]): Promise<string[]> | string[];
  insert(db: Db, delivery: NewDelivery): Promise<unknown> | unknown;
}

/**
 * `enqueueWebhook` for one transaction, whose connection `use()` answers. Subscriptions are read
 * once per environment and event type and transaction, not once per event: the transaction sees
 * them as of its first event of each type.
 */
export function webhookEnqueue<Db>(
  use: () => Db,
  queue: DeliveryQueue<Db>,
): WebhookTx["enqueueWebhook"] {
  const subscribed = new Map<string, string[]>();
  return async (envId, payload, at) => {
    const db = use();
    const k = `${envId}\n${payload.type}`;
    let names = subscribed.get(k);
    if (names === undefined) {
      names = await queue.subscribed(db, envId, payload.type);
      subscribed.set(k, names);
    }
    const t = ms(at);
    if (names.length === 0) return 0;
    const body = JSON.stringify(payload);
    for (const endpoint of names) {
      const id = `msg_${uuidv7(t)}`;
      await queue.insert(db, { id, envId, endpoint, type: payload.type, body, at: t });
    }
    return names.length;
  };
}
