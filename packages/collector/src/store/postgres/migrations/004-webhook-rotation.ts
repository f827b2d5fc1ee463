// Schema step 4: an endpoint keeps the secret a rotation replaced, and until when deliveries are
// still signed with it (same step as the SQLite store's).
export const webhookRotation = `
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_until timestamptz;
`;
