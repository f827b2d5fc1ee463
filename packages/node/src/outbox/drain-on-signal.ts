import type { Outbox } from "@closeloop/core";

/** Options of {@link drainOnSignal}. */
export interface DrainOnSignalOptions {
  /** Signals to drain on. Default `["SIGTERM", "SIGINT"]`. */
  signals?: NodeJS.Signals[];
  /** Longest time to spend delivering before the process goes on dying. Default 5,000 ms. */
  timeoutMs?: number;
  /** Told how it went, e.g. to log `remaining` items left on disk for the next start. */
  onDrained?: (result: { signal: NodeJS.Signals; remaining: number }) => void;
}

/**
 * Opt-in graceful shutdown: on SIGTERM (or the signals named), closes the outbox — delivering
 * what waits, for up to `timeoutMs` — and then lets the signal take its course, as if this
 * handler had not been there. Opt-in because a library must not decide how a host process dies;
 * without it, items simply wait in the file store for the next start. Returns the function that
 * removes the handlers.
 *
 * @example
 * const outbox = createOutbox({ store: await fileQueueStore({ dir: ".closeloop", fsync: "batch", maxBytes: 1 << 30 }), transport });
 * drainOnSignal(outbox, { timeoutMs: 10_000 });
 */
export function drainOnSignal(outbox: Outbox, options: DrainOnSignalOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const timeoutMs = options.timeoutMs ?? 5_000;
  let draining = false;
  const handler = (signal: NodeJS.Signals) => {
    if (draining) return; // a second signal while draining changes nothing; the timeout bounds it
    draining = true;
    void outbox
      .close({ timeoutMs })
      .catch(() => ({ remaining: -1 }))
      .then(({ remaining }) => {
        try {
          options.onDrained?.({ signal, remaining });
        } finally {
          remove();
          // Re-raised with our handler gone: the default action, or the host's own handlers.
          process.kill(process.pid, signal);
        }
      });
  };
  const remove = () => {
    for (const s of signals) process.off(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return remove;
}
