// `StoreTx` on the SQLite writer connection. The caller has already run `BEGIN IMMEDIATE`, which
// takes the file's write lock: every row read here is as good as locked until COMMIT/ROLLBACK.
import type { ClosureNotice, Loop } from "@closeloop/core";
import { ms } from "../columns.js";
import { type HistoryRow, scoredLoop } from "../history.js";
import { closureRow, customerEventRow, feedbackRow, loopRow, responseRow } from "../records.js";
import { type IdempotencyRow, idempotencyRecord } from "../row-readers.js";
import type { LoopMeta, StoredResponse, StoreTx } from "../types.js";
import { one } from "./rows.js";
import { type Prepared, rowUpserts, storeSql } from "./statements.js";
import { sqliteWebhookTx } from "./webhooks.js";

/** The transaction's view of the store; `use()` answers its statements while it lasts. */
export function sqliteTx(use: () => Prepared): StoreTx {
  return {
    ...sqliteWebhookTx(use),
    async claimIdempotency(envId, key, record, at) {
      const s = use();
      const claimed = s(storeSql.claimIdempotency).run(
        envId,
        key,
        record.type,
        record.id,
        ms(at),
        record.digest ?? null,
      );
      if (claimed.changes === 1) return undefined;
      return idempotencyRecord(s(storeSql.getIdempotency).get(envId, key) as IdempotencyRow);
    },
    async getResponse(envId, id) {
      return one<StoredResponse>(use()(storeSql.getResponse), [envId, id]);
    },
    async putResponse(envId, response) {
      const { text, values } = rowUpserts.response;
      use()(text).run(values(responseRow(envId, response)));
    },
    async insertFeedback(envId, feedback) {
      use()(storeSql.insertFeedback).run(feedbackRow(envId, feedback));
    },
    async insertCustomerEvent(envId, id, event) {
      use()(storeSql.insertCustomerEvent).run(customerEventRow(envId, id, event));
    },
    async getLoop(envId, id) {
      return one<Loop>(use()(storeSql.getLoop), [envId, id]);
    },
    async getLoopBySource(envId, source) {
      return one<Loop>(use()(storeSql.getLoopBySource), [envId, source.kind, source.id]);
    },
    async putLoop(envId, loop, meta) {
      const s = use();
      const { insert, update, values, updateValues } = rowUpserts.loop;
      const row = values(loopRow(envId, loop, meta));
      const inserted = s(insert).run(row);
      if (inserted.changes === 0) s(update).run(updateValues(row));
      else if (meta.youSaid !== undefined) {
        s(storeSql.loopWords).run(inserted.lastInsertRowid, meta.youSaid);
      }
    },
    async getLoopMeta(envId, id) {
      return one<LoopMeta>(use()(storeSql.getLoopMeta), [envId, id], "meta");
    },
    async scoreHistory(envId, respondentId, type) {
      const rows = use()(storeSql.scoreHistory).all(envId, respondentId, type) as HistoryRow[];
      return rows.map(scoredLoop);
    },
    async putRiskSignal(envId, { customerId, loopId, at, reason }) {
      use()(storeSql.putRiskSignal).run(envId, customerId, loopId, ms(at), reason);
    },
    async putClosureNotice(envId, notice, respondent) {
      use()(storeSql.putClosureNotice).run(closureRow(envId, notice, respondent));
    },
    async getClosureNotice(envId, id) {
      return one<ClosureNotice>(use()(storeSql.getClosureNotice), [envId, id]);
    },
  };
}
