// Schema step 10 (same step as the SQLite store's, which also drops its search-words trigger):
// the owner, customer and anonymous-respondent indexes keep only the loops that have one. Every
// query on them is an equality, which a NULL never matches, so each loop skips at least one of
// them (an anonymous answer has no customer) — one index entry fewer per ingested loop.
export const ingestIndexes = `
DROP INDEX loops_owner;
CREATE INDEX loops_owner ON loops (env_id, owner, id) WHERE owner IS NOT NULL;
DROP INDEX loops_customer;
CREATE INDEX loops_customer ON loops (env_id, customer_id, opened_at) WHERE customer_id IS NOT NULL;
DROP INDEX loops_anonymous;
CREATE INDEX loops_anonymous ON loops (env_id, anonymous_id, opened_at)
  WHERE anonymous_id IS NOT NULL;
`;
