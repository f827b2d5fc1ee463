// Schema step 6: the loop desk (docs/desk.md) — its users and their sessions, the words each
// loop's customer wrote as a full-text index, and an index for the inbox's filters.
export const desk = `
CREATE TABLE desk_users (
  id TEXT PRIMARY KEY,
  env_id TEXT NOT NULL REFERENCES environments (id),
  email TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;

CREATE TABLE desk_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES desk_users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX desk_sessions_user ON desk_sessions (user_id);

-- The quote a loop keeps of what its customer wrote, by the loop's rowid. A loop's quote is set
-- when it opens and never changes, so an insert trigger keeps the index whole.
CREATE VIRTUAL TABLE loop_words USING fts5 (words);
INSERT INTO loop_words (rowid, words)
  SELECT rowid, json_extract(meta, '$.youSaid') FROM loops
  WHERE json_extract(meta, '$.youSaid') IS NOT NULL;
CREATE TRIGGER loops_words AFTER INSERT ON loops
  WHEN json_extract(new.meta, '$.youSaid') IS NOT NULL
  BEGIN
    INSERT INTO loop_words (rowid, words) VALUES (new.rowid, json_extract(new.meta, '$.youSaid'));
  END;

CREATE INDEX loops_region ON loops (env_id, region, id);
CREATE INDEX loops_segment ON loops (env_id, segment, id);
CREATE INDEX loops_customer ON loops (env_id, customer_id, opened_at);
CREATE INDEX loops_anonymous ON loops (env_id, anonymous_id, opened_at);
`;
