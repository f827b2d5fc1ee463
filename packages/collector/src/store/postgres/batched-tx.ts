// A PostgreSQL transaction whose ingest writes are held back and sent together, one multi-row
// INSERT per table in one statement (docs/stores.md, Batched writes on PostgreSQL). Every
// statement is a round trip, and an ingested batch of 100 responses used to make four per response
// (lock the response, claim its key, write it, write its loop): the collector's process spent half
// its time in `writev`. Here a batch that announces itself (`prefetchBatch`) reads its keys and
// locks its responses with one statement, its identified respondents' score histories are locked
// and read with two more (respondent-histories.ts), and its claims, responses, feedback, loops,
// risk signals and webhook deliveries go out with one more.
import type { PoolClient } from "pg";
import { ms } from "../columns.js";
import {
  FEEDBACK_KEYS,
  feedbackRow,
  LOOP_KEYS,
  loopRow,
  RESPONSE_KEYS,
  type Row,
  responseRow,
  snake,
  TIME_COLUMNS,
} from "../records.js";
import { type IdempotencyRow, idempotencyRecord } from "../row-readers.js";
import type { IdempotencyRecord, StoredResponse, StoreTx } from "../types.js";
import type { NewDelivery } from "../webhook-enqueue.js";
import { postgresRows } from "./dialect.js";
import { run } from "./queries.js";
import { respondentHistories } from "./respondent-histories.js";
import { arrayType, type ColumnType, columnArray } from "./row-arrays.js";
import { postgresTx } from "./tx.js";
import type { EnabledEndpoint } from "./webhooks.js";

/**
 * Another transaction claimed one of the batch's new idempotency keys between the batch's read of
 * its keys and its write of them: the transaction rolls back and runs again, and then reads the
 * other claim (`postgresStore`'s `transaction` retries it).
 */
export class ClaimRaceError extends Error {
  constructor() {
    super("an idempotency key was claimed by a concurrent transaction; the batch runs again");
    this.name = "ClaimRaceError";
  }
}

const IDEMPOTENCY_KEYS = ["envId", "key", "type", "recordId", "createdAt", "digest"];
const DELIVERY_KEYS = ["id", "envId", "endpoint", "type", "body", "status", "nextAt", "createdAt"];
/** The row keys whose columns are not `text` (instants are `timestamptz` in every table). */
const NOT_TEXT: Readonly<Record<string, ColumnType>> = {
  data: "jsonb",
  meta: "jsonb",
  surveyVersion: "int4",
  score: "int4",
  finished: "bool",
  customerValue: "float8",
};
const typeOf = (key: string): ColumnType =>
  NOT_TEXT[key] ?? (TIME_COLUMNS.has(key) ? "timestamptz" : "text");

/**
 * A multi-row INSERT of `keys` from one binary array parameter per column (`row-arrays.ts`),
 * its parameters numbered from `$${from + 1}`.
 */
function insertRows(table: string, keys: readonly string[], tail: string) {
  const types = keys.map(typeOf);
  return {
    columns: keys.length,
    text: (from: number) => `INSERT INTO ${table} (${keys.map(snake).join(", ")})
      SELECT * FROM unnest(${types.map((t, i) => `$${from + i + 1}::${arrayType(t)}`).join(", ")})
      ${tail}`,
    values: (rows: readonly Row[]): Buffer[] =>
      keys.map((k, i) => columnArray(types[i] as ColumnType, rows, k)),
  };
}

const upsertSet = (keys: readonly string[]) =>
  keys
    .filter((k) => k !== "envId" && k !== "id")
    .map((k) => `${snake(k)} = EXCLUDED.${snake(k)}`)
    .join(", ");

/** The held-back writes by table, in the order they are written. */
const TABLES = {
  claims: insertRows(
    "idempotency",
    IDEMPOTENCY_KEYS,
    "ON CONFLICT (env_id, key) DO NOTHING RETURNING 1",
  ),
  responses: insertRows(
    "responses",
    RESPONSE_KEYS,
    `ON CONFLICT (env_id, id) DO UPDATE SET ${upsertSet(RESPONSE_KEYS)}`,
  ),
  // Inserted once: a replay of the same id is a no-op, as `insertFeedback` is.
  feedback: insertRows("feedback", FEEDBACK_KEYS, "ON CONFLICT (env_id, id) DO NOTHING"),
  loops: insertRows(
    "loops",
    LOOP_KEYS,
    `ON CONFLICT (env_id, id) DO UPDATE SET ${upsertSet(LOOP_KEYS)}`,
  ),
  risks: insertRows(
    "risk_signals",
    ["envId", "customerId", "loopId", "at", "reason"],
    "ON CONFLICT (env_id, loop_id, reason) DO NOTHING",
  ),
  deliveries: insertRows("webhook_deliveries", DELIVERY_KEYS, ""),
};
type Table = keyof typeof TABLES;

const writeTexts = new Map<string, string>();
/**
 * One statement for the writes of `tables`: each table's INSERT in a data-modifying CTE, all
 * run to completion whatever the main query reads (docs/stores.md), which answers how many
 * claims were inserted. One round trip instead of one per table.
 */
function writeText(tables: readonly Table[]): string {
  const name = tables.join(",");
  let text = writeTexts.get(name);
  if (text === undefined) {
    let from = 0;
    const ctes = tables.map((t) => {
      const cte = `${t} AS (${TABLES[t].text(from)})`;
      from += TABLES[t].columns;
      return cte;
    });
    const claimed = tables.includes("claims") ? "(SELECT count(*) FROM claims)" : "0";
    text = `WITH ${ctes.join(",\n")}\nSELECT ${claimed}::int AS claimed`;
    writeTexts.set(name, text);
  }
  return text;
}

// One index lookup per key, whatever the planner thinks of the table: a prepared statement's
// generic plan made while the tables were small (a new database, no ANALYZE yet) read
// `key = ANY($2)` as a scan of the environment's every row, filtered by the array, and kept it
// for the connection's life: ingest slowed as the tables grew (3× the backend CPU per response
// after 40,000 responses, docs/benchmarks.md). Inside a LATERAL … LIMIT 1 the lookup is an
// equality on the primary key, which is always its index. The batch's keys ($2) and its
// responses ($3), locked in the order given (every batch sorts them), come back in one statement
// with the environment's enabled webhook endpoints, which its events are then queued for without
// a statement of their own (`webhookSql.subscribed` reads and locks the same rows): `part` 1 a
// claim, 2 a response, 3 an endpoint, in name order.
export const prefetchText = `WITH endpoints AS (
    SELECT name, events FROM webhook_endpoints WHERE env_id = $1 AND disabled_at IS NULL
    ORDER BY name FOR KEY SHARE),
  locked AS (
    SELECT x.data FROM unnest($3::text[]) AS k (id) CROSS JOIN LATERAL (
      SELECT data FROM responses WHERE env_id = $1 AND id = k.id LIMIT 1 FOR UPDATE) AS x)
  SELECT 1 AS part, x.key, x.type, x.id, x.digest, NULL::jsonb AS data
    FROM unnest($2::text[]) AS k (key) CROSS JOIN LATERAL (
      SELECT key, type, record_id AS id, digest FROM idempotency
      WHERE env_id = $1 AND key = k.key LIMIT 1) AS x
  UNION ALL SELECT 2, NULL, NULL, NULL, NULL, data FROM locked
  UNION ALL SELECT 3, name, NULL, NULL, NULL, events FROM endpoints`;

const byKey = (a: [string, Row], b: [string, Row]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** `postgresTx` with held-back writes, and `flush` to send them (before COMMIT). */
export function batchedPostgresTx(c: () => PoolClient): StoreTx & { flush(): Promise<void> } {
  const pending = {
    claims: new Map<string, Row>(),
    responses: new Map<string, Row>(),
    feedback: new Map<string, Row>(),
    loops: new Map<string, Row>(),
    risks: new Map<string, Row>(),
    deliveries: [] as NewDelivery[],
  };
  /** Keys read or claimed in this transaction: their first record, or `undefined` when free. */
  const keys = new Map<string, IdempotencyRecord | undefined>();
  /** Responses read (locked) or written in this transaction, `undefined` when none is stored. */
  const responses = new Map<string, (() => StoredResponse) | undefined>();
  /** Each environment's enabled webhook endpoints, as the first prefetch read them. */
  const endpoints = new Map<string, EnabledEndpoint[]>();
  /** The batch's identified respondents, locked, with their score histories. */
  const histories = respondentHistories();
  const direct = postgresTx(
    c,
    (d) => {
      pending.deliveries.push(d);
    },
    (envId) => endpoints.get(envId),
  );

  async function flush(): Promise<void> {
    const db = c();
    const tables: Table[] = [];
    const values: Buffer[] = [];
    const add = (table: Table, rows: readonly Row[]) => {
      tables.push(table);
      values.push(...TABLES[table].values(rows));
    };
    const sorted = (m: Map<string, Row>) => [...m].sort(byKey).map(([, row]) => row);
    // Sorted by key, so two batches writing the same keys or ids lock them in one order.
    const claims = sorted(pending.claims);
    if (claims.length > 0) add("claims", claims);
    if (pending.responses.size > 0) add("responses", sorted(pending.responses));
    if (pending.feedback.size > 0) add("feedback", sorted(pending.feedback));
    if (pending.loops.size > 0) add("loops", sorted(pending.loops));
    if (pending.risks.size > 0) add("risks", sorted(pending.risks));
    if (pending.deliveries.length > 0) {
      add(
        "deliveries",
        pending.deliveries.map(
          (d): Row => ({ ...d, status: "pending", nextAt: d.at, createdAt: d.at }),
        ),
      );
    }
    pending.claims.clear();
    pending.responses.clear();
    pending.feedback.clear();
    pending.loops.clear();
    pending.risks.clear();
    pending.deliveries.length = 0;
    if (tables.length === 0) return;
    const { rows } = await run<{ claimed: number }>(db, writeText(tables), values);
    if (rows[0]?.claimed !== claims.length) throw new ClaimRaceError();
  }

  // Anything else may read what is held back (a loop, a respondent's scores) or write what must
  // follow it: it runs after a flush, so the statements keep their order.
  const flushed = {} as StoreTx;
  for (const [name, method] of Object.entries(direct) as [string, unknown][]) {
    if (typeof method !== "function") continue;
    (flushed as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await flush();
      return (method as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }

  return {
    ...flushed,
    flush,
    // Its deliveries are held back; the endpoints it reads are not written by a transaction.
    enqueueWebhook: direct.enqueueWebhook,
    async prefetchBatch(envId, batch) {
      const db = c();
      const newKeys = batch.keys.filter((k) => !keys.has(`${envId}\n${k}`));
      const ids = [...new Set(batch.responseIds)]
        .filter((id) => !responses.has(`${envId}\n${id}`))
        .sort();
      if (batch.respondentIds?.length) {
        await flush();
        await histories.prefetch(db, envId, batch.respondentIds);
      }
      if (newKeys.length === 0 && ids.length === 0 && endpoints.has(envId)) return;
      await flush();
      const { rows } = await run<IdempotencyRow & { part: number; key: string }>(db, prefetchText, [
        envId,
        newKeys,
        ids,
      ]);
      for (const k of newKeys) keys.set(`${envId}\n${k}`, undefined);
      for (const id of ids) responses.set(`${envId}\n${id}`, undefined);
      // The first read of an environment's endpoints stands for the whole transaction, as the
      // subscription read it replaces did (store/webhook-enqueue.ts).
      const read = endpoints.has(envId) ? undefined : ([] as EnabledEndpoint[]);
      for (const row of rows) {
        if (row.part === 1) {
          keys.set(`${envId}\n${row.key}`, idempotencyRecord(row));
        } else if (row.part === 3) {
          read?.push({
            name: row.key,
            events: postgresRows.document<string[] | null>(row, "data"),
          });
        } else {
          const stored = postgresRows.document<StoredResponse>(row, "data");
          responses.set(`${envId}\n${stored.id}`, () => stored);
        }
      }
      if (read !== undefined) endpoints.set(envId, read);
    },
    async claimIdempotency(envId, key, record, at) {
      c(); // a tx used after its transaction ended rejects, held back or not
      const k = `${envId}\n${key}`;
      if (!keys.has(k)) {
        await flush();
        return direct.claimIdempotency(envId, key, record, at);
      }
      const first = keys.get(k);
      if (first) return first;
      keys.set(k, record);
      pending.claims.set(k, {
        envId,
        key,
        type: record.type,
        recordId: record.id,
        createdAt: ms(at),
        digest: record.digest ?? null,
      });
      return undefined;
    },
    async getResponse(envId, id) {
      c();
      const k = `${envId}\n${id}`;
      if (!responses.has(k)) {
        await flush();
        return direct.getResponse(envId, id);
      }
      return responses.get(k)?.();
    },
    async putResponse(envId, response) {
      c();
      const k = `${envId}\n${response.id}`;
      const row = responseRow(envId, response);
      pending.responses.set(k, row);
      // Read back as a store read would answer it: the document as stored.
      responses.set(k, () => JSON.parse(row.data as string) as StoredResponse);
    },
    async insertFeedback(envId, feedback) {
      c();
      // The first insert of an id is the one that counts, as one statement per insert gives.
      const k = `${envId}\n${feedback.id}`;
      if (!pending.feedback.has(k)) pending.feedback.set(k, feedbackRow(envId, feedback));
    },
    async putLoop(envId, loop, meta) {
      c();
      pending.loops.set(`${envId}\n${loop.id}`, loopRow(envId, loop, meta));
      histories.written(envId, loop, meta);
    },
    async scoreHistory(envId, respondentId, type) {
      c();
      const read = histories.history(envId, respondentId, type);
      if (read) return read;
      await flush();
      return direct.scoreHistory(envId, respondentId, type);
    },
    async putRiskSignal(envId, { customerId, loopId, at, reason }) {
      c();
      // The first of a loop's signals for one reason is the one kept, as ON CONFLICT keeps it.
      const k = `${envId}\n${loopId}\n${reason}`;
      if (!pending.risks.has(k)) {
        pending.risks.set(k, { envId, customerId, loopId, at: ms(at), reason });
      }
    },
  };
}
