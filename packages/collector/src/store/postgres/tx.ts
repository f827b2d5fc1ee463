// `StoreTx` on one pooled client inside BEGIN … COMMIT. Reads take row locks (`FOR UPDATE`), so a
// second collector transitioning the same loop waits here until the first commits, then reads
// the committed row (READ COMMITTED re-reads a locked row's newest version).
import type { ClosureNotice, Loop } from "@closeloop/core";
import type { PoolClient } from "pg";
import { ms } from "../columns.js";
import { type HistoryRow, scoredLoop } from "../history.js";
import { closureRow, customerEventRow, feedbackRow, loopRow, responseRow } from "../records.js";
import { type IdempotencyRow, idempotencyRecord } from "../row-readers.js";
import type { LoopMeta, StoredResponse, StoreTx } from "../types.js";
import type { NewDelivery } from "../webhook-enqueue.js";
import { one, rowWrites, run, storeSql } from "./queries.js";
import { type EnabledEndpoint, postgresWebhookTx } from "./webhooks.js";

/**
 * The transaction's view of the store, one statement per call; `c()` answers its client while it
 * lasts. `deliver`, when given, takes the webhook deliveries instead of inserting them one by one
 * (`batchedPostgresTx` sends them together), and `endpointsRead` answers the webhook endpoints it
 * has read already (`postgresWebhookTx`).
 */
export function postgresTx(
  c: () => PoolClient,
  deliver?: (delivery: NewDelivery) => void,
  endpointsRead?: (envId: string) => readonly EnabledEndpoint[] | undefined,
): StoreTx {
  return {
    ...postgresWebhookTx(c, deliver, endpointsRead),
    async claimIdempotency(envId, key, record, at) {
      const db = c();
      const claim = await run(db, storeSql.claimIdempotency, [
        envId,
        key,
        record.type,
        record.id,
        ms(at),
        record.digest ?? null,
      ]);
      if (claim.rowCount === 1) return undefined;
      const { rows } = await run<IdempotencyRow>(db, storeSql.getIdempotency, [envId, key]);
      return idempotencyRecord(rows[0] as IdempotencyRow);
    },
    getResponse: async (envId, id) => one<StoredResponse>(c(), storeSql.lockResponse, [envId, id]),
    async putResponse(envId, response) {
      await run(
        c(),
        rowWrites.putResponse.text,
        rowWrites.putResponse.values(responseRow(envId, response)),
      );
    },
    async insertFeedback(envId, feedback) {
      await run(
        c(),
        rowWrites.insertFeedback.text,
        rowWrites.insertFeedback.values(feedbackRow(envId, feedback)),
      );
    },
    async insertCustomerEvent(envId, id, event) {
      const row = customerEventRow(envId, id, event);
      await run(c(), rowWrites.insertCustomerEvent.text, rowWrites.insertCustomerEvent.values(row));
    },
    getLoop: async (envId, id) => one<Loop>(c(), storeSql.lockLoop, [envId, id]),
    getLoopBySource: async (envId, source) =>
      one<Loop>(c(), storeSql.lockLoopBySource, [envId, source.kind, source.id]),
    async putLoop(envId, loop, meta) {
      await run(c(), rowWrites.putLoop.text, rowWrites.putLoop.values(loopRow(envId, loop, meta)));
    },
    getLoopMeta: async (envId, id) => one<LoopMeta>(c(), storeSql.getLoopMeta, [envId, id], "meta"),
    async putRiskSignal(envId, { customerId, loopId, at, reason }) {
      await run(c(), storeSql.putRiskSignal, [envId, customerId, loopId, ms(at), reason]);
    },
    async scoreHistory(envId, respondentId, type) {
      await run(c(), storeSql.lockRespondent, [envId, respondentId]);
      const { rows } = await run<HistoryRow>(c(), storeSql.scoreHistory, [
        envId,
        respondentId,
        type,
      ]);
      return rows.map(scoredLoop);
    },
    async putClosureNotice(envId, notice, respondent) {
      const row = closureRow(envId, notice, respondent);
      await run(c(), rowWrites.putClosureNotice.text, rowWrites.putClosureNotice.values(row));
    },
    getClosureNotice: async (envId, id) =>
      one<ClosureNotice>(c(), storeSql.lockClosureNotice, [envId, id]),
  };
}
