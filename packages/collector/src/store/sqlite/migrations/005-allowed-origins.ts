// Schema step 5: the origins an environment's public-key routes answer browsers from
// (`docs/collector.md`, allowed origins). No row: any origin.
import type { Migration } from "../../migration.js";

export const ALLOWED_ORIGINS_MIGRATION: Migration = {
  version: 5,
  name: "allowed origins",
  sql: `
CREATE TABLE allowed_origins (
  env_id TEXT PRIMARY KEY REFERENCES environments (id),
  updated_at INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
`,
};
