/** Numbers the targeting keeps across reloads and tabs: times of shows and answers, sample draws. */
export interface TargetingStorage {
  /** The number under `key`; 0 when there is none. */
  get(key: string): number;
  set(key: string, value: number): void;
}

/**
 * Keeps numbers in `localStorage` under `prefix + key`, read afresh each time so that every tab
 * sees the others' shows, and mirrors them in memory: where storage throws (blocked, Safari's
 * private mode, quota) or loses a write, the page still remembers what it did. Values only grow
 * (times, and draws written once), so the larger of the two copies is the true one. Never throws.
 *
 * @example
 * const storage = targetingStorage(window, "closeloop:");
 * storage.set("last", Date.now());
 */
export function targetingStorage(
  win: { readonly localStorage: Storage },
  prefix: string,
): TargetingStorage {
  const memory = new Map<string, number>();
  return {
    get(key) {
      let stored: unknown;
      try {
        stored = win.localStorage.getItem(prefix + key);
      } catch {}
      return Math.max(Number(stored) || 0, memory.get(key) ?? 0);
    },
    set(key, value) {
      memory.set(key, value);
      try {
        win.localStorage.setItem(prefix + key, String(value));
      } catch {}
    },
  };
}
