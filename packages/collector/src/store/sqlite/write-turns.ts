// Turns at a SQLite file's write lock between the store's main connection and its writer thread
// (docs/stores.md, Ingest on a writer thread). better-sqlite3 waits for a busy lock inside the
// call, so a main-thread `BEGIN IMMEDIATE` that met the thread's transaction would stop the event
// loop until it ended. Instead the main side waits here, asynchronously, for the thread's writes
// in flight, and holds the thread's next writes back until its own section is over.

/** Who is at the lock: the main connection's sections, or the writer thread's writes. */
export interface WriteTurns {
  /** Runs a main-connection section once no thread write is in flight; none starts meanwhile. */
  main<T>(section: () => Promise<T>): Promise<T>;
  /** Starts a thread write (`send`) once no main section holds the lock. */
  thread<T>(send: () => Promise<T>): Promise<T>;
}

export function createWriteTurns(): WriteTurns {
  let mainHolds = 0;
  const inFlight = new Set<Promise<unknown>>();
  /** Thread writes waiting for the main side's turn to end, each started by its call. */
  let held: (() => void)[] = [];
  const start = <T>(send: () => Promise<T>): Promise<T> => {
    const sent = send();
    inFlight.add(sent);
    const over = () => inFlight.delete(sent);
    sent.then(over, over);
    return sent;
  };
  return {
    async main<T>(section: () => Promise<T>): Promise<T> {
      mainHolds++;
      try {
        // Writes sent while this one waited are held back, so the wait ends.
        while (inFlight.size > 0) await Promise.allSettled(inFlight);
        return await section();
      } finally {
        mainHolds--;
        if (mainHolds === 0) {
          // The held writes start now, before a main section queued behind this one can look:
          // it waits for them, so neither side starves the other.
          const go = held;
          held = [];
          for (const startHeld of go) startHeld();
        }
      }
    },
    thread<T>(send: () => Promise<T>): Promise<T> {
      if (mainHolds === 0) return start(send);
      return new Promise<T>((resolve, reject) => {
        held.push(() => start(send).then(resolve, reject));
      });
    },
  };
}
