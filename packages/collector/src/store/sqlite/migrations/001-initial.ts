// Schema step 1: environments, keys, surveys, policies, responses, feedback, customer events,
// idempotency records, loops and closure notices. Times are epoch milliseconds (INTEGER) so that
// they compare as instants whatever offset the ISO string had; the documents themselves (`data`,
// JSON text) keep the strings exactly as received.
export const initial = `
CREATE TABLE environments (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;

CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  env_id TEXT NOT NULL REFERENCES environments (id),
  kind TEXT NOT NULL CHECK (kind IN ('public', 'secret')),
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  data TEXT NOT NULL
) STRICT;
CREATE INDEX keys_env ON keys (env_id, created_at);

CREATE TABLE surveys (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  published_at INTEGER NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (env_id, id, version)
) STRICT;
-- At most one active version per survey; GET /v1/surveys reads only these rows.
CREATE UNIQUE INDEX surveys_active ON surveys (env_id, id) WHERE active = 1;

CREATE TABLE feedback_policies (
  env_id TEXT PRIMARY KEY REFERENCES environments (id),
  updated_at INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;

CREATE TABLE responses (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  finished INTEGER NOT NULL,
  segment TEXT,
  respondent_id TEXT,
  anonymous_id TEXT,
  created_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX responses_received ON responses (env_id, received_at);
CREATE INDEX responses_survey ON responses (env_id, survey_id, received_at);

CREATE TABLE feedback (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  channel TEXT NOT NULL,
  customer_id TEXT,
  created_at INTEGER,
  received_at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX feedback_received ON feedback (env_id, received_at);

CREATE TABLE customer_events (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('gained', 'lost')),
  value REAL,
  at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (env_id, id)
) STRICT;
CREATE INDEX customer_events_at ON customer_events (env_id, at);

CREATE TABLE idempotency (
  env_id TEXT NOT NULL REFERENCES environments (id),
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (env_id, key)
) STRICT;

CREATE TABLE loops (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('response', 'feedback')),
  source_id TEXT NOT NULL,
  state TEXT NOT NULL,
  owner TEXT,
  segment TEXT NOT NULL,
  survey_id TEXT,
  journey TEXT,
  touchpoint TEXT,
  region TEXT,
  channel TEXT,
  customer_id TEXT,
  customer_value REAL,
  opened_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  acknowledge_by INTEGER,
  acknowledged_at INTEGER,
  close_by INTEGER,
  closed_at INTEGER,
  respondent_id TEXT,
  anonymous_id TEXT,
  data TEXT NOT NULL,
  meta TEXT NOT NULL,
  PRIMARY KEY (env_id, id),
  UNIQUE (env_id, source_kind, source_id)
) STRICT;
-- listLoops walks one environment in id order; each equality filter gets an index in that order.
CREATE INDEX loops_state ON loops (env_id, state, id);
CREATE INDEX loops_owner ON loops (env_id, owner, id);
CREATE INDEX loops_survey ON loops (env_id, survey_id, id);
CREATE INDEX loops_journey ON loops (env_id, journey, id);
-- The sweeper's scan: deadlines still pending, earliest first, across environments.
CREATE INDEX loops_acknowledge_due ON loops (acknowledge_by)
  WHERE acknowledge_by IS NOT NULL AND acknowledged_at IS NULL;
CREATE INDEX loops_close_due ON loops (close_by)
  WHERE close_by IS NOT NULL AND closed_at IS NULL;

CREATE TABLE closure_notices (
  env_id TEXT NOT NULL REFERENCES environments (id),
  id TEXT NOT NULL,
  loop_id TEXT NOT NULL,
  respondent_id TEXT,
  anonymous_id TEXT,
  created_at INTEGER NOT NULL,
  seen_at INTEGER,
  data TEXT NOT NULL,
  PRIMARY KEY (env_id, id),
  CHECK ((respondent_id IS NULL) <> (anonymous_id IS NULL))
) STRICT;
CREATE INDEX closure_notices_respondent ON closure_notices (env_id, respondent_id, created_at, id)
  WHERE respondent_id IS NOT NULL;
CREATE INDEX closure_notices_anonymous ON closure_notices (env_id, anonymous_id, created_at, id)
  WHERE anonymous_id IS NOT NULL;
`;
