import { type GroupMetrics, type MetricsReport, NONE } from "@closeloop/core";
import type { CollectorStore } from "../store/types.js";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
/** How many weeks the charts show, ending with the current one. */
export const WEEKS = 12;
/** How many groups a chart draws a line for (the largest); the table lists them all. */
const MAX_GROUPS = 4;

/** One line of a chart: a value per week, `null` where there was nothing to measure. */
export interface Series {
  name: string;
  values: (number | null)[];
}

/** A chart as the page draws it, and as its table lists it. */
export interface Chart {
  id: string;
  title: string;
  /** What the y axis counts, e.g. `NPS (−100 to 100)` or `hours`. */
  unit: string;
  series: Series[];
  /** A shaded interval around the first series (NPS's 95% interval). */
  band?: { lower: (number | null)[]; upper: (number | null)[] };
  /** Fixed y range, when the measure has one. */
  range?: [number, number];
}

/** The weekly charts of one grouping. */
export interface WeeklyCharts {
  /** The start of each week (ISO-8601), oldest first. */
  weeks: string[];
  charts: Chart[];
}

/** The headline figures: the last 30 days, and the 30 before for their trend. */
export interface Headline {
  valueAtRisk: { now: number; before: number; customers: number };
  customersAtRisk: { now: number; before: number };
  assetGrowth: { now: number; before: number; count: number };
}

/** The charts page's figures: weekly charts, and the headline figures with their trend. */
export interface ChartData extends WeeklyCharts {
  headline: Headline;
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);

/** The groups with the most loops over all weeks, at most `MAX_GROUPS`. */
function topGroups(reports: MetricsReport[]): string[] {
  const size = new Map<string, number>();
  for (const r of reports) {
    for (const [g, m] of Object.entries(r.groups ?? {})) {
      size.set(g, (size.get(g) ?? 0) + m.loops.total);
    }
  }
  // Loops without the dimension are in "all" already; a line of their own would repeat it.
  size.delete(NONE);
  return [...size]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_GROUPS)
    .map(([g]) => g);
}

/**
 * The weekly figures of the last `WEEKS` weeks, ending now, from the store's metrics
 * (`GET /v1/metrics`'s numbers, a report per week grouped by `by`).
 */
export async function weeklyCharts(
  store: CollectorStore,
  envId: string,
  now: string,
  by: "journey" | "region",
): Promise<WeeklyCharts> {
  const end = Date.parse(now);
  const starts = Array.from({ length: WEEKS }, (_, i) => end - (WEEKS - i) * WEEK_MS);
  const reports = await Promise.all(
    starts.map((from) =>
      store.metrics(
        envId,
        {
          from: new Date(from).toISOString(),
          to: new Date(from + WEEK_MS).toISOString(),
          groupBy: by,
          asOf: new Date(Math.min(from + WEEK_MS, end)).toISOString(),
        },
        // The weekly charts show no customer figures, and durations for all loops only.
        { customers: false, groupDurations: false },
      ),
    ),
  );
  const groups = topGroups(reports);
  const total = (f: (m: GroupMetrics) => number | null) => reports.map((r) => f(r.total));
  const byGroup = (f: (m: GroupMetrics) => number | null): Series[] =>
    groups.map((g) => ({
      name: g,
      values: reports.map((r) => {
        const m = r.groups?.[g];
        return m ? f(m) : null;
      }),
    }));
  const rate = (m: GroupMetrics) =>
    m.loops.total === 0 ? null : Math.round((m.loops.breached / m.loops.total) * 1000) / 10;
  return {
    weeks: starts.map((s) => new Date(s).toISOString()),
    charts: [
      {
        id: "nps",
        title: "NPS",
        unit: "−100 to 100",
        range: [-100, 100],
        series: [
          { name: "all", values: total((m) => m.nps.score) },
          ...byGroup((m) => m.nps.score),
        ],
        band: { lower: total((m) => m.nps.lower), upper: total((m) => m.nps.upper) },
      },
      {
        id: "csat",
        title: "CSAT",
        unit: "% satisfied (4–5 of 5)",
        range: [0, 100],
        series: [
          { name: "all", values: total((m) => m.csat.score) },
          ...byGroup((m) => m.csat.score),
        ],
      },
      {
        id: "ces",
        title: "CES",
        unit: "% low effort",
        range: [0, 100],
        series: [
          { name: "all", values: total((m) => m.ces.score) },
          ...byGroup((m) => m.ces.score),
        ],
      },
      {
        id: "loops",
        title: "Loops opened and closed",
        unit: "loops per week",
        series: [
          { name: "opened", values: total((m) => m.loops.total) },
          { name: "closed", values: total((m) => m.loops.closed) },
        ],
      },
      {
        id: "time-to-acknowledge",
        title: "Time to acknowledge",
        unit: "hours",
        series: [
          { name: "median", values: total((m) => hours(m.loops.timeToAcknowledge.p50)) },
          { name: "90th percentile", values: total((m) => hours(m.loops.timeToAcknowledge.p90)) },
        ],
      },
      {
        id: "time-to-close",
        title: "Time to close",
        unit: "hours",
        series: [
          { name: "median", values: total((m) => hours(m.loops.timeToClose.p50)) },
          { name: "90th percentile", values: total((m) => hours(m.loops.timeToClose.p90)) },
        ],
      },
      {
        id: "breach-rate",
        title: "Breach rate",
        unit: "% of loops breached",
        range: [0, 100],
        series: [{ name: "all", values: total(rate) }, ...byGroup(rate)],
      },
    ],
  };
}

/**
 * Value at risk, customers at risk and customer asset growth over the last 30 days, each against
 * the 30 days before, from the store's metrics. The same for every grouping.
 */
export async function headlineFigures(
  store: CollectorStore,
  envId: string,
  now: string,
): Promise<Headline> {
  const end = Date.parse(now);
  const period = (from: number, to: number) =>
    store.metrics(
      envId,
      {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        asOf: new Date(to).toISOString(),
      },
      // The headline shows customer figures only.
      { loops: false },
    );
  const [recent, before] = await Promise.all([
    period(end - MONTH_MS, end),
    period(end - 2 * MONTH_MS, end - MONTH_MS),
  ]);
  return {
    valueAtRisk: {
      now: recent.total.valueAtRisk.value,
      before: before.total.valueAtRisk.value,
      customers: recent.total.valueAtRisk.customers,
    },
    customersAtRisk: {
      now: recent.total.atRisk.customers,
      before: before.total.atRisk.customers,
    },
    assetGrowth: {
      now: recent.customers.net.value,
      before: before.customers.net.value,
      count: recent.customers.net.count,
    },
  };
}
