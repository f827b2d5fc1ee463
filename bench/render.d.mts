/** A table as a bench emits it (bench/emit.mjs). */
export interface BenchTable {
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}
export function markdownTable(t: BenchTable): string;
export function fill(
  bench: string,
  template: string,
  tables: Record<string, BenchTable> | undefined,
  values: Record<string, string>,
): string;
export function placeholders(template: string): string[];
