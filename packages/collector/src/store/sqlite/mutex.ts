/**
 * Runs async sections one at a time, in call order. better-sqlite3 has one connection and no
 * transaction handles: two interleaved async transactions would share one BEGIN, so the store
 * queues them here instead.
 */
export type Exclusive = <T>(section: () => T | Promise<T>) => Promise<T>;

export function createMutex(): Exclusive {
  let tail: Promise<unknown> = Promise.resolve();
  return (section) => {
    const run = tail.then(section);
    // The next section waits for this one to settle, whatever its outcome.
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}
