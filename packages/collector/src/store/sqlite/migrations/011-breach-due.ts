// Schema step 11 (same step as the PostgreSQL store's): each loop keeps its next deadline the
// sweeper has to look at, `breach_due` — its earliest deadline still pending, until the sweeper
// fires it and moves it on — in an index of the loops that have one. The sweep reads that index
// from its start up to now: only what is due and unfired, in due order, instead of walking every
// loop and probing its breaches (at a million loops a sweep that fired nothing took 1.2 s on
// SQLite, inside the writer's transaction; docs/benchmarks.md). The two partial indexes of pending
// deadlines go: nothing read them, and a loop whose deadline had fired stayed in them.
// The backfill leaves out deadlines whose breach is already recorded.
export const breachDue = `
ALTER TABLE loops ADD COLUMN breach_due INTEGER;

UPDATE loops SET breach_due = coalesce(min(p.acknowledge_due, p.close_due), p.acknowledge_due,
    p.close_due)
  FROM (SELECT l.rowid AS loop_rowid,
      CASE WHEN l.acknowledged_at IS NULL AND NOT EXISTS (SELECT 1 FROM loop_breaches b
          WHERE b.env_id = l.env_id AND b.loop_id = l.id AND b.deadline = 'acknowledge'
          AND b.due = l.acknowledge_by) THEN l.acknowledge_by END AS acknowledge_due,
      CASE WHEN l.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM loop_breaches b
          WHERE b.env_id = l.env_id AND b.loop_id = l.id AND b.deadline = 'close'
          AND b.due = l.close_by) THEN l.close_by END AS close_due
    FROM loops l
    WHERE (l.acknowledge_by IS NOT NULL AND l.acknowledged_at IS NULL)
      OR (l.close_by IS NOT NULL AND l.closed_at IS NULL)) p
  WHERE loops.rowid = p.loop_rowid;

CREATE INDEX loops_breach_due ON loops (breach_due) WHERE breach_due IS NOT NULL;
DROP INDEX loops_acknowledge_due;
DROP INDEX loops_close_due;
`;
