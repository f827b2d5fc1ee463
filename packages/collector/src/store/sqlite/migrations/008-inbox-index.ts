// Schema step 8: the state index also carries the columns the desk's inbox sorts by (each open
// loop's deadlines and when they were met), so the inbox orders every open loop from the index
// alone and reads the rows of one page only (docs/stores.md). Still one index: it replaces
// `loops_state`, whose order (env_id, state, id) `listLoops` keeps using.
export const inboxIndex = `
DROP INDEX loops_state;
CREATE INDEX loops_state ON loops (env_id, state, id, acknowledge_by, acknowledged_at, close_by,
  closed_at, opened_at);
`;
