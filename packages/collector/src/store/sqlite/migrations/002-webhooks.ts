// Schema step 2: webhook endpoints, the delivery queue with its log, and the breaches the
// sweeper has fired (docs/webhooks.md).
export const webhooks = `
CREATE TABLE webhook_endpoints (
  env_id TEXT NOT NULL REFERENCES environments (id),
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  disabled_at INTEGER,
  PRIMARY KEY (env_id, name)
) STRICT;

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  env_id TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
  attempts TEXT NOT NULL DEFAULT '[]',
  attempt_count INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER,
  lease TEXT,
  created_at INTEGER NOT NULL,
  FOREIGN KEY (env_id, endpoint) REFERENCES webhook_endpoints (env_id, name)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (env_id, endpoint, id);

CREATE TABLE loop_breaches (
  env_id TEXT NOT NULL,
  loop_id TEXT NOT NULL,
  deadline TEXT NOT NULL CHECK (deadline IN ('acknowledge', 'close')),
  due INTEGER NOT NULL,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (env_id, loop_id, deadline, due)
) STRICT;
`;
