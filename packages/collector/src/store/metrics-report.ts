// Rows of the metrics SQL → the report, through core's metric functions, so a figure from the
// collector is the figure `nps`, `csat`, `ces` and `loopHealth` give on the same answers.

import type { GroupMetrics, MetricsQuery, MetricsReport } from "@closeloop/core";
import {
  cesFromCounts,
  csatFromCounts,
  loopHealthFromCounts,
  npsFromCounts,
  type Percentiles,
} from "@closeloop/core";
import { ms } from "./columns.js";
import type { SqlDialect } from "./dialect.js";
import { customerGrowthSql, metricsSql, SCORED_TYPES } from "./metrics-query.js";

type Cell = string | number | null;
/** A result row; PostgreSQL answers bigint and numeric as strings, so every number is coerced. */
export type MetricsRow = Record<string, Cell>;

/** What one pass of `metricsSql` answered, statement by statement. */
export interface MetricsRows {
  scores: MetricsRow[];
  loops: MetricsRow[];
  /** A row per group: `a50`, `a90` (time to acknowledge), `c50`, `c90` (time to close). */
  durations: MetricsRow[];
  valueAtRisk: MetricsRow[];
  atRisk: MetricsRow[];
}

const num = (v: Cell | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const key = (row: MetricsRow) => String(row.g ?? "");

function byGroup(rows: MetricsRow[]): Map<string, MetricsRow[]> {
  const out = new Map<string, MetricsRow[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

const orNull = (v: Cell | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

function percentiles(row: MetricsRow | undefined, k: "a" | "c"): Percentiles {
  return { p50: orNull(row?.[`${k}50`]), p90: orNull(row?.[`${k}90`]) };
}

/** The report's groups from one pass: every group any statement named. */
export function groupMetrics(rows: MetricsRows): Map<string, GroupMetrics> {
  const parts = {
    scores: byGroup(rows.scores),
    loops: byGroup(rows.loops),
    durations: byGroup(rows.durations),
    valueAtRisk: byGroup(rows.valueAtRisk),
    atRisk: byGroup(rows.atRisk),
  };
  const keys = new Set<string>();
  for (const part of Object.values(parts)) for (const k of part.keys()) keys.add(k);
  const out = new Map<string, GroupMetrics>();
  for (const g of [...keys].sort()) {
    const counts = { nps: new Map<number, number>(), csat: new Map(), ces: new Map() };
    for (const r of parts.scores.get(g) ?? []) {
      counts[r.score_type as keyof typeof counts]?.set(num(r.score), num(r.n));
    }
    const loops = parts.loops.get(g)?.[0];
    const risk = parts.valueAtRisk.get(g)?.[0];
    out.set(g, {
      nps: npsFromCounts(counts.nps),
      csat: csatFromCounts(counts.csat),
      ces: cesFromCounts(counts.ces, { scale: 7 }),
      loops: loopHealthFromCounts({
        total: num(loops?.total),
        open: num(loops?.open),
        breached: num(loops?.breached),
        timeToAcknowledge: percentiles(parts.durations.get(g)?.[0], "a"),
        timeToClose: percentiles(parts.durations.get(g)?.[0], "c"),
      }),
      valueAtRisk: { value: num(risk?.value), customers: num(risk?.customers) },
      atRisk: { customers: num(parts.atRisk.get(g)?.[0]?.customers) },
    });
  }
  return out;
}

/** Runs one statement built with a fresh dialect (its own parameter list) and answers its rows. */
/** What a caller of `metrics` may leave out. */
export interface MetricsOptions {
  /**
   * `false`: skip value at risk (which looks up each open negative loop's customer value) and
   * customers at risk; they are then 0. For a caller that does not show them (the desk's weekly
   * charts). Default `true`.
   */
  customers?: boolean;
  /**
   * `false`: skip the scores and loop health (they are then empty) — for a caller that reads
   * only the customer figures (the desk's headline). Default `true`.
   */
  loops?: boolean;
  /**
   * `false`: with `groupBy`, the groups' time to acknowledge and to close are not computed
   * (their p50 and p90 are `null`); the period's are. For a caller that draws the durations of
   * the whole period only (the desk's weekly charts): the groups' quantiles are a second sort
   * of the period's loops. Default `true`.
   */
  groupDurations?: boolean;
}

export type MetricsRunner = (build: (d: SqlDialect) => string) => Promise<MetricsRow[]>;

/**
 * One pass of `metricsSql`: the period's figures and, with a dimension, each group's. Group rows
 * of `counts` add up to the period's; the other statements answer both (`whole`).
 */
async function pass(
  run: MetricsRunner,
  envId: string,
  period: { from: number; to: number; asOf: number },
  dimension: MetricsQuery["groupBy"],
  options: MetricsOptions,
): Promise<{ total: GroupMetrics; groups?: Map<string, GroupMetrics> }> {
  const s = metricsSql(envId, period, dimension, options.groupDurations !== false);
  const none = async (): Promise<MetricsRow[]> => [];
  const loopsToo = options.loops !== false;
  const customers = options.customers !== false;
  const [counts, durations, valueAtRisk, atRisk] = await Promise.all([
    loopsToo ? run(s.counts) : none(),
    loopsToo ? run(s.durations) : none(),
    customers ? run(s.valueAtRisk) : none(),
    customers ? run(s.atRisk) : none(),
  ]);
  const scores = counts.filter((r) => SCORED_TYPES.has(String(r.score_type)));
  const loops = loopCounts(counts);
  const whole = (rows: MetricsRow[], w: boolean) => rows.filter((r) => (num(r.whole) === 1) === w);
  const totals: MetricsRows = {
    scores: dimension ? sumScores(scores) : scores,
    loops: dimension ? [sumLoops(loops)] : loops,
    durations: whole(durations, true),
    valueAtRisk: whole(valueAtRisk, true),
    atRisk: whole(atRisk, true),
  };
  const total = groupMetrics(totals).get("") ?? emptyGroup();
  if (!dimension) return { total };
  const groups = groupMetrics({
    scores,
    loops,
    durations: whole(durations, false),
    valueAtRisk: whole(valueAtRisk, false),
    atRisk: whole(atRisk, false),
  });
  return { total, groups };
}

/** Each group's loop counts from its rows per score. */
function loopCounts(rows: MetricsRow[]): MetricsRow[] {
  const out = new Map<string, MetricsRow>();
  for (const r of rows) {
    const acc = out.get(key(r)) ?? { g: key(r), total: 0, open: 0, breached: 0 };
    acc.total = num(acc.total) + num(r.n);
    acc.open = num(acc.open) + num(r.open);
    acc.breached = num(acc.breached) + num(r.breached);
    out.set(key(r), acc);
  }
  return [...out.values()];
}

/** The period's score counts from the groups' (every scored loop is in exactly one group). */
function sumScores(rows: MetricsRow[]): MetricsRow[] {
  const out = new Map<string, MetricsRow>();
  for (const r of rows) {
    const k = `${r.score_type}\u0000${r.score}`;
    const acc = out.get(k);
    if (acc) acc.n = num(acc.n) + num(r.n);
    else
      out.set(k, { g: "", score_type: r.score_type ?? null, score: r.score ?? null, n: num(r.n) });
  }
  return [...out.values()];
}

/** The period's loop counts from the groups'. */
function sumLoops(rows: MetricsRow[]): MetricsRow {
  const sum = (k: string) => rows.reduce((a, r) => a + num(r[k]), 0);
  return { g: "", total: sum("total"), open: sum("open"), breached: sum("breached") };
}

/** The whole report: one pass over the loops, and customer growth. */
export async function metricsReport(
  envId: string,
  query: MetricsQuery,
  run: MetricsRunner,
  options: MetricsOptions = {},
): Promise<MetricsReport> {
  const period = {
    from: ms(query.from, "from"),
    to: ms(query.to, "to"),
    asOf: ms(query.asOf, "asOf"),
  };
  const [{ total, groups }, growth] = await Promise.all([
    pass(run, envId, period, query.groupBy, options),
    run((d) => customerGrowthSql(envId, period, d)),
  ]);
  const gained = growth.find((r) => r.event === "gained");
  const lost = growth.find((r) => r.event === "lost");
  const count = (r: MetricsRow | undefined) => ({ count: num(r?.n), value: num(r?.value) });
  const g = count(gained);
  const l = count(lost);
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy ?? null,
    asOf: query.asOf,
    total,
    ...(groups ? { groups: Object.fromEntries(groups) } : {}),
    customers: { gained: g, lost: l, net: { count: g.count - l.count, value: g.value - l.value } },
  };
}

function emptyGroup(): GroupMetrics {
  return groupMetrics({
    scores: [],
    loops: [{ g: "", total: 0 }],
    durations: [],
    valueAtRisk: [],
    atRisk: [],
  }).get("") as GroupMetrics;
}
