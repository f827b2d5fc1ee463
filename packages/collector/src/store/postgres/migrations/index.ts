// The PostgreSQL schema: each step's SQL, one numbered file per step (docs/stores.md, Migrations).
// A step is never edited once released: a change is a new file with the next number.
import { type Migration, migrationsOf } from "../../migration.js";
import { initial } from "./001-initial.js";
import { webhooks } from "./002-webhooks.js";
import { loopMetrics } from "./003-metrics.js";
import { webhookRotation } from "./004-webhook-rotation.js";
import { allowedOrigins } from "./005-allowed-origins.js";
import { desk } from "./006-desk.js";
import { idempotencyDigests } from "./007-idempotency-digests.js";
import { inboxIndex } from "./008-inbox-index.js";
import { riskSignals } from "./009-risk-signals.js";
import { ingestIndexes } from "./010-ingest-indexes.js";
import { breachDue } from "./011-breach-due.js";
import { leanIngest } from "./012-lean-ingest.js";

const sql = {
  initial,
  webhooks,
  loopMetrics,
  webhookRotation,
  allowedOrigins,
  desk,
  idempotencyDigests,
  inboxIndex,
  riskSignals,
  ingestIndexes,
  breachDue,
  leanIngest,
};
export const MIGRATIONS: readonly Migration[] = migrationsOf(sql);
