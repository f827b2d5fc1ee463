// Schema steps, the same on both stores, and how a store applies the ones a database lacks
// (docs/stores.md, Migrations). Each dialect keeps its SQL for the steps as numbered files
// (`sqlite/migrations/`, `postgres/migrations/`), never edited once released: a change is a new
// step, so a database written by any earlier version upgrades step by step.

/** One schema step: recorded in `schema_migrations` by `version` once applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema's steps, in order, the same on both dialects. A database records each by `version`,
 * so a released step keeps its version and name for good; a new step goes at the end with the
 * next version, and a file of that number in each dialect's `migrations/`.
 */
const STEPS = [
  { key: "initial", version: 1, name: "initial" },
  { key: "webhooks", version: 2, name: "webhooks and breaches" },
  { key: "loopMetrics", version: 3, name: "loop metrics" },
  { key: "webhookRotation", version: 4, name: "webhook secret rotation" },
  { key: "allowedOrigins", version: 5, name: "allowed origins" },
  { key: "desk", version: 6, name: "loop desk" },
  { key: "idempotencyDigests", version: 7, name: "idempotency digests" },
  { key: "inboxIndex", version: 8, name: "inbox index" },
  { key: "riskSignals", version: 9, name: "risk signals" },
  { key: "ingestIndexes", version: 10, name: "ingest indexes" },
  { key: "breachDue", version: 11, name: "next breach due" },
  { key: "leanIngest", version: 12, name: "lean ingest indexes" },
] as const;

/** A step by the name a dialect's `migrations/index.ts` gives its SQL. */
export type StepKey = (typeof STEPS)[number]["key"];

/** One dialect's migrations: every step, with that dialect's SQL for it. */
export function migrationsOf(sql: Readonly<Record<StepKey, string>>): readonly Migration[] {
  return STEPS.map(({ key, version, name }) => ({ version, name, sql: sql[key] }));
}

/** How one store checks, applies and records a step in its `schema_migrations`. */
export interface MigrationTarget {
  /** Runs `body` as one unit against other processes migrating the same database. */
  atomically(body: () => Promise<void>): Promise<void>;
  /** Whether the step with this version is recorded. */
  applied(version: number): boolean | Promise<boolean>;
  /** Runs the step's SQL and records it. */
  apply(step: Migration): void | Promise<void>;
}

/**
 * Applies, in order, every step the database has not recorded. The check and the step run as one
 * unit, so a step another process applied meanwhile is not applied twice.
 */
export async function applySteps(
  steps: readonly Migration[],
  target: MigrationTarget,
): Promise<void> {
  for (const step of steps) {
    await target.atomically(async () => {
      if (!(await target.applied(step.version))) await target.apply(step);
    });
  }
}
