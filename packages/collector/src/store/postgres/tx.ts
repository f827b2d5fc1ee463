// `StoreTx` on one pooled client inside BEGIN … COMMIT. Reads take row locks (`FOR UPDATE`), so a
// second collector transitioning the same loop waits here until the first commits, then reads
// the committed row (READ COMMITTED re-reads a locked row's newest version).
import type { ClosureNotice, Loop } from "@closeloop/core";
import type { PoolClient } from "pg";
import { ms } from "../columns.js";
import { type HistoryRow, scoredLoop } from "../history.js";
import { closureRow, customerEventRow, feedbackRow, loopRow, responseRow } from "../records.js";
import type { IdempotencyRecord, LoopMeta, StoredResponse, StoreTx } from "../types.js";
import { one, Q, run, SQL } from "./queries.js";
import { postgresWebhookTx } from "./webhooks.js";

/** Thrown when a `tx` escapes its `transaction(fn)` and is used after it ended. */
function ended(): never {
  throw new Error("closeloop postgres store: transaction already ended; use tx only inside its fn");
}

/** The transaction's view of the store; `live()` turns false once it commits or rolls back. */
export function postgresTx(client: PoolClient, live: () => boolean): StoreTx {
  const c = () => (live() ? client : ended());
  return {
    ...postgresWebhookTx(c),
    async claimIdempotency(envId, key, record, at) {
      const db = c();
      const claim = await run(db, SQL.claimIdempotency, [
        envId,
        key,
        record.type,
        record.id,
        ms(at),
      ]);
      if (claim.rowCount === 1) return undefined;
      const { rows } = await run<IdempotencyRecord>(db, SQL.getIdempotency, [envId, key]);
      const first = rows[0] as IdempotencyRecord;
      return { type: first.type, id: first.id };
    },
    getResponse: async (envId, id) => one<StoredResponse>(c(), SQL.lockResponse, [envId, id]),
    async putResponse(envId, response) {
      await run(c(), Q.putResponse.text, Q.putResponse.values(responseRow(envId, response)));
    },
    async insertFeedback(envId, feedback) {
      await run(c(), Q.insertFeedback.text, Q.insertFeedback.values(feedbackRow(envId, feedback)));
    },
    async insertCustomerEvent(envId, id, event) {
      const row = customerEventRow(envId, id, event);
      await run(c(), Q.insertCustomerEvent.text, Q.insertCustomerEvent.values(row));
    },
    getLoop: async (envId, id) => one<Loop>(c(), SQL.lockLoop, [envId, id]),
    getLoopBySource: async (envId, source) =>
      one<Loop>(c(), SQL.lockLoopBySource, [envId, source.kind, source.id]),
    async putLoop(envId, loop, meta) {
      await run(c(), Q.putLoop.text, Q.putLoop.values(loopRow(envId, loop, meta)));
    },
    getLoopMeta: async (envId, id) => one<LoopMeta>(c(), SQL.getLoopMeta, [envId, id], "meta"),
    async scoreHistory(envId, respondentId, type) {
      await run(c(), SQL.lockRespondent, [envId, respondentId]);
      const { rows } = await run<HistoryRow>(c(), SQL.scoreHistory, [envId, respondentId, type]);
      return rows.map(scoredLoop);
    },
    async putClosureNotice(envId, notice, respondent) {
      const row = closureRow(envId, notice, respondent);
      await run(c(), Q.putClosureNotice.text, Q.putClosureNotice.values(row));
    },
    getClosureNotice: async (envId, id) =>
      one<ClosureNotice>(c(), SQL.lockClosureNotice, [envId, id]),
  };
}
