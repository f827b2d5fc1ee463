// Schema step 1: environments, keys, surveys, policies, responses, feedback, customer events,
// idempotency records, loops and closure notices. Documents are jsonb, instants timestamptz. Ids
// that are ordered (`loops.id` for pagination, `closure_notices.id` as a tie-break) use the "C"
// collation: byte order, like SQLite's BINARY, so both stores page in the same order whatever
// the database's locale.
export const initial = `
CREATE TABLE environments (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);

CREATE TABLE keys (
  id text PRIMARY KEY,
  env_id text NOT NULL REFERENCES environments (id),
  kind text NOT NULL CHECK (kind IN ('public', 'secret')),
  hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  data jsonb NOT NULL
);
CREATE INDEX keys_env ON keys (env_id, created_at);

CREATE TABLE surveys (
  env_id text NOT NULL REFERENCES environments (id),
  id text NOT NULL,
  version integer NOT NULL,
  active boolean NOT NULL DEFAULT false,
  published_at timestamptz NOT NULL,
  definition jsonb NOT NULL,
  PRIMARY KEY (env_id, id, version)
);
-- At most one active version per survey; GET /v1/surveys reads only these rows.
CREATE UNIQUE INDEX surveys_active ON surveys (env_id, id) WHERE active;

CREATE TABLE feedback_policies (
  env_id text PRIMARY KEY REFERENCES environments (id),
  updated_at timestamptz NOT NULL,
  data jsonb NOT NULL
);

CREATE TABLE responses (
  env_id text NOT NULL REFERENCES environments (id),
  id text NOT NULL,
  survey_id text NOT NULL,
  survey_version integer NOT NULL,
  finished boolean NOT NULL,
  segment text,
  respondent_id text,
  anonymous_id text,
  created_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (env_id, id)
);
CREATE INDEX responses_received ON responses (env_id, received_at);
CREATE INDEX responses_survey ON responses (env_id, survey_id, received_at);

CREATE TABLE feedback (
  env_id text NOT NULL REFERENCES environments (id),
  id text NOT NULL,
  channel text NOT NULL,
  customer_id text,
  created_at timestamptz,
  received_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (env_id, id)
);
CREATE INDEX feedback_received ON feedback (env_id, received_at);

CREATE TABLE customer_events (
  env_id text NOT NULL REFERENCES environments (id),
  id text NOT NULL,
  customer_id text NOT NULL,
  event text NOT NULL CHECK (event IN ('gained', 'lost')),
  value double precision,
  at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (env_id, id)
);
CREATE INDEX customer_events_at ON customer_events (env_id, at);

CREATE TABLE idempotency (
  env_id text NOT NULL REFERENCES environments (id),
  key text NOT NULL,
  type text NOT NULL,
  record_id text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (env_id, key)
);

CREATE TABLE loops (
  env_id text NOT NULL REFERENCES environments (id),
  id text COLLATE "C" NOT NULL,
  source_kind text NOT NULL CHECK (source_kind IN ('response', 'feedback')),
  source_id text NOT NULL,
  state text NOT NULL,
  owner text,
  segment text NOT NULL,
  survey_id text,
  journey text,
  touchpoint text,
  region text,
  channel text,
  customer_id text,
  customer_value double precision,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  acknowledge_by timestamptz,
  acknowledged_at timestamptz,
  close_by timestamptz,
  closed_at timestamptz,
  respondent_id text,
  anonymous_id text,
  data jsonb NOT NULL,
  meta jsonb NOT NULL,
  PRIMARY KEY (env_id, id),
  UNIQUE (env_id, source_kind, source_id)
);
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
  env_id text NOT NULL REFERENCES environments (id),
  id text COLLATE "C" NOT NULL,
  loop_id text NOT NULL,
  respondent_id text,
  anonymous_id text,
  created_at timestamptz NOT NULL,
  seen_at timestamptz,
  data jsonb NOT NULL,
  PRIMARY KEY (env_id, id),
  CHECK ((respondent_id IS NULL) <> (anonymous_id IS NULL))
);
CREATE INDEX closure_notices_respondent ON closure_notices (env_id, respondent_id, created_at, id)
  WHERE respondent_id IS NOT NULL;
CREATE INDEX closure_notices_anonymous ON closure_notices (env_id, anonymous_id, created_at, id)
  WHERE anonymous_id IS NOT NULL;
`;
