import type { FlushLock } from "@closeloop/core";

/** Options of {@link flushLock}. */
export interface FlushLockOptions {
  /**
   * Without Web Locks, how long a lease in localStorage lasts unless renewed; a tab that dies
   * holding it blocks the others this long at most. Default 10,000 ms.
   */
  leaseMs?: number;
}

/**
 * "One tab flushes at a time": a lock shared by the tabs of an origin under `name`. Uses Web
 * Locks, released by the browser even when a tab crashes; without them, a lease in localStorage
 * (`closeloop-lock:<name>`) that the holder renews and that others take over once it expires.
 * Two tabs sending at once would only be wasteful, never wrong: items carry idempotency keys.
 *
 * @example
 * const lock = flushLock("closeloop-flush");
 * const sent = await lock(() => outbox.flush()); // undefined: another tab is flushing
 */
export function flushLock(name: string, options: FlushLockOptions = {}): FlushLock {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) {
    // `request` adopts the callback's promise; the DOM typings do not unwrap it.
    return <T>(fn: () => Promise<T>) =>
      locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<
        T | undefined
      >;
  }

  const leaseMs = options.leaseMs ?? 10_000;
  const key = `closeloop-lock:${name}`;
  const me = Math.random().toString(36).slice(2);
  let held = false;
  const storage = (): Storage | undefined => {
    try {
      return globalThis.localStorage;
    } catch {
      return undefined;
    }
  };
  // The lease is "<owner> <expiry ms>".
  const owner = (): string | undefined => {
    const [who, until] = (storage()?.getItem(key) ?? "").split(" ");
    return Number(until) > Date.now() ? who : undefined;
  };
  const renew = () => {
    try {
      storage()?.setItem(key, `${me} ${Date.now() + leaseMs}`);
    } catch {
      // Storage full: flush anyway, since flushing is what frees it.
    }
  };

  return async (fn) => {
    if (held) return undefined;
    const holder = owner();
    if (holder !== undefined && holder !== me) return undefined;
    // Best effort: a lease reaches other tabs a moment later, so two tabs that start within
    // that moment both flush. Items' idempotency keys make that harmless.
    renew();
    held = true;
    const timer = setInterval(renew, leaseMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
      held = false;
      if (owner() === me) storage()?.removeItem(key);
    }
  };
}
