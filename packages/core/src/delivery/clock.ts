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
  /** Like the global one: a handle that already fired, or `undefined`, is ignored. */
  clearTimeout(handle: TimerHandle): void;
  /** Lets the process exit while this timer waits (background retries); a no-op where there is no such notion. */
  unref?(handle: TimerHandle): void;
}

// Core is compiled without DOM or Node types; both environments have these timers.
interface GlobalTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
/**
 * `globalThis` with the timers typed, for this file and the HTTP transport: one module-level
 * name for both, since each takes a top-level name of its own in a bundle (docs/size.md).
 */
export const timers = globalThis as unknown as GlobalTimers;

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => timers.setTimeout(fn, ms),
  clearTimeout: (handle) => timers.clearTimeout(handle),
  unref: (handle) => (handle as { unref?: () => void }).unref?.(),
};
