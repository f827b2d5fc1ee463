import type { FlushLock } from "@closeloop/core";

/**
 * "One tab flushes at a time": a lock shared by the tabs of an origin under `name`, through Web
 * Locks, which the browser releases even when a tab crashes. Without Web Locks (browsers before
 * Safari 15.4), only one call at a time runs within this page, and two tabs may both send the
 * same items: harmless, since items carry idempotency keys and the collector answers the
 * second `duplicate`.
 *
 * @example
 * const lock = flushLock("closeloop-flush");
 * const sent = await lock(() => outbox.flush()); // undefined: another tab is flushing
 */
export function flushLock(name: string): FlushLock {
  const web = webLock(name);
  if (web) return web;
  let held = false;
  return async (fn) => {
    if (held) return undefined;
    held = true;
    try {
      return await fn();
    } finally {
      held = false;
    }
  };
}

/**
 * The Web Locks half of {@link flushLock}, or `undefined` without Web Locks. The outbox takes
 * this one: its flush is single-flight within the page already, so without Web Locks it needs
 * no lock at all, and the capture-only bundle carries no in-page lock (docs/size.md).
 */
export function webLock(name: string): FlushLock | undefined {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  // `request` adopts the callback's promise; the DOM typings do not unwrap it.
  return (
    locks &&
    (<T>(fn: () => Promise<T>) =>
      locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<
        T | undefined
      >)
  );
}
