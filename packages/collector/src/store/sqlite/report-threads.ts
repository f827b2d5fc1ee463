// The SQLite store's metrics reports, run on worker threads, each with a read connection of its
// own (docs/stores.md). better-sqlite3 answers synchronously, so on the main thread a report holds
// the process while it runs and a dozen of them run one after another; on threads they run side
// by side, on as many cores as there are threads, while the main thread answers requests. In WAL
// mode readers never wait for the writer nor for each other.
import { Worker } from "node:worker_threads";
import { betterSqlite3Path } from "../native.js";

/** One statement of a report: SQL text with named parameters, and their values. */
export interface ReportStatement {
  sql: string;
  values: Record<string, string | number>;
}

/** A statement's rows, as better-sqlite3 answers them. */
export type ReportRows = Record<string, string | number | null>[];

/** Threads that run a report's statements, all in one read transaction. */
export interface ReportThreads {
  /** Starts the threads not running; `ready()` once one of them can take a report. */
  start(): void;
  ready(): boolean;
  /** Runs on the least busy thread that is ready (starting them if need be). */
  run(statements: ReportStatement[]): Promise<ReportRows[]>;
  close(): Promise<void>;
}

// The thread's code, as text: the package has no second entry point to load, and it only opens
// the file and runs what it is sent. A report's statements run in one read transaction, so they
// see one snapshot, as they did back to back on the main thread; each text is prepared once.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
parentPort.postMessage({ ready: true });
const prepared = new Map();
const statement = (sql) => {
  let s = prepared.get(sql);
  if (!s) prepared.set(sql, (s = db.prepare(sql)));
  return s;
};
parentPort.on("message", ({ id, statements }) => {
  try {
    db.exec("BEGIN");
    try {
      parentPort.postMessage({ id, rows: statements.map((s) => statement(s.sql).all(s.values)) });
    } finally {
      db.exec("COMMIT");
    }
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
`;

interface Pending {
  resolve: (rows: ReportRows[]) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: boolean;
}

type Answer = { ready: true } | { id: number; rows: ReportRows[] } | { id: number; error: string };

/**
 * `count` threads reading the SQLite file at `path`. A thread keeps the process alive only while
 * it has a report to answer. One that fails is replaced by the next `start()`; the reports it
 * was running fail.
 */
export function reportThreads(
  path: string,
  options: { count: number; busyTimeoutMs: number },
): ReportThreads {
  const threads: Thread[] = [];
  let nextId = 0;

  const start = (): Thread => {
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: { driver: betterSqlite3Path(), path, busyTimeoutMs: options.busyTimeoutMs },
    });
    const thread: Thread = { worker, pending: new Map(), ready: false };
    const settle = (id: number) => {
      const p = thread.pending.get(id);
      thread.pending.delete(id);
      if (thread.pending.size === 0) worker.unref();
      return p;
    };
    worker.on("message", (answer: Answer) => {
      if ("ready" in answer) {
        thread.ready = true;
        return;
      }
      const p = settle(answer.id);
      if ("error" in answer) p?.reject(new Error(answer.error));
      else p?.resolve(answer.rows);
    });
    const fail = (error: Error) => {
      const i = threads.indexOf(thread);
      if (i >= 0) threads.splice(i, 1);
      for (const id of [...thread.pending.keys()]) settle(id)?.reject(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`SQLite report thread exited (code ${code})`)));
    // After the listeners: adding one refs the thread's port again.
    worker.unref();
    return thread;
  };

  const startAll = () => {
    while (threads.length < options.count) threads.push(start());
  };

  return {
    start: startAll,
    ready: () => threads.some((t) => t.ready),
    run(statements) {
      startAll();
      // The ready thread with the fewest reports in hand takes this one (any, if none is ready:
      // its messages wait for it).
      const candidates = threads.some((t) => t.ready) ? threads.filter((t) => t.ready) : threads;
      const thread = candidates.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.ref();
        thread.worker.postMessage({ id, statements });
      });
    },
    async close() {
      const all = threads.splice(0);
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}
