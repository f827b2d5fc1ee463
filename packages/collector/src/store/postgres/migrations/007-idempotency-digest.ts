// Schema step 7: what each idempotency key was first used for (same step as the SQLite store's).
// NULL on records made before this step: those keys compare equal to anything, as before.
export const idempotencyDigest = `
ALTER TABLE idempotency ADD COLUMN digest text;
`;
