import type { CollectorStore } from "../store/types.js";
import {
  type ChartData,
  type Headline,
  headlineFigures,
  type WeeklyCharts,
  weeklyCharts,
} from "./charts-data.js";

/** How long computed charts are served as they are; after that they are recomputed. */
export const CHARTS_FRESH_MS = 60_000;

type Grouping = "journey" | "region";

interface Entry<T> {
  at: number;
  data: Promise<T>;
  refreshing?: boolean;
}

/**
 * Values computed at most once per `CHARTS_FRESH_MS` each: past that, the last value is answered
 * at once while a new one is computed (stale while revalidating); only a first request waits.
 */
function staleWhileRevalidate<T>(now: () => number) {
  const entries = new Map<string, Entry<T>>();

  /** Starts a computation; it replaces `key`'s entry once it has succeeded. */
  const start = (key: string, compute: () => Promise<T>): Entry<T> => {
    const entry: Entry<T> = { at: now(), data: compute() };
    entry.data.then(
      () => entries.set(key, entry),
      () => {
        // A failure is not kept: the last value stays, or the next request computes again.
        const current = entries.get(key);
        if (current === entry) entries.delete(key);
        else if (current) current.refreshing = false;
      },
    );
    return entry;
  };

  return (key: string, compute: () => Promise<T>): Entry<T> => {
    let entry = entries.get(key);
    if (!entry) {
      entry = start(key, compute);
      entries.set(key, entry);
    } else if (now() - entry.at > CHARTS_FRESH_MS && !entry.refreshing) {
      // Keep answering the last value until the new one is ready; one refresh at a time.
      entry.refreshing = true;
      start(key, compute);
    }
    return entry;
  };
}

/**
 * The charts of each environment, computed at most once a minute: twelve weeks of metrics and
 * the headline's two 30-day periods cost up to a second at 100,000 loops (docs/benchmarks.md),
 * and a chart a minute old says the same. The weekly charts are kept per grouping; the headline,
 * the costly part, once per environment, shared by both groupings.
 *
 * `warm(envId)` starts what the charts page will need without waiting for it, so that a desk
 * page viewed before the charts (the inbox) has them ready: a request then waits for nothing.
 */
export function createChartsCache(store: CollectorStore, now: () => string) {
  const clock = () => Date.parse(now());
  const weekly = staleWhileRevalidate<WeeklyCharts>(clock);
  const headline = staleWhileRevalidate<Headline>(clock);

  const entries = (envId: string, by: Grouping) => ({
    weekly: weekly(`${envId}\u0000${by}`, () => weeklyCharts(store, envId, now(), by)),
    headline: headline(envId, () => headlineFigures(store, envId, now())),
  });

  const charts = async (
    envId: string,
    by: Grouping,
  ): Promise<ChartData & { computedAt: string }> => {
    const e = entries(envId, by);
    const [w, h] = await Promise.all([e.weekly.data, e.headline.data]);
    return {
      ...w,
      headline: h,
      computedAt: new Date(Math.min(e.weekly.at, e.headline.at)).toISOString(),
    };
  };

  /** Starts computing `by`'s charts (default: by journey, as the page opens) if not fresh. */
  const warm = (envId: string, by: Grouping = "journey"): void => {
    const e = entries(envId, by);
    // Nobody waits on a warm-up; a failure is computed again by the next request.
    e.weekly.data.catch(() => {});
    e.headline.data.catch(() => {});
  };

  return Object.assign(charts, { warm });
}
