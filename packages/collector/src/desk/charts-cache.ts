import type { CollectorStore } from "../store/types.js";
import { type ChartData, chartData } from "./charts-data.js";

/** How long computed charts are served as they are; after that they are recomputed. */
export const CHARTS_FRESH_MS = 60_000;

/**
 * The charts of each environment and grouping, computed at most once a minute: twelve weeks of
 * metrics over every loop cost a second at 100,000 loops (docs/benchmarks.md), and a chart a
 * minute old says the same. Past a minute, the last charts are answered at once while new ones
 * are computed (stale while revalidating); only the first request waits.
 */
export function createChartsCache(store: CollectorStore, now: () => string) {
  const entries = new Map<string, { at: number; data: Promise<ChartData>; refreshing?: boolean }>();
  const compute = (envId: string, by: "journey" | "region", key: string) => {
    const at = Date.parse(now());
    const data = chartData(store, envId, now(), by);
    const entry = { at, data };
    entries.set(key, entry);
    // A failure is not kept: the next request computes again.
    data.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return data;
  };
  return async (
    envId: string,
    by: "journey" | "region",
  ): Promise<ChartData & { computedAt: string }> => {
    const key = `${envId}\u0000${by}`;
    const entry = entries.get(key);
    let data: Promise<ChartData>;
    let at: number;
    if (!entry) {
      data = compute(envId, by, key);
      at = Date.parse(now());
    } else {
      ({ data, at } = entry);
      if (Date.parse(now()) - at > CHARTS_FRESH_MS && !entry.refreshing) {
        // Keep answering the last charts until the new ones are ready; one refresh at a time.
        entry.refreshing = true;
        const started = Date.parse(now());
        chartData(store, envId, now(), by).then(
          (d) => entries.set(key, { at: started, data: Promise.resolve(d) }),
          () => {
            entry.refreshing = false;
          },
        );
      }
    }
    return { ...(await data), computedAt: new Date(at).toISOString() };
  };
}
