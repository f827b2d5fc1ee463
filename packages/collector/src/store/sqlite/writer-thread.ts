// The ingest writer thread of a SQLite file (docs/stores.md, Ingest on a writer thread). A
// batch's handlers run on the main thread against what the reader connection holds and keep
// their writes; this thread, on a connection of its own, writes them: claims, new responses and
// feedback, new loops with their search words, risk signals, webhook deliveries. A claim, a
// response or a feedback item another writer took in between, a score history that grew (or any
// constraint) sends the batch back, so that it runs again the usual way.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { RESPONSE_KEYS, snake } from "../records.js";
import { rowUpserts, storeSql } from "./statements.js";
import { webhookSql } from "./webhooks.js";
import type { WriteTurns } from "./write-turns.js";

/** One write: which statement, its parameters, and (loops) the search words of a new loop. */
export type WriteOp =
  | ["claim", unknown[]]
  | ["response", unknown[]]
  | ["feedback", Record<string, unknown>]
  | ["loop", unknown[], string | null]
  | ["risk", unknown[]]
  | ["delivery", unknown[]]
  /** A check, not a write: the respondent's score history holds this many answers. */
  | ["history", unknown[], number];

/** How a batch's writes ended: written, sent back (`race`), or failed with SQLite's error. */
export type WriteOutcome =
  | { written: true }
  | { written: false; race: true }
  | { written: false; race: false; error: Error & { code?: string } };

/** A response's row, written only when no response has its id (the batch read none). */
const insertResponse = `INSERT INTO responses (${RESPONSE_KEYS.map(snake).join(", ")})
  VALUES (${RESPONSE_KEYS.map(() => "?").join(", ")}) ON CONFLICT (env_id, id) DO NOTHING`;

// CommonJS, evaluated as the worker's code: the package ships ESM and CJS builds, and a script
// of our own would need a path that works in both.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
if (workerData.maxPageCount) db.pragma("max_page_count = " + workerData.maxPageCount);
const statements = {};
const prepared = (kind) => (statements[kind] ??= db.prepare(workerData.sql[kind]));
let queue = [];
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  queue.push(message);
  // Batches that arrive together share one transaction: one WAL write for all of them.
  if (queue.length === 1) setImmediate(writeQueued);
});
// At most this many batches per transaction: a locked transaction on the main thread waits for
// the thread's writes in flight (write-turns.ts), so they are not let grow long.
const MAX_GROUP = 16;
const failure = (e) => ({ written: false, race: false, error: { message: String(e && e.message), code: e && e.code } });
function writeAll(ops) {
  for (const op of ops) {
    const kind = op[0];
    if (kind === "history") {
      if (prepared(kind).get(op[1]).n !== op[2]) return false;
      continue;
    }
    const done = prepared(kind).run(op[1]);
    if (kind !== "delivery" && done.changes !== 1) return false;
    if (kind === "loop" && op[2] !== null) prepared("words").run(done.lastInsertRowid, op[2]);
  }
  return true;
}
function writeQueued() {
  const group = queue.splice(0, MAX_GROUP);
  if (queue.length > 0) setImmediate(writeQueued);
  const outcomes = [];
  const begin = () => {
    try {
      db.exec("BEGIN IMMEDIATE");
      return undefined;
    } catch (e) {
      return failure(e);
    }
  };
  let broken = begin();
  for (const m of group) {
    if (broken) {
      outcomes.push({ id: m.id, outcome: broken });
      continue;
    }
    db.exec("SAVEPOINT batch");
    let outcome;
    try {
      outcome = writeAll(m.ops) ? { written: true } : { written: false, race: true };
    } catch (e) {
      const constraint = typeof (e && e.code) === "string" && e.code.startsWith("SQLITE_CONSTRAINT");
      outcome = constraint ? { written: false, race: true } : failure(e);
    }
    outcomes.push({ id: m.id, outcome });
    if (db.inTransaction) {
      if (!outcome.written) db.exec("ROLLBACK TO batch");
      db.exec("RELEASE batch");
      continue;
    }
    // SQLite ended the whole transaction: the batches written before this one are gone too.
    const lost = failure(new Error("the transaction was rolled back"));
    for (const o of outcomes) if (o.outcome.written) o.outcome = lost;
    broken = begin();
  }
  if (db.inTransaction) {
    try {
      db.exec("COMMIT");
    } catch (e) {
      if (db.inTransaction) db.exec("ROLLBACK");
      for (const o of outcomes) if (o.outcome.written) o.outcome = failure(e);
    }
  }
  parentPort.postMessage(outcomes);
}
`;

/** The writer thread's side, as the store sees it. */
export interface WriterThread {
  /** Whether the thread has stopped: the store then writes every batch itself. */
  readonly stopped: boolean;
  /** Writes one batch's `ops` in one transaction of their own (shared with batches sent with it). */
  write(ops: readonly WriteOp[]): Promise<WriteOutcome>;
  /** Waits for the writes sent, then closes the thread's connection. */
  close(): Promise<void>;
}

/** Starts the writer thread on the SQLite file at `path` (which must exist and be migrated). */
export function startWriterThread(
  path: string,
  options: { busyTimeoutMs: number; maxPageCount?: number; turns?: WriteTurns },
): WriterThread {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      path,
      busyTimeoutMs: options.busyTimeoutMs,
      maxPageCount: options.maxPageCount,
      sql: {
        claim: storeSql.claimIdempotency,
        response: insertResponse,
        feedback: storeSql.insertFeedback,
        loop: rowUpserts.loop.insert,
        risk: storeSql.putRiskSignal,
        history: storeSql.scoreHistorySize,
        words: storeSql.loopWords,
        delivery: webhookSql.insertDelivery,
      },
    },
  });
  // An idle writer thread does not keep the process alive; one with writes to answer does.
  worker.unref();
  let nextId = 0;
  const waiting = new Map<number, (outcome: WriteOutcome) => void>();
  const failAll = (error: Error) => {
    for (const settle of waiting.values()) settle({ written: false, race: false, error });
    waiting.clear();
  };
  worker.on("message", (outcomes: { id: number; outcome: WriteOutcome }[]) => {
    for (const { id, outcome } of outcomes) {
      const settle = waiting.get(id);
      waiting.delete(id);
      if (!outcome.written && !outcome.race) {
        const { message, code } = outcome.error;
        settle?.({
          written: false,
          race: false,
          error: Object.assign(new Error(message), code ? { code } : {}),
        });
      } else {
        settle?.(outcome);
      }
    }
    if (waiting.size === 0) worker.unref();
  });
  let stopped = false;
  worker.on("error", (e) => {
    stopped = true;
    failAll(e);
  });
  worker.on("exit", () => {
    stopped = true;
    failAll(new Error("closeloop sqlite store: the writer thread stopped"));
  });
  let closing: Promise<void> | undefined;
  const inFlight = new Set<Promise<WriteOutcome>>();
  return {
    get stopped() {
      return stopped;
    },
    write(ops) {
      if (closing) {
        const error = new Error("closeloop sqlite store: closed");
        return Promise.resolve({ written: false, race: false, error });
      }
      // A thread that stopped (it could not open the file, say) writes nothing more: the batch
      // runs again the usual way.
      if (stopped) return Promise.resolve({ written: false, race: true });
      const send = () =>
        new Promise<WriteOutcome>((resolve) => {
          // It may have stopped while the write was held back.
          if (stopped) return resolve({ written: false, race: true });
          const id = nextId++;
          waiting.set(id, resolve);
          worker.ref();
          worker.postMessage({ id, ops });
        });
      // Held back while the main connection has its turn at the lock (write-turns.ts).
      const written = options.turns ? options.turns.thread(send) : send();
      inFlight.add(written);
      void written.then(() => inFlight.delete(written));
      return written;
    },
    close() {
      closing ??= (async () => {
        // Every write sent is answered before the connection closes.
        await Promise.all(inFlight);
        // A thread that stopped by itself has nothing left to close.
        if (stopped) return;
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        worker.ref();
        worker.postMessage("close");
        await exited;
      })();
      return closing;
    },
  };
}
