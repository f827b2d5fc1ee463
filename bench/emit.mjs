// The one interface between a bench and the runner (bench/run.mjs): when BENCH_JSON names a
// file, a bench writes what it measured there, and the runner renders it into
// docs/benchmarks.md through the bench's template (bench/report/<name>.md). Run alone, a bench
// prints as before and writes nothing.
//
// The file: { tables: { <id>: { columns: [..], rows: [[..], ..], notes?: [..] } },
//             figures: { <name>: "<formatted text>" } }
// Cells and figures are already formatted (units included); a template places a table with
// {{table:<id>}} and a figure with {{<name>}}.
import { writeFileSync } from "node:fs";

/** BENCH_QUICK=1: a small version of the bench, so CI proves it still runs (bench/run.mjs). */
export const QUICK = process.env.BENCH_QUICK === "1";

/** A number of this bench: env `name` if set, else `quick` under BENCH_QUICK, else `full`. */
export function size(name, full, quick) {
  const set = process.env[name];
  return set !== undefined && set !== "" ? Number(set) : QUICK ? quick : full;
}

/** Writes the bench's tables and figures for the runner; a no-op when run alone. */
export function emit(result) {
  const file = process.env.BENCH_JSON;
  if (file) writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
}

/** `1234567` → "1,234,567"; `d` decimals. */
export const num = (x, d = 0) =>
  x === undefined || x === null || Number.isNaN(x)
    ? "—"
    : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

/** A ratio as "2.5×". */
export const times = (a, b, d = 1) => (a && b ? `${(a / b).toFixed(d)}×` : "—");
