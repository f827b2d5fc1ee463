import type { ClosureNotice, FeedbackPolicy, Loop, Survey } from "@closeloop/core";
import { canonicalJson, ms } from "../columns.js";
import { listLoopsSql } from "../loop-query.js";
import { type MetricsRow, metricsReport } from "../metrics-report.js";
import { environmentRow, keyRow } from "../records.js";
import { guardReentry } from "../reentry.js";
import { whileLive } from "../tx-lifetime.js";
import type { CollectorStore, Environment, KeyRecord, StoredResponse } from "../types.js";
import { batchedPostgresTx, ClaimRaceError } from "./batched-tx.js";
import { postgresDesk } from "./desk.js";
import { postgresDialect } from "./dialect.js";
import { applyMigrations } from "./migrate.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, openPool } from "./pool.js";
import { all, one, rowWrites, run, storeSql } from "./queries.js";
import { inTransaction } from "./transaction.js";
import { postgresWebhooks } from "./webhooks.js";

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The schema the tables live in, created by `migrate()` if missing; default `public`. Lower-case
   * letters, digits and `_`. Lets several deployments (or test runs) share one database.
   */
  schema?: string;
  /** Connections in the pool; default 10. */
  max?: number;
  /**
   * How long getting a connection may take, in ms, whether opening one or waiting for a busy
   * pool to free one; past it the call rejects (the collector answers 503). Default 5000.
   */
  connectTimeoutMs?: number;
  /**
   * How long one statement may run, in ms, before the server cancels it (the client gives up
   * `connectTimeoutMs` later on a server that cannot answer at all). Default 30000.
   */
  statementTimeoutMs?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
/** How often a transaction runs when concurrent claims keep taking its new keys. */
const CLAIM_RACE_ATTEMPTS = 5;

/**
 * The collector's store on PostgreSQL through a `pg` pool: for more than one collector. Any number
 * of collectors may share one database: `migrate()` serialises on an advisory lock, transactions
 * lock the rows they read (`SELECT … FOR UPDATE`), and idempotency claims resolve to one winner
 * (`INSERT … ON CONFLICT DO NOTHING`, then the winner is read).
 *
 * Reads outside a transaction run on any pooled connection and see committed data only.
 * Documents are stored as jsonb, which cannot hold U+0000 or unpaired surrogates: a write of a
 * string containing one rejects (validate input before it reaches the store).
 *
 * @example
 * const store = postgresStore("postgres://closeloop@db:5432/closeloop", { max: 20 });
 * await store.migrate();
 * const collector = createCollector({ store, ... });
 */
export function postgresStore(url: string, options: PostgresStoreOptions = {}): CollectorStore {
  const schema = options.schema ?? "public";
  if (!SCHEMA.test(schema)) {
    throw new RangeError(`schema must match ${SCHEMA}, got ${JSON.stringify(schema)}`);
  }
  const pool = openPool(url, {
    schema,
    max: options.max ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  });

  return guardReentry({
    kind: "postgres",
    webhooks: postgresWebhooks(pool),
    ...postgresDesk(pool),

    async migrate() {
      await applyMigrations(pool, schema);
    },
    async ping() {
      await pool.query(storeSql.ping);
    },
    close: () => pool.end(),

    // Writes are held back and sent per table before COMMIT (batched-tx.ts). A batch whose new
    // key another collector claimed meanwhile runs again, and then finds that claim.
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        let live = true;
        try {
          return await inTransaction(pool, async (client) => {
            const tx = batchedPostgresTx(whileLive("postgres", client, () => live));
            const result = await fn(tx);
            await tx.flush();
            return result;
          });
        } catch (error) {
          if (!(error instanceof ClaimRaceError) || attempt >= CLAIM_RACE_ATTEMPTS) throw error;
        } finally {
          live = false;
        }
      }
    },

    async createEnvironment(env: Environment) {
      await run(
        pool,
        rowWrites.insertEnvironment.text,
        rowWrites.insertEnvironment.values(environmentRow(env)),
      );
    },
    // The lock is transaction-scoped and keyed by the schema: collectors starting together queue
    // on it, and each after the first finds the environment the first one committed.
    createFirstEnvironment: (env, keys) =>
      inTransaction(pool, async (client) => {
        await run(client, storeSql.lockFirstStart, [schema]);
        const first = await one<Environment>(client, storeSql.listEnvironments, []);
        if (first) return first;
        const row = rowWrites.insertEnvironment;
        await run(client, row.text, row.values(environmentRow(env)));
        for (const key of keys) {
          await run(client, rowWrites.insertKey.text, rowWrites.insertKey.values(keyRow(key)));
        }
        return env;
      }),
    listEnvironments: () => all<Environment>(pool, storeSql.listEnvironments, []),
    async addKey(key: KeyRecord) {
      await run(pool, rowWrites.insertKey.text, rowWrites.insertKey.values(keyRow(key)));
    },
    findKey: (hash) => one<KeyRecord>(pool, storeSql.findKey, [hash]),
    listKeys: (envId) =>
      envId === undefined
        ? all<KeyRecord>(pool, storeSql.listKeys, [])
        : all<KeyRecord>(pool, storeSql.listEnvKeys, [envId]),
    async revokeKey(id, at) {
      await run(pool, storeSql.revokeKey, [id, ms(at), at]);
    },

    async publishSurvey(envId, survey, at) {
      return inTransaction(pool, async (client) => {
        await run(client, storeSql.lockSurvey, [envId, survey.id]);
        const existing = await one<Survey>(
          client,
          storeSql.surveyVersion,
          [envId, survey.id, survey.version],
          "definition",
        );
        if (existing !== undefined) {
          return canonicalJson(existing) === canonicalJson(survey) ? "unchanged" : "conflict";
        }
        const latest = await one<number | null>(
          client,
          storeSql.latestSurveyVersion,
          [envId, survey.id],
          "version",
        );
        await run(client, storeSql.insertSurvey, [
          envId,
          survey.id,
          survey.version,
          ms(at),
          JSON.stringify(survey),
        ]);
        // Versions only move forward: an older version published late is kept, not activated.
        if (latest === null || latest === undefined || survey.version > latest) {
          await run(client, storeSql.deactivateSurvey, [envId, survey.id]);
          await run(client, storeSql.activateSurvey, [envId, survey.id, survey.version]);
        }
        return "published" as const;
      });
    },
    activeSurveys: (envId) => all<Survey>(pool, storeSql.activeSurveys, [envId], "definition"),
    getSurvey: (envId, id, version) =>
      one<Survey>(pool, storeSql.surveyVersion, [envId, id, version], "definition"),
    async setFeedbackPolicy(envId, policy, at) {
      await run(pool, storeSql.upsertPolicy, [envId, ms(at), JSON.stringify(policy)]);
    },
    getFeedbackPolicy: (envId) => one<FeedbackPolicy>(pool, storeSql.getPolicy, [envId]),
    async setAllowedOrigins(envId, origins, at) {
      await run(pool, storeSql.upsertAllowedOrigins, [envId, ms(at), JSON.stringify(origins)]);
    },
    getAllowedOrigins: (envId) => one<string[]>(pool, storeSql.getAllowedOrigins, [envId]),

    getLoop: (envId, id) => one<Loop>(pool, storeSql.getLoop, [envId, id]),
    async listLoops(envId, filter, page) {
      const values: (string | number)[] = [];
      const param = (v: string | number) => `$${values.push(v)}`;
      const sql = listLoopsSql(envId, filter, page, postgresDialect(param));
      const loops = await all<Loop>(pool, sql, values);
      if (loops.length <= page.limit) return { loops };
      loops.length = page.limit;
      return { loops, next: (loops[loops.length - 1] as Loop).id };
    },
    closures: (envId, respondent) =>
      "id" in respondent
        ? all<ClosureNotice>(pool, storeSql.closuresForRespondent, [envId, respondent.id])
        : all<ClosureNotice>(pool, storeSql.closuresForAnonymous, [envId, respondent.anonymousId]),
    getResponse: (envId, id) => one<StoredResponse>(pool, storeSql.getResponse, [envId, id]),
    // One connection, one snapshot: the statements agree with each other under concurrent
    // ingest, and a dashboard's poll takes one pooled connection, not seven.
    async metrics(envId, query, options) {
      return inTransaction(
        pool,
        (client) => {
          // One connection runs one statement at a time: the report's statements queue here
          // rather than in pg, which deprecates queueing on a busy client. After a failure the
          // rest fail too, without running on a connection that is being given back.
          let queue: Promise<unknown> = Promise.resolve();
          return metricsReport(
            envId,
            query,
            (build) => {
              const values: (string | number)[] = [];
              const param = (v: string | number) => `$${values.push(v)}`;
              const sql = build(postgresDialect(param));
              const rows = queue.then(
                async () => (await client.query<MetricsRow>(sql, values)).rows,
              );
              queue = rows;
              return rows;
            },
            options,
          );
        },
        // No JIT: the customer-value lookup's estimate puts a 30-day report past
        // jit_above_cost at 100,000 loops, and compiling took longer (25–40 ms) than the
        // statement ran without it (30 ms; docs/benchmarks.md).
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off",
      );
    },
  });
}
