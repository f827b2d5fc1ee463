// PostgreSQL's spelling of the shared statements' dialect pieces, and how its rows come back
// (docs/stores.md): instants are timestamptz, bound as epoch ms and converted in SQL; documents
// are jsonb, which pg hands back parsed.
import type { SqlDialect } from "../dialect.js";
import { type ColumnReader, rowReaders } from "../row-readers.js";

/** jsonb columns arrive parsed; timestamptz as a `Date`. */
export const postgresColumns: ColumnReader<unknown, Date> = {
  json: <T>(value: unknown) => value as T,
  iso: (d) => d.toISOString(),
};

/** Rows → records on PostgreSQL (`row-readers.ts`). */
export const postgresRows = rowReaders(postgresColumns);

/** An instant parameter: rows carry epoch ms, which `to_timestamp` reads exactly to the µs. */
export const toTimestamp = (placeholder: string) => `to_timestamp(${placeholder}::float8 / 1000)`;

/** The dialect for one statement, whose values `param` collects. */
export function postgresDialect(param: (value: string | number) => string): SqlDialect {
  return {
    param,
    time: (t) => toTimestamp(param(t)),
    // Instants are whole ms (bound from epoch ms), so the interval's seconds as a double, × 1000
    // and rounded, are its ms exactly. `extract` answers numeric, whose arithmetic made the
    // weekly durations statement cost a third more (docs/benchmarks.md).
    durationMs: (later, earlier) => `round(date_part('epoch', ${later} - ${earlier}) * 1000)`,
    floor: (expr) => `floor(${expr})`,
    double: (x) => `${x}::float8`,
    percentile: (expr, q) => `percentile_cont(${q}::float8) WITHIN GROUP (ORDER BY ${expr})`,
    oneOf: (expr, values) => `${expr} IN (${[...values].map((v) => `'${v}'`).join(", ")})`,
    groupBy: (keys) => ` GROUP BY ${keys.join(", ")}`,
  };
}
