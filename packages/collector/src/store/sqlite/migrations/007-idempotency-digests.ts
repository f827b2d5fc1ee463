// Schema step 7: each idempotency key keeps a digest of the item that claimed it, so a key sent
// again with other content is refused rather than answered `duplicate` (docs/collector.md).
// Keys claimed before this step have none.
export const idempotencyDigests = `
ALTER TABLE idempotency ADD COLUMN digest TEXT;
`;
