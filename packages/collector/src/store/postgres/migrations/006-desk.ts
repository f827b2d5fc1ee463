// Schema step 6: the loop desk (docs/desk.md) — its users and their sessions, the words each
// loop's customer wrote as a full-text index, and an index for the inbox's filters.
export const desk = `
CREATE TABLE desk_users (
  id text PRIMARY KEY,
  env_id text NOT NULL REFERENCES environments (id),
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);

CREATE TABLE desk_sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES desk_users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX desk_sessions_user ON desk_sessions (user_id);

-- 'simple': no stemming and no stop words, the same for every language customers write in.
CREATE INDEX loops_words ON loops USING gin (to_tsvector('simple', coalesce(meta->>'youSaid', '')));

CREATE INDEX loops_region ON loops (env_id, region, id);
CREATE INDEX loops_segment ON loops (env_id, segment, id);
CREATE INDEX loops_customer ON loops (env_id, customer_id, opened_at);
CREATE INDEX loops_anonymous ON loops (env_id, anonymous_id, opened_at);
`;
