/** An opaque timer handle returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

/**
 * The time port: the outbox and the loop sweeper read time and wait through it, so tests can
 * drive them with a fake clock and no real waiting.
 */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// Core is compiled without DOM or Node types; both environments have these timers.
interface GlobalTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const timers = globalThis as unknown as GlobalTimers;

/** The real clock: `Date.now` and the global timers, which don't keep Node's process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = timers.setTimeout(fn, ms) as { unref?: () => void };
    // A pending retry must not keep a Node process from exiting; `close()` drains on purpose.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => timers.clearTimeout(handle),
};
