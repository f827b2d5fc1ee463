// Schema step 4: an endpoint keeps the secret a rotation replaced, and until when deliveries are
// still signed with it, so receivers can move to the new secret without dropping a delivery.
export const webhookRotation = `
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until INTEGER;
`;
