// Schema step 5: the origins an environment's public-key routes answer browsers from (same step
// as the SQLite store's). No row: any origin.
export const allowedOrigins = `
CREATE TABLE allowed_origins (
  env_id text PRIMARY KEY REFERENCES environments (id),
  updated_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
`;
