// How background work (webhook delivery, the SLA sweeper) waits after its store fails: while a
// database is down, a fleet of collectors asks it ever less often, and each resumes on its own
// within the cap once it is back (docs/stores.md, Outages and timeouts).

/** The longest wait between two tries of background work whose store keeps failing. */
export const STORE_BACKOFF_CAP_MS = 30_000;

/**
 * The wait before the next try after `failures` failures in a row: `baseMs`, doubled with each
 * further failure, up to `capMs`.
 *
 * @example
 * backoffDelay(1, 1000, 30_000); // 1000
 * backoffDelay(4, 1000, 30_000); // 8000
 */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  const doublings = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(capMs, baseMs * 2 ** doublings);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
