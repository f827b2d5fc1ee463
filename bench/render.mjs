// How bench/run.mjs turns a bench's results (bench/emit.mjs) into Markdown: a template from
// bench/report/ with {{table:<id>}} and {{<figure>}} placeholders, filled in. Kept apart from the
// runner so test/bench-report.test.ts can check it without running a bench.

/** A Markdown table from a bench's table; `|` and line breaks inside a cell are escaped. */
export function markdownTable(t) {
  const cell = (x) => String(x).replaceAll("|", "\\|").replaceAll("\n", " ");
  const lines = [
    `| ${t.columns.map(cell).join(" | ")} |`,
    `|${t.columns.map(() => "---").join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  for (const n of t.notes ?? []) lines.push("", `*${n}*`);
  return lines.join("\n");
}

/**
 * Fills `template`: {{table:<id>}} with `tables[id]`, {{<name>}} with `values[name]`. A
 * placeholder with nothing to fill it throws, naming `bench`: a template and its bench must not
 * drift apart unnoticed.
 */
export function fill(bench, template, tables, values) {
  return template.replace(/\{\{([^}]+)\}\}/g, (_, key) => {
    if (key.startsWith("table:")) {
      const t = tables?.[key.slice(6)];
      if (!t) throw new Error(`${bench}: no table ${key.slice(6)} in its results`);
      return markdownTable(t);
    }
    if (!(key in values)) throw new Error(`${bench}: no figure ${key} in its results`);
    return values[key];
  });
}

/** The placeholders of a template, tables as `table:<id>`. */
export const placeholders = (template) =>
  [...template.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]);
