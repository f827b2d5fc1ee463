import { MinHeap } from "../heap.js";
import type { Loop } from "../schemas/loop.js";
import { type DeadlineKind, pendingDeadlines } from "./deadlines.js";

/** A deadline that has come due. */
export interface DueDeadline {
  loopId: string;
  deadline: DeadlineKind;
  /** When it was due (ISO-8601). */
  due: string;
}

interface Entry {
  due: number;
  loopId: string;
  deadline: DeadlineKind;
  version: number;
}

/**
 * Tracks loops' pending SLA deadlines and yields those that come due as time passes. Each
 * deadline is yielded once. `schedule` and each yielded deadline cost O(log n).
 */
export interface LoopClock {
  /** Adds or updates a loop (call again after each transition); met deadlines are dropped. */
  schedule(loop: Loop): void;
  /** Stops tracking a loop. */
  remove(loopId: string): void;
  /** Removes and returns every deadline due at or before `now`, earliest first. */
  due(now: Date): DueDeadline[];
  /** The earliest pending deadline, to know when to wake next. */
  next(): DueDeadline | undefined;
  /** Number of loops tracked. */
  readonly size: number;
}

/**
 * Creates a `LoopClock`: a min-heap of deadlines with lazy invalidation, so an update is one
 * push and stale entries are skipped (and compacted when they outnumber live ones).
 *
 * @example
 * const clock = createLoopClock();
 * clock.schedule(loop);
 * for (const d of clock.due(new Date())) emit("loop:breached", d);
 */
export function createLoopClock(): LoopClock {
  const heap = new MinHeap<Entry>((a, b) => a.due < b.due);
  const versions = new Map<string, number>();
  // When each tracked loop's deadlines were yielded, so rescheduling does not yield them again.
  const fired = new Map<string, Partial<Record<DeadlineKind, number>>>();
  let counter = 0;
  const live = (e: Entry) => versions.get(e.loopId) === e.version;
  const compact = () => {
    if (heap.size > 64 && heap.size > 2 * versions.size) heap.retain(live);
  };
  const toDue = (e: Entry): DueDeadline => ({
    loopId: e.loopId,
    deadline: e.deadline,
    due: new Date(e.due).toISOString(),
  });
  const dropStale = () => {
    for (let top = heap.peek(); top && !live(top); top = heap.peek()) heap.pop();
  };
  return {
    schedule(loop) {
      const version = ++counter;
      const pending = pendingDeadlines(loop);
      if (pending.length === 0 || loop.state === "closed") {
        versions.delete(loop.id);
        fired.delete(loop.id);
      } else {
        versions.set(loop.id, version);
        const done = fired.get(loop.id);
        for (const p of pending) {
          if (done?.[p.deadline] === p.due) continue;
          // A literal, not `{ ...p }`: spread-built entries make heap comparisons ~10× slower in V8.
          heap.push({ due: p.due, deadline: p.deadline, loopId: loop.id, version });
        }
      }
      compact();
    },
    remove(loopId) {
      versions.delete(loopId);
      fired.delete(loopId);
      compact();
    },
    due(now) {
      const out: DueDeadline[] = [];
      const t = now.getTime();
      dropStale();
      for (let top = heap.peek(); top && top.due <= t; top = heap.peek()) {
        heap.pop();
        out.push(toDue(top));
        const done = fired.get(top.loopId);
        if (done) done[top.deadline] = top.due;
        else fired.set(top.loopId, { [top.deadline]: top.due });
        dropStale();
      }
      return out;
    },
    next() {
      dropStale();
      const top = heap.peek();
      return top ? toDue(top) : undefined;
    },
    get size() {
      return versions.size;
    },
  };
}
