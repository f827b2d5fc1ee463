// Every fixed SQL text of the SQLite store, with named parameters (`@name`) or `?`. Values are
// always bound, never spliced into the text; `prepared` compiles each text once per connection.
import type Database from "better-sqlite3";
import { LOOP_KEYS, RESPONSE_KEYS, type Row, snake } from "../records.js";

/**
 * An upsert by `(env_id, id)` of a row's `keys`, with `?` parameters: better-sqlite3 binds an
 * array by position at about half the cost of an object by name (24 named loop columns cost
 * ≈1.4 µs more per row), and these two run for every ingested response.
 */
function upsert(table: string, keys: readonly string[]) {
  const columns = keys.map(snake);
  const set = columns
    .filter((c) => c !== "env_id" && c !== "id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  const text = `INSERT INTO ${table} (${columns.join(", ")})
    VALUES (${keys.map(() => "?").join(", ")}) ON CONFLICT (env_id, id) DO UPDATE SET ${set}`;
  return { text, values: (row: Row) => keys.map((k) => row[k] ?? null) };
}

/**
 * A loop's insert (a no-op when its id is stored) and its update, apart: only an inserted loop's
 * quote goes into `loop_words` (schema step 10), and only an insert tells its rowid.
 */
function loopWrites() {
  const columns = LOOP_KEYS.map(snake);
  const rest = columns.filter((c) => c !== "env_id" && c !== "id");
  const values = (row: Row) => LOOP_KEYS.map((k) => row[k] ?? null);
  return {
    insert: `INSERT INTO loops (${columns.join(", ")})
      VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT (env_id, id) DO NOTHING`,
    update: `UPDATE loops SET ${rest.map((c) => `${c} = ?`).join(", ")}
      WHERE env_id = ? AND id = ?`,
    values,
    /** The insert's values (env_id and id first) in the update's order (env_id and id last). */
    updateValues: (inserted: readonly unknown[]) => [...inserted.slice(2), ...inserted.slice(0, 2)],
  };
}

/** Statements with a row binder beside their text. */
export const rowUpserts = {
  response: upsert("responses", RESPONSE_KEYS),
  loop: loopWrites(),
};

/** The other statements, by what they do. */
export const storeSql = {
  ping: "SELECT 1",
  insertEnvironment:
    "INSERT INTO environments (id, created_at, data) VALUES (@id, @createdAt, @data)",
  listEnvironments: "SELECT data FROM environments ORDER BY created_at, id",

  insertKey: `INSERT INTO keys (id, env_id, kind, hash, created_at, revoked_at, data)
    VALUES (@id, @envId, @kind, @hash, @createdAt, @revokedAt, @data)`,
  findKey: "SELECT data FROM keys WHERE hash = ?",
  listKeys: "SELECT data FROM keys ORDER BY created_at, id",
  listEnvKeys: "SELECT data FROM keys WHERE env_id = ? ORDER BY created_at, id",
  // The first revocation stands: revoking twice keeps the original instant.
  revokeKey: `UPDATE keys SET revoked_at = @at, data = json_set(data, '$.revokedAt', @iso)
    WHERE id = @id AND revoked_at IS NULL`,

  surveyVersion: "SELECT definition FROM surveys WHERE env_id = ? AND id = ? AND version = ?",
  latestSurveyVersion: "SELECT max(version) AS version FROM surveys WHERE env_id = ? AND id = ?",
  insertSurvey: `INSERT INTO surveys (env_id, id, version, active, published_at, definition)
    VALUES (?, ?, ?, 0, ?, ?)`,
  deactivateSurvey: "UPDATE surveys SET active = 0 WHERE env_id = ? AND id = ? AND active = 1",
  activateSurvey: "UPDATE surveys SET active = 1 WHERE env_id = ? AND id = ? AND version = ?",
  activeSurveys: "SELECT definition FROM surveys WHERE env_id = ? AND active = 1 ORDER BY id",

  upsertPolicy: `INSERT INTO feedback_policies (env_id, updated_at, data) VALUES (?, ?, ?)
    ON CONFLICT (env_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
  getPolicy: "SELECT data FROM feedback_policies WHERE env_id = ?",

  upsertAllowedOrigins: `INSERT INTO allowed_origins (env_id, updated_at, data) VALUES (?, ?, ?)
    ON CONFLICT (env_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
  getAllowedOrigins: "SELECT data FROM allowed_origins WHERE env_id = ?",

  claimIdempotency: `INSERT INTO idempotency (env_id, key, type, record_id, created_at, digest)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (env_id, key) DO NOTHING`,
  getIdempotency:
    "SELECT type, record_id AS id, digest FROM idempotency WHERE env_id = ? AND key = ?",

  getResponse: "SELECT data FROM responses WHERE env_id = ? AND id = ?",

  // Inserted once: a replay of the same id is a no-op, never an error that would fail a batch.
  insertFeedback: `INSERT INTO feedback (env_id, id, channel, customer_id, created_at,
      received_at, data)
    VALUES (@envId, @id, @channel, @customerId, @createdAt, @receivedAt, @data)
    ON CONFLICT (env_id, id) DO NOTHING`,
  insertCustomerEvent: `INSERT INTO customer_events (env_id, id, customer_id, event, value, at,
      data)
    VALUES (@envId, @id, @customerId, @event, @value, @at, @data)
    ON CONFLICT (env_id, id) DO NOTHING`,

  getLoop: "SELECT data FROM loops WHERE env_id = ? AND id = ?",
  getLoopBySource: "SELECT data FROM loops WHERE env_id = ? AND source_kind = ? AND source_id = ?",
  getLoopMeta: "SELECT meta FROM loops WHERE env_id = ? AND id = ?",
  // The desk's search words of a new loop, by its rowid (step 6's index, filled here since step 10).
  loopWords: "INSERT INTO loop_words (rowid, words) VALUES (?, ?)",
  scoreHistory: `SELECT id AS loopId, opened_at AS t, score, segment FROM loops
    WHERE env_id = ? AND respondent_id = ? AND score_type = ? ORDER BY opened_at, id`,

  /** How many answers a respondent's score history holds: it only grows (loops are kept). */
  scoreHistorySize: `SELECT count(*) AS n FROM loops
    WHERE env_id = ? AND respondent_id = ? AND score_type = ?`,

  putRiskSignal: `INSERT INTO risk_signals (env_id, customer_id, loop_id, at, reason)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT (env_id, loop_id, reason) DO NOTHING`,

  putClosureNotice: `INSERT INTO closure_notices (env_id, id, loop_id, respondent_id,
      anonymous_id, created_at, seen_at, data)
    VALUES (@envId, @id, @loopId, @respondentId, @anonymousId, @createdAt, @seenAt, @data)
    ON CONFLICT (env_id, id) DO UPDATE SET loop_id = excluded.loop_id,
      respondent_id = excluded.respondent_id, anonymous_id = excluded.anonymous_id,
      created_at = excluded.created_at, seen_at = excluded.seen_at, data = excluded.data`,
  getClosureNotice: "SELECT data FROM closure_notices WHERE env_id = ? AND id = ?",
  closuresForRespondent: `SELECT data FROM closure_notices WHERE env_id = ? AND respondent_id = ?
    ORDER BY created_at, id`,
  closuresForAnonymous: `SELECT data FROM closure_notices WHERE env_id = ? AND anonymous_id = ?
    ORDER BY created_at, id`,
} as const;

/** A per-connection cache of compiled statements, keyed by their text. */
export type Prepared = (sql: string) => Database.Statement;

export function prepared(db: Database.Database): Prepared {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
