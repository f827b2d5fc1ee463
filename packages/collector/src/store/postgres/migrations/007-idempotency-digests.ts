// Schema step 7: each idempotency key keeps a digest of the item that claimed it (same step as
// the SQLite store's). Keys claimed before this step have none.
export const idempotencyDigests = `
ALTER TABLE idempotency ADD COLUMN digest text;
`;
