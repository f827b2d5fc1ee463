// Schema step 12: fewer b-tree writes per ingested loop (docs/stores.md, Indexes).
// - The search words keep no copy of the text (`content=''`) and no per-row sizes
//   (`columnsize=0`): the desk's search reads only the rowids a match gives, so those two tables
//   were written for every loop and never read.
// - The inbox's region and segment filters read the state index, which now carries both columns,
//   instead of an index of their own each: the inbox scans the open loops on that index anyway.
export const leanIngest = `
DROP TABLE loop_words;
CREATE VIRTUAL TABLE loop_words USING fts5 (words, content = '', columnsize = 0);
INSERT INTO loop_words (rowid, words)
  SELECT rowid, json_extract(meta, '$.youSaid') FROM loops
  WHERE json_extract(meta, '$.youSaid') IS NOT NULL;

DROP INDEX loops_region;
DROP INDEX loops_segment;
DROP INDEX loops_state;
CREATE INDEX loops_state ON loops (env_id, state, id, acknowledge_by, acknowledged_at, close_by,
  closed_at, opened_at, region, segment);
`;
