// The score histories of a batch's identified respondents, for the batched transaction
// (batched-tx.ts; docs/stores.md, Batched writes on PostgreSQL). Risk signals read a respondent's
// history serialised: `scoreHistory` takes a transaction-scoped advisory lock on the respondent,
// then reads, two round trips per answer. A batch that names its respondents locks them all with
// one statement (in one order, so two batches cannot deadlock on them) and reads their histories
// with one more; its answers then read from what was read and what the transaction opened since.
import type { PoolClient } from "pg";
import { ms } from "../columns.js";
import { byOpening, type HistoryRow, scoredLoop } from "../history.js";
import type { LoopMeta, ScoredLoop } from "../types.js";
import { run } from "./queries.js";

/** The same locks as `storeSql.lockRespondent`, taken in the order of their keys. */
export const lockRespondentsText = `SELECT pg_advisory_xact_lock(hashtext($1), h)
  FROM (SELECT DISTINCT hashtext(r) AS h FROM unnest($2::text[]) AS r) AS x ORDER BY h`;

/** Every scored answer of each respondent, through the respondent-scores index. */
export const historiesText = `SELECT x.* FROM unnest($2::text[]) AS k (id) CROSS JOIN LATERAL (
    SELECT respondent_id AS "respondentId", score_type AS "scoreType", id AS "loopId",
      (extract(epoch from opened_at) * 1000)::float8 AS t, score, segment
    FROM loops WHERE env_id = $1 AND respondent_id = k.id AND score_type IS NOT NULL) AS x`;

/** One transaction's locked respondents and their histories. */
export function respondentHistories() {
  /** Respondents locked and read in this transaction (`env\nrespondent`). */
  const locked = new Set<string>();
  /** Their answers by respondent and score type (`env\nrespondent\ntype`), by loop id. */
  const answers = new Map<string, Map<string, HistoryRow>>();
  const add = (k: string, row: HistoryRow) => {
    let rows = answers.get(k);
    if (rows === undefined) {
      rows = new Map();
      answers.set(k, rows);
    }
    rows.set(row.loopId, row);
  };
  return {
    /** Locks the respondents not locked yet, then reads their histories (after `flush`). */
    async prefetch(db: PoolClient, envId: string, respondentIds: readonly string[]) {
      const ids = [...new Set(respondentIds)].filter((id) => !locked.has(`${envId}\n${id}`));
      if (ids.length === 0) return;
      await run(db, lockRespondentsText, [envId, ids]);
      const { rows } = await run<HistoryRow & { respondentId: string; scoreType: string }>(
        db,
        historiesText,
        [envId, ids],
      );
      for (const id of ids) locked.add(`${envId}\n${id}`);
      for (const { respondentId, scoreType, ...row } of rows) {
        add(`${envId}\n${respondentId}\n${scoreType}`, row);
      }
    },
    /** A loop this transaction writes joins its respondent's history, if that was read. */
    written(
      envId: string,
      loop: { id: string; openedAt: string; segment: string },
      meta: LoopMeta,
    ) {
      const who = meta.respondent && "id" in meta.respondent ? meta.respondent.id : undefined;
      if (!meta.score || who === undefined || !locked.has(`${envId}\n${who}`)) return;
      add(`${envId}\n${who}\n${meta.score.type}`, {
        loopId: loop.id,
        t: ms(loop.openedAt),
        score: meta.score.value,
        segment: loop.segment,
      });
    },
    /** The history as a locked read would answer it now; undefined if it was not read. */
    history(envId: string, respondentId: string, type: string): ScoredLoop[] | undefined {
      if (!locked.has(`${envId}\n${respondentId}`)) return undefined;
      const rows = answers.get(`${envId}\n${respondentId}\n${type}`);
      return rows ? [...rows.values()].sort(byOpening).map(scoredLoop) : [];
    },
  };
}
