// Schema step 10 (same step as the PostgreSQL store's): fewer index entries per ingested loop.
// The desk's search words are written by the store beside each new loop instead of by the
// `loops_words` trigger: the trigger alone cost each loop insert about as much as the FTS5 write
// it made (docs/benchmarks.md, Collector ingest). And the owner, customer and anonymous-respondent
// indexes keep only the loops that have one: every query on them is an equality, which a NULL
// never matches, so each loop skips at least one of them (an anonymous answer has no customer).
export const ingestIndexes = `
DROP TRIGGER loops_words;

DROP INDEX loops_owner;
CREATE INDEX loops_owner ON loops (env_id, owner, id) WHERE owner IS NOT NULL;
DROP INDEX loops_customer;
CREATE INDEX loops_customer ON loops (env_id, customer_id, opened_at) WHERE customer_id IS NOT NULL;
DROP INDEX loops_anonymous;
CREATE INDEX loops_anonymous ON loops (env_id, anonymous_id, opened_at)
  WHERE anonymous_id IS NOT NULL;
`;
