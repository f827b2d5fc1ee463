// Schema step 8 (same step as the SQLite store's): the state index carries the inbox's sort
// columns, so the inbox sorts open loops by an index-only scan and reads one page's rows; and
// its filter columns, so a filtered inbox and its count are index-only too (PostgreSQL otherwise
// read a quarter of the rows for a journey filter: 219 ms for its count against 15 ms).
export const inboxIndex = `
DROP INDEX loops_state;
CREATE INDEX loops_state ON loops (env_id, state, id) INCLUDE (acknowledge_by, acknowledged_at,
  close_by, closed_at, opened_at, survey_id, journey, region, owner, segment);
`;
