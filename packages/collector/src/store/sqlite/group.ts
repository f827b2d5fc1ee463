// Group commit for `transaction(fn)` on SQLite. A COMMIT costs the WAL frames of every page the
// transaction dirtied, and batches that write side by side dirty the same b-tree pages: the fns
// queued while another transaction runs share one BEGIN IMMEDIATE … COMMIT, each fn in its own
// SAVEPOINT so that a fn that rejects rolls back only its own writes.

// From node:timers rather than the global, which test fake timers replace: a transaction must
// not wait for a test to advance its clock.
import { setImmediate } from "node:timers";
import type Database from "better-sqlite3";
import type { Exclusive } from "./mutex.js";

/** A queued `fn`, run with a `live` check that turns false once its own part has ended. */
type Work = (live: () => boolean) => Promise<unknown>;

interface Member {
  work: Work;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Fns beyond this many wait for the next group: the first fn's answer waits for the last. */
const MAX_GROUP = 16;

/**
 * `run(work)` queues `work` for the next group. A group starts once the event loop has taken in
 * what it had ready (`setImmediate`), so requests that arrive together commit together; it takes
 * its turn on `exclusive` like any other write, and `seal()` (called before any other write
 * queues) closes the open group, so writes still run in call order.
 */
export function groupCommit(db: Database.Database, exclusive: Exclusive) {
  let open: Member[] | undefined;

  const seal = () => {
    open = undefined;
  };

  const run = (work: Work): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (open && open.length < MAX_GROUP) {
        open.push({ work, resolve, reject });
        return;
      }
      const group: Member[] = [{ work, resolve, reject }];
      open = group;
      const started = new Promise<void>((go) => setImmediate(go));
      exclusive(async () => {
        await started;
        if (open === group) open = undefined;
        await commitGroup(db, group);
      }).catch((error) => {
        // Only the statements around the members land here: undo, settle whoever still waits.
        try {
          if (db.inTransaction) db.exec("ROLLBACK");
        } catch {
          // The connection is gone (closed, or broken): nothing is left to undo.
        }
        for (const member of group) member.reject(error);
      });
    });

  return { run, seal };
}

/**
 * Runs the members one after another in one transaction and settles each once it is decided: a
 * rejected member at once (its savepoint is rolled back), the others after COMMIT. A failure that
 * ends the whole transaction (COMMIT, or an error SQLite answers with a full rollback) fails the
 * members whose writes it took with it; the members not yet run start a transaction of their own.
 */
async function commitGroup(db: Database.Database, group: Member[]): Promise<void> {
  let done: { member: Member; value: unknown }[] = [];
  const fail = (error: unknown) => {
    for (const { member } of done) member.reject(error);
    done = [];
  };
  for (const member of group) {
    if (!db.inTransaction) {
      try {
        db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        member.reject(error);
        continue;
      }
    }
    db.exec("SAVEPOINT member");
    let live = true;
    try {
      const value = await member.work(() => live);
      live = false;
      if (!db.inTransaction) throw new Error("closeloop sqlite store: transaction rolled back");
      db.exec("RELEASE member");
      done.push({ member, value });
    } catch (error) {
      live = false;
      if (db.inTransaction) {
        db.exec("ROLLBACK TO member");
        db.exec("RELEASE member");
      } else {
        // SQLite rolled back the whole transaction: the members before this one lost their writes.
        fail(error);
      }
      member.reject(error);
    }
  }
  if (!db.inTransaction) return;
  try {
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    fail(error);
    return;
  }
  for (const { member, value } of done) member.resolve(value);
}
