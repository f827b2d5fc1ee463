// Schema step 7: what each idempotency key was first used for (a hash of the item's type and
// data), so the same key sent with other content is refused (`docs/collector.md`, idempotency).
// NULL on records made before this step: those keys compare equal to anything, as before.
export const idempotencyDigest = `
ALTER TABLE idempotency ADD COLUMN digest TEXT;
`;
