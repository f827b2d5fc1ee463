import type { ClosureNotice, FeedbackPolicy, Loop, Survey } from "@closeloop/core";
import type Database from "better-sqlite3";
import { canonicalJson, ms } from "../columns.js";
import { listLoopsSql } from "../loop-query.js";
import { type MetricsRow, metricsReport } from "../metrics-report.js";
import { betterSqlite3 } from "../native.js";
import { environmentRow, keyRow } from "../records.js";
import { guardReentry, type StoreMethod } from "../reentry.js";
import { fullAsStoreFull } from "../store-full.js";
import { whileLive } from "../tx-lifetime.js";
import type { CollectorStore, Environment, KeyRecord, StoredResponse } from "../types.js";
import { sqliteDesk } from "./desk.js";
import { sqliteDialect } from "./dialect.js";
import { groupCommit } from "./group.js";
import { type Locked, transactionWithWriterThread } from "./ingest-path.js";
import { applyMigrations } from "./migrate.js";
import { createMutex } from "./mutex.js";
import { all, one } from "./rows.js";
import { prepared, storeSql } from "./statements.js";
import { sqliteTx } from "./tx.js";
import { sqliteWebhooks } from "./webhooks.js";
import { createWriteTurns } from "./write-turns.js";
import { startWriterThread, type WriterThread } from "./writer-thread.js";

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * How long a write waits for another process holding the file's write lock (for example
   * `closeloop keys` while a collector runs), in ms. Default 5000.
   */
  busyTimeoutMs?: number;
  /**
   * The largest the database file may grow, in bytes (rounded down to whole pages). A write that
   * would pass it is refused with a `StoreFullError`, as on a full disk: the collector answers
   * 503 `store_full`, reads keep working. Default: no limit but the disk's.
   */
  maxBytes?: number;
  /**
   * Whether batches of new responses and feedback are written by a thread of their own while the
   * next batch is checked on the main thread (docs/stores.md, Ingest on a writer thread). Default
   * true for a file; an in-memory database has none.
   */
  writerThread?: boolean;
}

function connect(path: string, busyTimeoutMs: number, fileMustExist = false): Database.Database {
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  const db = new (betterSqlite3())(path, { fileMustExist });
  // PRAGMAs take no bound parameters; the one interpolated value was checked above.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma("journal_mode = WAL");
  // WAL + NORMAL: a commit is durable once the WAL is synced at checkpoint; a power cut may lose
  // the last commits but never corrupts the file.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/** Caps the file at `maxBytes` (whole pages): SQLite answers SQLITE_FULL past it. */
function limitSize(db: Database.Database, maxBytes: number): void {
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  // PRAGMAs take no bound parameters; the value is an integer computed here.
  db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`);
}

const isMemory = (path: string) => path === "" || path === ":memory:";

/** The reads, which queue behind the writer when the database is in memory. */
const READS: readonly StoreMethod[] = [
  "listEnvironments",
  "findKey",
  "listKeys",
  "activeSurveys",
  "getSurvey",
  "getFeedbackPolicy",
  "getAllowedOrigins",
  "getLoop",
  "listLoops",
  "closures",
  "getResponse",
  "metrics",
  "listDeskUsers",
  "findDeskUser",
  "deskSession",
  "inbox",
  "countInbox",
  "deskLoop",
];

/**
 * The collector's embedded store: one SQLite file (WAL) through better-sqlite3.
 *
 * Writes (every `transaction` and every write method) run one at a time on a writer connection,
 * queued in-process and inside `BEGIN IMMEDIATE`. Transactions that queue up together share one
 * `BEGIN IMMEDIATE … COMMIT` (group commit: one WAL write for all of them), each `fn` in its own
 * `SAVEPOINT`, one after another: a `fn`'s writes are still all or nothing, a rejection rolls back
 * that `fn` alone (and rejects at once), and the others resolve once the shared COMMIT is done —
 * so a `fn` must not wait for another transaction to settle. Reads outside a transaction go to a
 * second, read-only connection: WAL gives each read a snapshot of committed data, so they never
 * see a transaction that is still open or that rolls back, and never wait for one. (An in-memory
 * database has one connection; its reads queue behind writes instead.)
 *
 * On a file, a batch of new responses and feedback (`POST /v1/batch`) is checked against
 * committed data and written by a writer thread of its own while the next batch is checked
 * (docs/stores.md, Ingest on a writer thread); `{ writerThread: false }` keeps every write on the
 * one connection.
 *
 * Inside `transaction(fn)`, use the `tx` argument: calling the store's own write methods (or
 * `transaction`) from `fn` would wait for `fn` itself, so it throws instead of deadlocking.
 *
 * @example
 * const store = sqliteStore("closeloop.db");
 * await store.migrate();
 * const collector = createCollector({ store, ... });
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): CollectorStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const writer = connect(path, busyTimeoutMs);
  if (options.maxBytes !== undefined) limitSize(writer, options.maxBytes);
  const reader = isMemory(path) ? undefined : connect(path, busyTimeoutMs, true);
  reader?.pragma("query_only = ON");
  const w = prepared(writer);
  const r = reader ? prepared(reader) : w;
  // With a writer thread, every section on the writer connection first takes its turn at the
  // file's write lock, so the event loop never stops to wait for the thread's.
  const threadOn = reader !== undefined && options.writerThread !== false;
  const turns = threadOn ? createWriteTurns() : undefined;
  const mutex = createMutex();
  const queue: typeof mutex = turns
    ? (section) => mutex(() => turns.main(async () => section()))
    : mutex;
  const group = groupCommit(writer, queue);
  /** Any section but a transaction: it closes the open group so that it runs after it. */
  const exclusive: typeof queue = (section) => {
    group.seal();
    return queue(section);
  };
  /** A write: queued behind any open transaction, atomic on its own. */
  const write = async <T>(body: () => T): Promise<T> =>
    exclusive(() => writer.transaction(body).immediate()).catch((e: unknown) => {
      throw fullAsStoreFull(e);
    });
  /** A read of committed data. */
  const read = async <T>(body: () => T): Promise<T> => (reader ? body() : exclusive(body));

  const locked: Locked = async (fn) =>
    (await group.run((live) => fn(sqliteTx(whileLive("sqlite", w, live))))) as Awaited<
      ReturnType<typeof fn>
    >;
  // Batches of new responses and feedback are written by a thread of their own (docs/stores.md,
  // Ingest on a writer thread), started at the first: the file is migrated by then. None in
  // memory, where a second connection would open another database.
  let thread: WriterThread | undefined;
  let closed = false;
  const transaction = transactionWithWriterThread(
    [
      "prefetchBatch",
      ...Object.keys(
        sqliteTx(() => {
          throw new Error("never used");
        }),
      ),
    ],
    r,
    () => {
      if (!threadOn || closed || thread?.stopped) return undefined;
      thread ??= startWriterThread(path, {
        busyTimeoutMs,
        ...(turns ? { turns } : {}),
        maxPageCount: writer.pragma("max_page_count", { simple: true }) as number,
      });
      return thread;
    },
    locked,
  );

  /** The last report asked for: the next one starts after it. */
  let reports: Promise<unknown> = Promise.resolve();
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const runReport: CollectorStore["metrics"] = async (envId, query, options) =>
    await read(() =>
      metricsReport(
        envId,
        query,
        async (build) => {
          // Named parameters: a fragment such as the period bounds appears more than once.
          const values: Record<string, string | number> = {};
          const param = (v: string | number) => {
            const name = `p${Object.keys(values).length}`;
            values[name] = v;
            return `@${name}`;
          };
          const sql = build(sqliteDialect(param));
          return r(sql).all(values) as MetricsRow[];
        },
        options,
      ),
    );

  const store: CollectorStore = {
    kind: "sqlite",
    webhooks: sqliteWebhooks(w, r, write),
    ...sqliteDesk(w, r, write, read),

    async migrate() {
      await exclusive(() => applyMigrations(writer, () => new Date().toISOString()));
    },
    async ping() {
      // `SELECT 1` observes no data, so it may run beside an open transaction even in memory.
      r(storeSql.ping).get();
    },
    async close() {
      closed = true;
      await thread?.close();
      await exclusive(() => {
        reader?.close();
        writer.close();
      });
    },

    async transaction(fn) {
      try {
        return await transaction(fn);
      } catch (e) {
        throw fullAsStoreFull(e);
      }
    },

    createEnvironment: (env: Environment) =>
      write(() => {
        w(storeSql.insertEnvironment).run(environmentRow(env));
      }),
    // Read and written on the writer inside BEGIN IMMEDIATE: the file's write lock keeps another
    // process starting on the same file from creating a second environment meanwhile.
    createFirstEnvironment: (env, keys) =>
      write(() => {
        const first = one<Environment>(w(storeSql.listEnvironments), []);
        if (first) return first;
        w(storeSql.insertEnvironment).run(environmentRow(env));
        for (const key of keys) w(storeSql.insertKey).run(keyRow(key));
        return env;
      }),
    listEnvironments: () => read(() => all<Environment>(r(storeSql.listEnvironments), [])),
    addKey: (key: KeyRecord) =>
      write(() => {
        w(storeSql.insertKey).run(keyRow(key));
      }),
    findKey: (hash) => read(() => one<KeyRecord>(r(storeSql.findKey), [hash])),
    listKeys: (envId) =>
      read(() =>
        envId === undefined
          ? all<KeyRecord>(r(storeSql.listKeys), [])
          : all<KeyRecord>(r(storeSql.listEnvKeys), [envId]),
      ),
    revokeKey: (id, at) =>
      write(() => {
        w(storeSql.revokeKey).run({ id, at: ms(at), iso: at });
      }),

    publishSurvey: (envId, survey, at) =>
      write(() => {
        const existing = one<Survey>(
          w(storeSql.surveyVersion),
          [envId, survey.id, survey.version],
          "definition",
        );
        if (existing !== undefined) {
          return canonicalJson(existing) === canonicalJson(survey) ? "unchanged" : "conflict";
        }
        const latest = w(storeSql.latestSurveyVersion).get(envId, survey.id) as {
          version: number | null;
        };
        w(storeSql.insertSurvey).run(
          envId,
          survey.id,
          survey.version,
          ms(at),
          JSON.stringify(survey),
        );
        // Versions only move forward: an older version published late is kept, not activated.
        if (latest.version === null || survey.version > latest.version) {
          w(storeSql.deactivateSurvey).run(envId, survey.id);
          w(storeSql.activateSurvey).run(envId, survey.id, survey.version);
        }
        return "published" as const;
      }),
    activeSurveys: (envId) =>
      read(() => all<Survey>(r(storeSql.activeSurveys), [envId], "definition")),
    getSurvey: (envId, id, version) =>
      read(() => one<Survey>(r(storeSql.surveyVersion), [envId, id, version], "definition")),
    setFeedbackPolicy: (envId, policy, at) =>
      write(() => {
        w(storeSql.upsertPolicy).run(envId, ms(at), JSON.stringify(policy));
      }),
    getFeedbackPolicy: (envId) => read(() => one<FeedbackPolicy>(r(storeSql.getPolicy), [envId])),
    setAllowedOrigins: (envId, origins, at) =>
      write(() => {
        w(storeSql.upsertAllowedOrigins).run(envId, ms(at), JSON.stringify(origins));
      }),
    getAllowedOrigins: (envId) => read(() => one<string[]>(r(storeSql.getAllowedOrigins), [envId])),

    getLoop: (envId, id) => read(() => one<Loop>(r(storeSql.getLoop), [envId, id])),
    listLoops: (envId, filter, page) =>
      read(() => {
        const values: (string | number)[] = [];
        const bind = (v: string | number) => {
          values.push(v);
          return "?";
        };
        const sql = listLoopsSql(envId, filter, page, sqliteDialect(bind));
        const loops = all<Loop>(r(sql), values);
        if (loops.length <= page.limit) return { loops };
        loops.length = page.limit;
        return { loops, next: (loops[loops.length - 1] as Loop).id };
      }),
    closures: (envId, respondent) =>
      read(() =>
        "id" in respondent
          ? all<ClosureNotice>(r(storeSql.closuresForRespondent), [envId, respondent.id])
          : all<ClosureNotice>(r(storeSql.closuresForAnonymous), [envId, respondent.anonymousId]),
      ),
    getResponse: (envId, id) =>
      read(() => one<StoredResponse>(r(storeSql.getResponse), [envId, id])),
    // A report's statements run back to back, in one synchronous block: no write comes between
    // them, so they agree with each other. Reports run one at a time, each on an event-loop turn
    // of its own, so the desk's dozen weekly reports never hold the process longer than one
    // report (docs/desk.md): reports that all waited for the same `setImmediate` would run in
    // one turn, back to back, with no request answered between them.
    metrics: (envId, query, options) => {
      const report = reports.then(() => nextTurn()).then(() => runReport(envId, query, options));
      reports = report.catch(() => {});
      return report;
    },
  };
  // Without a second connection reads queue behind the writer too, so they are refused as well.
  return guardReentry(store, reader ? [] : READS);
}
