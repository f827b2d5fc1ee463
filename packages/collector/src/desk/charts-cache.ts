import type { CollectorStore } from "../store/types.js";
import { type ChartData, chartData } from "./charts-data.js";

/** How long computed charts are served as they are; after that they are recomputed. */
export const CHARTS_FRESH_MS = 60_000;

interface Entry {
  at: number;
  data: Promise<ChartData>;
  refreshing?: boolean;
}

/**
 * The charts of each environment and grouping, computed at most once a minute: twelve weeks of
 * metrics over every loop cost a second at 100,000 loops (docs/benchmarks.md), and a chart a
 * minute old says the same. Past a minute, the last charts are answered at once while new ones
 * are computed (stale while revalidating); only the first request waits.
 */
export function createChartsCache(store: CollectorStore, now: () => string) {
  const entries = new Map<string, Entry>();

  /** Starts a computation; it replaces `key`'s entry once it has succeeded. */
  const compute = (key: string, envId: string, by: "journey" | "region"): Entry => {
    const entry: Entry = { at: Date.parse(now()), data: chartData(store, envId, now(), by) };
    entry.data.then(
      () => entries.set(key, entry),
      () => {
        // A failure is not kept: the last charts stay, or the next request computes again.
        const current = entries.get(key);
        if (current === entry) entries.delete(key);
        else if (current) current.refreshing = false;
      },
    );
    return entry;
  };

  return async (
    envId: string,
    by: "journey" | "region",
  ): Promise<ChartData & { computedAt: string }> => {
    const key = `${envId}\u0000${by}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = compute(key, envId, by);
      entries.set(key, entry);
    } else if (Date.parse(now()) - entry.at > CHARTS_FRESH_MS && !entry.refreshing) {
      // Keep answering these charts until the new ones are ready; one refresh at a time.
      entry.refreshing = true;
      compute(key, envId, by);
    }
    return { ...(await entry.data), computedAt: new Date(entry.at).toISOString() };
  };
}
