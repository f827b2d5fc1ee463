import {
  BatchRequestSchema,
  type BatchResult,
  CloseloopError,
  type Issue,
  parse,
  ValidationError,
} from "@closeloop/core";
import { HttpError } from "../http/errors.js";
import type { CollectorStore, KeyKind } from "../store/types.js";
import { withWebhookEvents } from "../webhook-delivery/emit.js";
import type { IngestContext, ItemOutcome } from "./context.js";
import { ingestCustomer } from "./customer.js";
import { ingestFeedback } from "./feedback.js";
import { type ItemKey, itemKey } from "./idempotency.js";
import { ingestResponse } from "./response.js";
import { ingestAckSeen, ingestClosureSeen } from "./seen.js";
import { badTextPath } from "./text.js";

type Handler = (
  ctx: IngestContext,
  item: ItemKey,
  data: Record<string, unknown>,
) => Promise<ItemOutcome>;
const HANDLERS: Record<string, Handler> = {
  response: ingestResponse,
  feedback: ingestFeedback,
  "ack-seen": ingestAckSeen,
  "closure-seen": ingestClosureSeen,
  customer: ingestCustomer,
};

/** Who sent a batch and when it arrived. */
export interface BatchOrigin {
  envId: string;
  keyKind: KeyKind;
  now: string;
  /** Limits on items per batch. */
  maxItems: number;
}

/**
 * Ingests a `POST /v1/batch` body in one transaction: each item is accepted (with the id it
 * produced, or the first id on a replayed key) or rejected with its issues, independently; a
 * store failure rolls back the whole batch, which the client then retries as a whole.
 * `plainText`: the body's JSON had no `\u` escape, so no string in it can hold the NUL or
 * unpaired surrogate that `badTextPath` looks for (see `readJsonBody`), and that walk is skipped.
 */
export async function ingestBatch(
  store: CollectorStore,
  origin: BatchOrigin,
  body: unknown,
  secretKeys: () => Promise<string[]>,
  plainText = false,
): Promise<BatchResult> {
  const count = Array.isArray((body as { items?: unknown })?.items)
    ? (body as { items: unknown[] }).items.length
    : 0;
  if (count > origin.maxItems) {
    throw new HttpError(
      413,
      "batch_too_large",
      `A batch holds at most ${origin.maxItems} items; this one has ${count}`,
    );
  }
  let items: { type: string; idempotencyKey: string; data: Record<string, unknown> }[];
  try {
    ({ items } = parse(BatchRequestSchema, body, "batch"));
  } catch (e) {
    if (e instanceof ValidationError)
      throw new HttpError(400, "invalid_batch", e.message, { issues: e.issues });
    throw e;
  }
  const lookups = await prefetch(store, origin, items, secretKeys);
  return store.transaction(async (tx) => {
    const ctx: IngestContext = {
      tx: withWebhookEvents(tx, origin.envId),
      envId: origin.envId,
      keyKind: origin.keyKind,
      now: origin.now,
      survey(id, version) {
        const k = `${id}@${version}`;
        const hit = lookups.surveys.get(k);
        if (hit) return hit;
        const s = store.getSurvey(origin.envId, id, version);
        lookups.surveys.set(k, s);
        return s;
      },
      feedbackPolicy: () => (lookups.policy ??= store.getFeedbackPolicy(origin.envId)),
      secretKeys: () => (lookups.secretKeys ??= secretKeys()),
    };
    await ctx.tx.prefetchBatch?.(origin.envId, {
      keys: items.map((item) => item.idempotencyKey),
      responseIds: items.flatMap((item) =>
        item.type === "response" && typeof item.data.id === "string" ? [item.data.id] : [],
      ),
      itemTypes: items.map((item) => item.type),
      respondentIds: items.flatMap((item) => {
        const who = item.data.respondent as { id?: unknown } | undefined;
        return item.type === "response" && typeof who?.id === "string" ? [who.id] : [];
      }),
    });
    const result: BatchResult = { accepted: [], rejected: [] };
    for (const [index, item] of items.entries()) {
      const handler = HANDLERS[item.type] as Handler;
      const bad = plainText ? undefined : badTextPath(item.data);
      if (bad !== undefined) {
        const message = "text may not contain NUL or unpaired surrogates";
        result.rejected.push({
          index,
          code: "invalid",
          message,
          issues: [{ path: bad, code: "invalid_text", message }],
        });
        continue;
      }
      try {
        const key = itemKey(item.type, item.idempotencyKey, item.data);
        const outcome = await handler(ctx, key, item.data);
        if ("reject" in outcome) result.rejected.push({ index, ...outcome.reject });
        else result.accepted.push({ index, id: outcome.id, duplicate: outcome.duplicate === true });
      } catch (e) {
        // Domain refusals reject the one item; anything else (the store) fails the batch.
        // (ItemRejection, ValidationError and the loop rules' errors are all CloseloopErrors.)
        if (e instanceof CloseloopError) {
          const issues = (e as { issues?: readonly Issue[] }).issues;
          result.rejected.push({
            index,
            code: e.code,
            message: e.message,
            ...(issues ? { issues: [...issues] } : {}),
          });
        } else {
          throw e;
        }
      }
    }
    return result;
  });
}

/** What items read besides the transaction, fetched before it opens. */
interface Lookups {
  surveys: Map<string, ReturnType<CollectorStore["getSurvey"]>>;
  policy?: ReturnType<CollectorStore["getFeedbackPolicy"]>;
  secretKeys?: Promise<string[]>;
}

/**
 * Reads what the items will need — their surveys, the feedback policy, the secret keys for
 * respondent tokens — before the transaction opens. These reads go through the store's pool, not
 * the transaction: made from inside it on PostgreSQL, with every pooled connection held by an
 * open ingest transaction, each would wait for a free connection forever.
 */
async function prefetch(
  store: CollectorStore,
  origin: BatchOrigin,
  items: readonly { type: string; data: Record<string, unknown> }[],
  secretKeys: () => Promise<string[]>,
): Promise<Lookups> {
  const lookups: Lookups = { surveys: new Map() };
  for (const { type, data } of items) {
    if (type === "feedback") lookups.policy ??= store.getFeedbackPolicy(origin.envId);
    if (type === "response" && typeof data.surveyId === "string") {
      const version = data.surveyVersion;
      const k = `${data.surveyId}@${version}`;
      if (Number.isInteger(version) && !lookups.surveys.has(k)) {
        lookups.surveys.set(k, store.getSurvey(origin.envId, data.surveyId, version as number));
      }
    }
    const who = data.respondent as { id?: unknown } | undefined;
    if (origin.keyKind === "public" && typeof who?.id === "string") {
      lookups.secretKeys ??= secretKeys();
    }
  }
  // Settled here, so a failed read fails the batch (503) before anything is written.
  await Promise.all([...lookups.surveys.values(), lookups.policy, lookups.secretKeys]);
  return lookups;
}
