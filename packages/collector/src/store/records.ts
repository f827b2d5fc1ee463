// Domain object → table row, shared by both stores: the row's keys are the column names in
// camelCase, times are epoch ms (each store turns them into its own time type), `data` is the
// document as JSON text, so a read returns exactly what was written.
import type { ClosureNotice, CustomerEvent, Loop } from "@closeloop/core";
import { type LoopColumns, loopColumns, ms, msOrNull, respondentColumns } from "./columns.js";
import type {
  Environment,
  KeyRecord,
  LoopMeta,
  RespondentRef,
  StoredFeedback,
  StoredResponse,
} from "./types.js";

/** A row's values by column (camelCase of the SQL name). */
export type Row = Record<string, string | number | null>;

/** Row keys whose values are instants (epoch ms in rows; PostgreSQL stores them as timestamptz), in every table. */
export const TIME_COLUMNS: ReadonlySet<string> = new Set([
  "createdAt",
  "revokedAt",
  "receivedAt",
  "at",
  "openedAt",
  "updatedAt",
  "acknowledgeBy",
  "acknowledgedAt",
  "closeBy",
  "closedAt",
  "firstAcknowledgedAt",
  "firstClosedAt",
  "seenAt",
  "publishedAt",
  "nextAt",
  "breachDue",
]);

/** The SQL name of a row key: `sourceKind` → `source_kind`. */
export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The loop row's keys in column order, for statements that bind parameters by position. */
export const LOOP_KEYS: readonly string[] = [
  "envId",
  "id",
  "sourceKind",
  "sourceId",
  "state",
  "owner",
  "segment",
  "surveyId",
  "journey",
  "touchpoint",
  "region",
  "channel",
  "customerId",
  "customerValue",
  "openedAt",
  "updatedAt",
  "acknowledgeBy",
  "acknowledgedAt",
  "closeBy",
  "closedAt",
  "breachDue",
  "respondentId",
  "anonymousId",
  "action",
  "scoreType",
  "score",
  "firstAcknowledgedAt",
  "firstClosedAt",
  "data",
  "meta",
];
/** The response row's keys in column order. */
export const RESPONSE_KEYS: readonly string[] = [
  "envId",
  "id",
  "surveyId",
  "surveyVersion",
  "finished",
  "segment",
  "respondentId",
  "anonymousId",
  "createdAt",
  "receivedAt",
  "data",
];
/** The feedback row's keys in column order. */
export const FEEDBACK_KEYS: readonly string[] = [
  "envId",
  "id",
  "channel",
  "customerId",
  "createdAt",
  "receivedAt",
  "data",
];
export const environmentRow = (env: Environment): Row => ({
  id: env.id,
  createdAt: ms(env.createdAt),
  data: JSON.stringify(env),
});

export const keyRow = (key: KeyRecord): Row => ({
  id: key.id,
  envId: key.envId,
  kind: key.kind,
  hash: key.hash,
  createdAt: ms(key.createdAt),
  revokedAt: msOrNull(key.revokedAt),
  data: JSON.stringify(key),
});

export const responseRow = (envId: string, r: StoredResponse): Row => ({
  envId,
  id: r.id,
  surveyId: r.surveyId,
  surveyVersion: r.surveyVersion,
  finished: r.finished ? 1 : 0,
  segment: r.segment ?? null,
  // Written out, not spread from respondentColumns: a spread amid a literal builds the row a
  // property at a time, and this runs for every ingested response.
  respondentId: "id" in r.respondent ? r.respondent.id : null,
  anonymousId: "id" in r.respondent ? null : r.respondent.anonymousId,
  createdAt: ms(r.createdAt),
  receivedAt: ms(r.receivedAt),
  data: JSON.stringify(r),
});

export const feedbackRow = (envId: string, f: StoredFeedback): Row => ({
  envId,
  id: f.id,
  channel: f.channel,
  customerId: f.customer?.id ?? null,
  createdAt: msOrNull(f.createdAt),
  receivedAt: ms(f.receivedAt),
  data: JSON.stringify(f),
});

export const customerEventRow = (envId: string, id: string, e: CustomerEvent): Row => ({
  envId,
  id,
  customerId: e.customerId,
  event: e.event,
  value: e.value ?? null,
  at: ms(e.at),
  data: JSON.stringify(e),
});

export const loopRow = (envId: string, loop: Loop, meta: LoopMeta): Row => {
  // The columns' own object, completed: spreading its 27 columns into a new literal built the
  // row a property at a time, for every loop stored.
  const row = loopColumns(loop, meta) as LoopColumns & Row;
  row.envId = envId;
  row.data = JSON.stringify(loop);
  row.meta = JSON.stringify(meta);
  return row;
};

export const closureRow = (envId: string, n: ClosureNotice, respondent: RespondentRef): Row => ({
  envId,
  id: n.id,
  loopId: n.loopId,
  ...respondentColumns(respondent),
  createdAt: ms(n.createdAt),
  seenAt: msOrNull(n.seenAt),
  data: JSON.stringify(n),
});
