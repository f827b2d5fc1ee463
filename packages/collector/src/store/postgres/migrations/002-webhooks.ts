// Schema step 2: webhook endpoints, the delivery queue with its log, and the breaches the
// sweeper has fired (docs/webhooks.md).
export const webhooks = `
CREATE TABLE webhook_endpoints (
  env_id text NOT NULL REFERENCES environments (id),
  name text NOT NULL,
  url text NOT NULL,
  events jsonb,
  secret text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  disabled_at timestamptz,
  PRIMARY KEY (env_id, name)
);

CREATE TABLE webhook_deliveries (
  id text COLLATE "C" PRIMARY KEY,
  env_id text NOT NULL,
  endpoint text NOT NULL,
  type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
  attempts jsonb NOT NULL DEFAULT '[]',
  attempt_count integer NOT NULL DEFAULT 0,
  next_at timestamptz,
  lease text,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (env_id, endpoint) REFERENCES webhook_endpoints (env_id, name)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (env_id, endpoint, id);

CREATE TABLE loop_breaches (
  env_id text NOT NULL,
  loop_id text NOT NULL,
  deadline text NOT NULL CHECK (deadline IN ('acknowledge', 'close')),
  due timestamptz NOT NULL,
  fired_at timestamptz NOT NULL,
  PRIMARY KEY (env_id, loop_id, deadline, due)
);
`;
