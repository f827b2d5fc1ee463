// Every fixed SQL text of the PostgreSQL store. Values are always `$n` parameters. `run` sends each
// text as a named statement, so every pooled connection parses and plans it once.
import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";
import {
  FEEDBACK_KEYS,
  LOOP_KEYS,
  RESPONSE_KEYS,
  type Row,
  snake,
  TIME_COLUMNS,
} from "../records.js";
import { postgresRows, toTimestamp } from "./dialect.js";

/** An INSERT of `keys` (row keys, camelCase) with its parameter list, and an ON CONFLICT tail. */
function insert(table: string, keys: readonly string[], conflict: string) {
  const values = keys.map((k, i) => {
    const p = `$${i + 1}`;
    if (TIME_COLUMNS.has(k)) return toTimestamp(p);
    return k === "data" || k === "meta" ? `${p}::jsonb` : p;
  });
  const text = `INSERT INTO ${table} (${keys.map(snake).join(", ")}) VALUES (${values.join(", ")}) ${conflict}`;
  return { text, values: (row: Row) => keys.map((k) => row[k] ?? null) };
}

/** `ON CONFLICT … DO UPDATE` of every column but the key. */
function replace(keys: readonly string[], key: readonly string[]) {
  const set = keys
    .filter((k) => !key.includes(k))
    .map((k) => `${snake(k)} = EXCLUDED.${snake(k)}`)
    .join(", ");
  return `ON CONFLICT (${key.map(snake).join(", ")}) DO UPDATE SET ${set}`;
}

const CLOSURE_KEYS = [
  "envId",
  "id",
  "loopId",
  "respondentId",
  "anonymousId",
  "createdAt",
  "seenAt",
  "data",
];
const ENV_ROW = ["envId", "id"];

/** The statements that write a whole row, each with its row's binder beside its text. */
export const rowWrites = {
  insertEnvironment: insert("environments", ["id", "createdAt", "data"], ""),
  insertKey: insert("keys", ["id", "envId", "kind", "hash", "createdAt", "revokedAt", "data"], ""),
  // Inserted once: a replay of the same id is a no-op, never an error that would fail a batch.
  insertFeedback: insert("feedback", FEEDBACK_KEYS, "ON CONFLICT (env_id, id) DO NOTHING"),
  insertCustomerEvent: insert(
    "customer_events",
    ["envId", "id", "customerId", "event", "value", "at", "data"],
    "ON CONFLICT (env_id, id) DO NOTHING",
  ),
  putResponse: insert("responses", RESPONSE_KEYS, replace(RESPONSE_KEYS, ENV_ROW)),
  putLoop: insert("loops", LOOP_KEYS, replace(LOOP_KEYS, ENV_ROW)),
  putClosureNotice: insert("closure_notices", CLOSURE_KEYS, replace(CLOSURE_KEYS, ENV_ROW)),
};

/** The other statements, by what they do. */
export const storeSql = {
  ping: "SELECT 1",
  listEnvironments: "SELECT data FROM environments ORDER BY created_at, id",
  lockFirstStart: "SELECT pg_advisory_xact_lock(hashtext('closeloop.first-start'), hashtext($1))",
  findKey: "SELECT data FROM keys WHERE hash = $1",
  listKeys: "SELECT data FROM keys ORDER BY created_at, id",
  listEnvKeys: "SELECT data FROM keys WHERE env_id = $1 ORDER BY created_at, id",
  // The first revocation stands: revoking twice keeps the original instant.
  revokeKey: `UPDATE keys SET revoked_at = ${toTimestamp("$2")},
    data = data || jsonb_build_object('revokedAt', $3::text)
    WHERE id = $1 AND revoked_at IS NULL`,

  // Serialises publishers of one survey id across collectors (released at COMMIT).
  lockSurvey:
    "SELECT pg_advisory_xact_lock(hashtext('closeloop.survey'), hashtext($1 || '/' || $2))",
  surveyVersion: "SELECT definition FROM surveys WHERE env_id = $1 AND id = $2 AND version = $3",
  latestSurveyVersion: "SELECT max(version) AS version FROM surveys WHERE env_id = $1 AND id = $2",
  insertSurvey: `INSERT INTO surveys (env_id, id, version, active, published_at, definition)
    VALUES ($1, $2, $3, false, ${toTimestamp("$4")}, $5::jsonb)`,
  deactivateSurvey: "UPDATE surveys SET active = false WHERE env_id = $1 AND id = $2 AND active",
  activateSurvey: "UPDATE surveys SET active = true WHERE env_id = $1 AND id = $2 AND version = $3",
  activeSurveys: "SELECT definition FROM surveys WHERE env_id = $1 AND active ORDER BY id",

  upsertPolicy: `INSERT INTO feedback_policies (env_id, updated_at, data)
    VALUES ($1, ${toTimestamp("$2")}, $3::jsonb)
    ON CONFLICT (env_id) DO UPDATE SET updated_at = EXCLUDED.updated_at, data = EXCLUDED.data`,
  getPolicy: "SELECT data FROM feedback_policies WHERE env_id = $1",

  upsertAllowedOrigins: `INSERT INTO allowed_origins (env_id, updated_at, data)
    VALUES ($1, ${toTimestamp("$2")}, $3::jsonb)
    ON CONFLICT (env_id) DO UPDATE SET updated_at = EXCLUDED.updated_at, data = EXCLUDED.data`,
  getAllowedOrigins: "SELECT data FROM allowed_origins WHERE env_id = $1",

  // Waits for a concurrent claim of the same key to commit or roll back, then inserts or not.
  claimIdempotency: `INSERT INTO idempotency (env_id, key, type, record_id, created_at, digest)
    VALUES ($1, $2, $3, $4, ${toTimestamp("$5")}, $6) ON CONFLICT (env_id, key) DO NOTHING`,
  getIdempotency:
    "SELECT type, record_id AS id, digest FROM idempotency WHERE env_id = $1 AND key = $2",

  getResponse: "SELECT data FROM responses WHERE env_id = $1 AND id = $2",
  lockResponse: "SELECT data FROM responses WHERE env_id = $1 AND id = $2 FOR UPDATE",
  getLoop: "SELECT data FROM loops WHERE env_id = $1 AND id = $2",
  lockLoop: "SELECT data FROM loops WHERE env_id = $1 AND id = $2 FOR UPDATE",
  lockLoopBySource: `SELECT data FROM loops
    WHERE env_id = $1 AND source_kind = $2 AND source_id = $3 FOR UPDATE`,
  getLoopMeta: "SELECT meta FROM loops WHERE env_id = $1 AND id = $2",
  // Serialises readers of one respondent's history until their transactions end; a hash
  // collision only makes two respondents wait for each other.
  lockRespondent: "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))",
  putRiskSignal: `INSERT INTO risk_signals (env_id, customer_id, loop_id, at, reason)
    VALUES ($1, $2, $3, ${toTimestamp("$4")}, $5) ON CONFLICT (env_id, loop_id, reason) DO NOTHING`,
  scoreHistory: `SELECT id AS "loopId", (extract(epoch from opened_at) * 1000)::float8 AS t, score,
      segment FROM loops
    WHERE env_id = $1 AND respondent_id = $2 AND score_type = $3 ORDER BY opened_at, id`,
  lockClosureNotice: "SELECT data FROM closure_notices WHERE env_id = $1 AND id = $2 FOR UPDATE",
  closuresForRespondent: `SELECT data FROM closure_notices
    WHERE env_id = $1 AND respondent_id = $2 ORDER BY created_at, id`,
  closuresForAnonymous: `SELECT data FROM closure_notices
    WHERE env_id = $1 AND anonymous_id = $2 ORDER BY created_at, id`,
} as const;

const names = new Map<string, string>();

/** Runs `text` as a named (prepared-once-per-connection) statement. */
export function run<R extends QueryResultRow>(
  db: Pool | PoolClient,
  text: string,
  values: unknown[] = [],
): Promise<QueryResult<R>> {
  let name = names.get(text);
  if (name === undefined) {
    name = `closeloop_${names.size + 1}`;
    names.set(text, name);
  }
  return db.query<R>({ name, text, values });
}

/** The `column` of the first row, or `undefined`. */
export async function one<T>(
  db: Pool | PoolClient,
  text: string,
  values: unknown[],
  column = "data",
): Promise<T | undefined> {
  const { rows } = await run<Record<string, unknown>>(db, text, values);
  const row = rows[0];
  return row === undefined ? undefined : postgresRows.document<T>(row, column);
}

/** The `column` of every row. */
export async function all<T>(
  db: Pool | PoolClient,
  text: string,
  values: unknown[],
  column = "data",
): Promise<T[]> {
  const { rows } = await run<Record<string, unknown>>(db, text, values);
  return rows.map((row) => postgresRows.document<T>(row, column));
}
