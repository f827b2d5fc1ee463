// `listLoops` as SQL, shared by both stores: the WHERE clause is built from fixed fragments chosen
// by which filters are present, and every value goes through `param`, never into the text. So a
// store sees at most a few dozen distinct statements and can keep each one prepared.
import { breachInstant, pageLimit } from "./columns.js";
import type { SqlDialect } from "./dialect.js";
import type { LoopFilter } from "./types.js";

/**
 * One deadline missed as of `now`, exactly as core's `breaches()` judges it: still pending and
 * due before `now`, or met after it was due (breach is a flag: late stays late).
 */
function missed(due: string, metAt: string, now: () => string): string {
  return `(${due} IS NOT NULL AND CASE WHEN ${metAt} IS NULL THEN ${due} < ${now()} ELSE ${metAt} > ${due} END)`;
}

/** `isBreached(loop, now)` over the loop's columns (never NULL, so `NOT` is safe). */
export function breachedSql(now: () => string): string {
  return `(${missed("acknowledge_by", "acknowledged_at", now)} OR ${missed("close_by", "closed_at", now)})`;
}

/** The page query: one row more than `limit`, so the store knows whether there is a next page. */
export function listLoopsSql(
  envId: string,
  filter: LoopFilter,
  page: { after?: string; limit: number },
  d: SqlDialect,
): string {
  const where = [`env_id = ${d.param(envId)}`];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(`${column} = ${d.param(value)}`);
  };
  const states = filter.state === undefined ? [] : [filter.state].flat();
  if (states.length === 1) eq("state", states[0]);
  else if (states.length > 1) where.push(`state IN (${states.map((x) => d.param(x)).join(", ")})`);
  eq("owner", filter.owner);
  eq("survey_id", filter.surveyId);
  eq("journey", filter.journey);
  if (filter.breached !== undefined) {
    const at = breachInstant(filter.now);
    const sql = breachedSql(() => d.time(at));
    where.push(filter.breached ? sql : `NOT ${sql}`);
  }
  if (page.after !== undefined) where.push(`id > ${d.param(page.after)}`);
  const limit = d.param(pageLimit(page.limit) + 1);
  return `SELECT data FROM loops WHERE ${where.join(" AND ")} ORDER BY id LIMIT ${limit}`;
}
