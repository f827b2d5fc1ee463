import { type Loop, pendingDeadlines } from "@closeloop/core";
import { backoffDelay } from "./backoff.js";
import type { CollectorStore } from "./store/types.js";
import { fireMissedDeadlines } from "./webhook-delivery/breached.js";

/** The first wait after a failed sweep, in ms. */
const FIRST_RETRY_MS = 1_000;

/** Options of {@link startSweeper}. */
export interface SweeperOptions {
  store: CollectorStore;
  /** The time source (epoch ms). Default `Date.now`. */
  now?: () => number;
  /**
   * How often to sweep, in ms. Default 30 s. `0`: never by itself (call `sweepOnce`). After a
   * sweep the store failed, the next comes sooner — 1 s, then doubling up to `intervalMs` — so
   * deadlines missed during a database outage fire soon after it ends.
   */
  intervalMs?: number;
  /** Loops handled per transaction. Default 100. */
  batchSize?: number;
  /** Where unexpected errors (the store) are reported. Default `console.error`. */
  onError?: (error: unknown) => void;
}

/** A running SLA sweeper. */
export interface Sweeper {
  /** Fires every breach due now; answers how many fired. */
  sweepOnce(): Promise<number>;
  /** Stops sweeping and waits for the sweep in flight. */
  stop(): Promise<void>;
}

/**
 * The loop's next deadline to look at once the sweep at `at` has fired what was due: its earliest
 * pending deadline not missed yet (core's `breaches` counts a deadline missed once `at` is past it).
 */
function nextBreachDue(loop: Loop, at: number): string | null {
  const next = pendingDeadlines(loop).find((d) => d.due >= at);
  return next === undefined ? null : new Date(next.due).toISOString();
}

/**
 * Fires each missed deadline once: finds loops whose acknowledge or close deadline (core's
 * `deadlines`) has passed unmet, records the breach (deadline kind and due instant, so a reopened
 * loop's new deadlines fire again, and the same one never twice, across restarts and
 * collectors, nor after a loop transition made past the deadline already fired it) and queues
 * `loop.breached` with `{ loop, breach }` in that same transaction. On PostgreSQL the loops are
 * claimed with `FOR UPDATE SKIP LOCKED`, so sweepers in several collectors share the work.
 */
export async function sweepBreaches(
  store: CollectorStore,
  now: number,
  batchSize = 100,
): Promise<number> {
  const at = new Date(now).toISOString();
  let fired = 0;
  for (;;) {
    const { found, count } = await store.transaction(async (tx) => {
      const due = await tx.dueBreaches(at, batchSize);
      let count = 0;
      for (const { envId, loop } of due) {
        count += await fireMissedDeadlines(tx, envId, loop, at);
        await tx.setBreachDue(envId, loop.id, nextBreachDue(loop, now));
      }
      return { found: due.length, count };
    });
    fired += count;
    // Each loop found now waits for a deadline at or after `now`, so the next statement cannot
    // find it again: a full batch means more may wait.
    if (found < batchSize) return fired;
  }
}

/**
 * Sweeps every `intervalMs`.
 *
 * @example
 * const sweeper = startSweeper({ store });
 * process.on("SIGTERM", () => sweeper.stop());
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 30_000;
  const onError = options.onError ?? ((e) => console.error("closeloop sweeper:", e));
  const sweepOnce = () => sweepBreaches(options.store, now(), options.batchSize ?? 100);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let failures = 0;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    inFlight = sweepOnce().then(
      () => {
        failures = 0;
      },
      (e) => {
        failures += 1;
        onError(e);
      },
    );
    inFlight.then(() => {
      const wait =
        failures === 0
          ? intervalMs
          : backoffDelay(failures, Math.min(FIRST_RETRY_MS, intervalMs), intervalMs);
      if (!stopped) timer = setTimeout(tick, wait);
    });
  };
  if (intervalMs > 0) timer = setTimeout(tick, 0);
  return {
    sweepOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
