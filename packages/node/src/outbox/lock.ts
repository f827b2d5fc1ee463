import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { QueueLockedError } from "./errors.js";

/** Directories locked by this process: the pid in the file cannot tell two stores of one process apart. */
const held = new Set<string>();

interface Owner {
  pid: number;
  host: string;
  token: string;
}

/** A held queue-directory lock. */
export interface DirLock {
  release(): void;
}

function readOwner(path: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, "utf8")) as Partial<Owner>;
    if (Number.isSafeInteger(o.pid) && (o.pid as number) > 0 && typeof o.host === "string") {
      return { pid: o.pid as number, host: o.host, token: String(o.token) };
    }
  } catch {}
  return undefined;
}

function isAlive(o: Owner): boolean {
  if (o.host !== hostname()) return true; // another machine sharing the disk: cannot tell, so assume so
  // Our own pid but not in `held`: a previous run that had the same pid (containers start at 1).
  if (o.pid === process.pid) return false;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by another user
  }
}

/**
 * Takes `dir/lock`, or throws `QueueLockedError`. The file is written whole under a temporary
 * name and then hard-linked into place, so `lock` never exists half-written: link fails if it
 * exists, which makes taking it atomic. A lock whose process is dead (or unreadable: a crash
 * before the disk kept its bytes) is stale and taken over by an atomic rename.
 */
export function acquireLock(dir: string): DirLock {
  const key = realpathSync(dir);
  if (held.has(key)) {
    throw new QueueLockedError(dir, process.pid, "by another store in this process");
  }
  const path = join(dir, "lock");
  const me: Owner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex") };
  const tmp = join(dir, `lock.${me.pid}.${me.token}.tmp`);
  const fd = openSync(tmp, "wx");
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  try {
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readOwner(path);
      if (owner && isAlive(owner)) {
        throw new QueueLockedError(dir, owner.pid, `by process ${owner.pid} on ${owner.host}`);
      }
      renameSync(tmp, path);
      // Best effort against two processes taking over one stale lock in the same instant: the
      // later rename wins, and the earlier one notices if it reads after it.
      if (readOwner(path)?.token !== me.token) {
        throw new QueueLockedError(dir, readOwner(path)?.pid, "by a process that took it over");
      }
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {}
  }
  held.add(key);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(key);
      if (readOwner(path)?.token === me.token) unlinkSync(path);
    },
  };
}
