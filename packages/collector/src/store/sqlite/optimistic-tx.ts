// A batch of new responses and feedback, run against the reader connection with its writes kept
// for the writer thread (writer-thread.ts; docs/stores.md, Ingest on a writer thread). It answers
// exactly what the locked transaction would for the case it takes: every item a response or a
// feedback item, no response stored before. A respondent's score history is read committed, and
// the writer thread checks, before the batch's writes, that no answer joined it in between.
// Anything else — a stored response to merge, a write it does not keep — ends it with `RunAgain`,
// and the batch runs again the usual way, as a batch whose key another transaction claimed does
// on PostgreSQL (`prefetchBatch`'s contract).
import { ms } from "../columns.js";
import { byOpening, type HistoryRow, scoredLoop } from "../history.js";
import { feedbackRow, loopRow, responseRow } from "../records.js";
import { type IdempotencyRow, idempotencyRecord } from "../row-readers.js";
import type { IdempotencyRecord, StoreTx } from "../types.js";
import { webhookEnqueue } from "../webhook-enqueue.js";
import { type Prepared, rowUpserts, storeSql } from "./statements.js";
import { webhookSql } from "./webhooks.js";
import type { WriteOp } from "./writer-thread.js";

/** The batch leaves the writer thread's path: run it again, the usual way. */
export class RunAgain extends Error {
  constructor() {
    super("closeloop sqlite store: this batch runs again in a locked transaction");
    this.name = "RunAgain";
  }
}

export const optimisticSql = {
  claims: `SELECT key, type, record_id AS id, digest FROM idempotency
    WHERE env_id = ? AND key IN (SELECT value FROM json_each(?))`,
  storedResponses: `SELECT 1 FROM responses
    WHERE env_id = ? AND id IN (SELECT value FROM json_each(?)) LIMIT 1`,
} as const;

/**
 * The overlay for one `fn`: `tx` answers from the reader (committed data) and from what the batch
 * did so far, and keeps its writes in `ops`. `ended()` makes any later call reject, as a `tx` that
 * escaped its transaction does.
 */
export function optimisticTx(read: Prepared) {
  /** Keys the batch announced: their first record, or `undefined` while free. */
  const keys = new Map<string, IdempotencyRecord | undefined>();
  /** Responses the batch announced (none of them stored), and those it wrote. */
  const announced = new Set<string>();
  const written = new Set<string>();
  /** Feedback items the batch wrote, whose loops it may open. */
  const fed = new Set<string>();
  /** The scored loops the batch opened, by respondent and score type, as the history reads them. */
  const scored = new Map<string, HistoryRow[]>();
  const ops: WriteOp[] = [];
  let runAgain = false;
  let over = false;
  const check = () => {
    if (over) {
      throw new Error(
        "closeloop sqlite store: transaction already ended; use tx only inside its fn",
      );
    }
    if (runAgain) throw new RunAgain();
  };
  const leave = (): never => {
    runAgain = true;
    throw new RunAgain();
  };

  // Endpoints change only outside transactions; what the reader holds is what a locked
  // transaction would read.
  const enqueue = webhookEnqueue(() => read, {
    subscribed: (s, envId, type) =>
      (s(webhookSql.subscribed).all(envId, type) as { name: string }[]).map((r) => r.name),
    insert: (_s, d) => {
      ops.push(["delivery", [d.id, d.envId, d.endpoint, d.type, d.body, d.at, d.at]]);
    },
  });

  const kept: Partial<StoreTx> = {
    async prefetchBatch(envId, batch) {
      check();
      if (keys.size > 0) leave();
      for (const key of batch.keys) keys.set(`${envId}\n${key}`, undefined);
      for (const id of batch.responseIds) announced.add(`${envId}\n${id}`);
      const rows = read(optimisticSql.claims).all(envId, JSON.stringify(batch.keys));
      for (const row of rows as (IdempotencyRow & { key: string })[]) {
        keys.set(`${envId}\n${row.key}`, idempotencyRecord(row));
      }
    },
    async claimIdempotency(envId, key, record, at) {
      check();
      const k = `${envId}\n${key}`;
      if (!keys.has(k)) leave();
      const first = keys.get(k);
      if (first) return first;
      keys.set(k, record);
      ops.push(["claim", [envId, key, record.type, record.id, ms(at), record.digest ?? null]]);
      return undefined;
    },
    async getResponse(envId, id) {
      check();
      // One not stored before: a response written earlier in this batch is merged the usual way.
      const k = `${envId}\n${id}`;
      if (!announced.has(k) || written.has(k)) leave();
      return undefined;
    },
    async putResponse(envId, response) {
      check();
      const k = `${envId}\n${response.id}`;
      if (!announced.has(k) || written.has(k)) leave();
      written.add(k);
      ops.push(["response", rowUpserts.response.values(responseRow(envId, response))]);
    },
    async insertFeedback(envId, feedback) {
      check();
      const k = `${envId}\n${feedback.id}`;
      if (fed.has(k)) leave();
      fed.add(k);
      ops.push(["feedback", feedbackRow(envId, feedback)]);
    },
    async putLoop(envId, loop, meta) {
      check();
      // Only the loop an item of this batch opens: nothing can store it yet.
      const source = `${envId}\n${loop.source.id}`;
      const opened =
        loop.events.length === 1 &&
        (loop.source.kind === "response" ? written.has(source) : fed.has(source));
      if (!opened) leave();
      ops.push(["loop", rowUpserts.loop.values(loopRow(envId, loop, meta)), meta.youSaid ?? null]);
      if (meta.score && meta.respondent && "id" in meta.respondent) {
        const k = `${envId}\n${meta.respondent.id}\n${meta.score.type}`;
        const answer = {
          loopId: loop.id,
          t: ms(loop.openedAt),
          score: meta.score.value,
          segment: loop.segment,
        };
        scored.set(k, [...(scored.get(k) ?? []), answer]);
      }
    },
    async scoreHistory(envId, respondentId, type) {
      check();
      const committed = read(storeSql.scoreHistory).all(envId, respondentId, type) as HistoryRow[];
      const mine = scored.get(`${envId}\n${respondentId}\n${type}`) ?? [];
      // Written only if the history still holds what was read (and this batch's answers).
      ops.push(["history", [envId, respondentId, type], committed.length + mine.length]);
      return [...committed, ...mine].sort(byOpening).map(scoredLoop);
    },
    async putRiskSignal(envId, { customerId, loopId, at, reason }) {
      check();
      ops.push(["risk", [envId, customerId, loopId, ms(at), reason]]);
    },
    async enqueueWebhook(...args) {
      check();
      return enqueue(...args);
    },
  };

  // Every other method leaves this path: reading a loop, a respondent's scores, writing a
  // transition…
  const tx = new Proxy(kept as StoreTx, {
    get(target, name) {
      const own = (target as unknown as Record<string | symbol, unknown>)[name];
      if (own !== undefined || typeof name === "symbol") return own;
      return async () => {
        check();
        return leave();
      };
    },
  });
  return {
    tx,
    ops,
    /**
     * Whether a batch takes this path: responses and feedback alone, each response with its id
     * (seen reports and customers go the usual way), none of them stored yet (merging a partial
     * response reads it locked). A batch that does not tell its types is taken if it holds
     * responses alone.
     */
    takes(envId: string, batch: Parameters<NonNullable<StoreTx["prefetchBatch"]>>[1]): boolean {
      const types = batch.itemTypes;
      let responses = batch.keys.length;
      if (types !== undefined) {
        if (types.length !== batch.keys.length) return false;
        responses = 0;
        for (const type of types) {
          if (type === "response") responses++;
          else if (type !== "feedback") return false;
        }
      }
      if (batch.keys.length === 0 || batch.responseIds.length !== responses) return false;
      if (responses === 0) return true;
      const ids = JSON.stringify(batch.responseIds);
      return read(optimisticSql.storedResponses).get(envId, ids) === undefined;
    },
    /** Whether the batch left this path (even if `fn` caught the error). */
    ranAgain: () => runAgain,
    end: () => {
      over = true;
    },
  };
}
