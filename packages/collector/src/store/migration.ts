// A schema step, and the order both stores apply their steps in (docs/stores.md, Migrations).
// Each dialect keeps its steps as numbered files (`sqlite/migrations/`, `postgres/migrations/`),
// never edited once released: a change is a new step, so a database written by any earlier
// version upgrades step by step.

/** One schema step: recorded in `schema_migrations` by `version` once applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The steps as given, checked to be numbered 1, 2, 3… in order: a step's version is what a
 * database has recorded, so a gap or a swap would skip or repeat a step on existing databases.
 */
export function numberedSteps(steps: readonly Migration[]): readonly Migration[] {
  steps.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new Error(`migration "${step.name}" has version ${step.version}, expected ${i + 1}`);
    }
  });
  return steps;
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
