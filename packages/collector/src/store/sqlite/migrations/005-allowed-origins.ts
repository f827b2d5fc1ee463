// Schema step 5: the origins an environment's public-key routes answer browsers from
// (`docs/collector.md`, allowed origins). No row: any origin.
export const allowedOrigins = `
CREATE TABLE allowed_origins (
  env_id TEXT PRIMARY KEY REFERENCES environments (id),
  updated_at INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
`;
